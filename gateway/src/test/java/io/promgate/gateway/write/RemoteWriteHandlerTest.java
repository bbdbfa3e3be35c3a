package io.promgate.gateway.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.model.LabelMatcher;
import io.promgate.model.SampleIterator;
import io.promgate.model.SelectHints;
import io.promgate.model.Series;
import io.promgate.model.SeriesSets;
import io.promgate.model.ValueType;
import io.promgate.storeapi.prompb.Label;
import io.promgate.storeapi.prompb.MetricMetadata;
import io.promgate.storeapi.prompb.Sample;
import io.promgate.storeapi.prompb.TimeSeries;
import io.promgate.storeapi.prompb.WriteRequest;
import io.promgate.tsdb.Storage;
import io.promgate.tsdb.StorageOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

@ExtendWith(VertxExtension.class)
class RemoteWriteHandlerTest {
  static final String CT = "application/x-protobuf";

  @TempDir
  Path dir;
  Storage storage;
  Vertx vertx;
  RemoteWriteHandler handler;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    this.vertx = vertx;
    storage = Storage.open(dir, StorageOptions.DEFAULT.withMaxSeriesPerTenant(5), Clock.systemUTC());
    handler = RemoteWriteHandler.create(vertx, storage, RemoteWriteOptions.DEFAULT, Clock.systemUTC());
  }

  @AfterEach
  void tearDown() throws Exception {
    storage.close();
  }

  static TimeSeries series(String[] labels, long... tsAndValues) {
    TimeSeries.Builder b = TimeSeries.newBuilder();
    for (int i = 0; i < labels.length; i += 2) {
      b.addLabels(Label.newBuilder().setName(labels[i]).setValue(labels[i + 1]));
    }
    for (int i = 0; i < tsAndValues.length; i += 2) {
      b.addSamples(Sample.newBuilder().setTimestamp(tsAndValues[i]).setValue(tsAndValues[i + 1]));
    }
    return b.build();
  }

  static Buffer body(TimeSeries... ts) throws Exception {
    return Buffer.buffer(Snappy.compress(WriteRequest.newBuilder().addAllTimeseries(Arrays.asList(ts)).build().toByteArray()));
  }

  WriteResult send(RemoteWriteHandler h, String tenant, String ct, String enc, Buffer body) throws Exception {
    return h.handle(tenant, ct, enc, body).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  WriteResult send(String tenant, Buffer body) throws Exception {
    return send(handler, tenant, CT, "snappy", body);
  }

  List<String> stored(String tenant, String metric) {
    List<String> out = new ArrayList<>();
    for (Series s : SeriesSets.toList(storage.queryable(tenant).querier(Long.MIN_VALUE, Long.MAX_VALUE)
        .select(true, SelectHints.ofRange(Long.MIN_VALUE, Long.MAX_VALUE), List.of(LabelMatcher.eq("__name__", metric))))) {
      SampleIterator it = s.iterator();
      while (it.next() == ValueType.FLOAT) {
        out.add(s.labels() + "@" + it.timestamp() + "=" + it.value());
      }
    }
    return out;
  }

  @Test
  void storesAndIsQueryableWhenAcknowledged() throws Exception {
    WriteRequest req = WriteRequest.newBuilder()
        .addTimeseries(series(new String[] {"__name__", "up", "job", "api"}, 1000, 1, 2000, 0))
        .addMetadata(MetricMetadata.newBuilder().setMetricFamilyName("up").setType(MetricMetadata.MetricType.GAUGE)
            .setHelp("Target up.").build())
        .build();
    WriteResult r = send(handler, "t1", CT, "snappy", Buffer.buffer(Snappy.compress(req.toByteArray())));
    assertThat(r.status()).isEqualTo(204);
    assertThat(stored("t1", "up")).containsExactly("{__name__=\"up\", job=\"api\"}@1000=1.0",
        "{__name__=\"up\", job=\"api\"}@2000=0.0");
    assertThat(stored("t2", "up")).isEmpty();
    assertThat(storage.metadata("t1", "up", -1).get("up").get(0).type()).isEqualTo("gauge");
  }

  @Test
  void contentNegotiation() throws Exception {
    Buffer ok = body(series(new String[] {"__name__", "a"}, 1, 1));
    assertThat(send(handler, "t", null, null, ok).status()).isEqualTo(204);
    assertThat(send(handler, "t", "application/x-protobuf;proto=prometheus.WriteRequest", "snappy",
        body(series(new String[] {"__name__", "a"}, 2, 1))).status()).isEqualTo(204);
    WriteResult json = send(handler, "t", "application/json", "snappy", ok);
    assertThat(json.status()).isEqualTo(415);
    assertThat(json.message()).contains("application/json").endsWith("\n");
    WriteResult v2 = send(handler, "t", "application/x-protobuf;proto=io.prometheus.write.v2.Request", "snappy", ok);
    assertThat(v2.status()).isEqualTo(415);
    assertThat(v2.message()).contains("remote write 2.0");
    assertThat(send(handler, "t", CT, "gzip", ok).status()).isEqualTo(415);
  }

  @Test
  void malformedBodiesAre400AndStoreNothing() throws Exception {
    byte[] good = body(series(new String[] {"__name__", "a"}, 1, 1)).getBytes();
    WriteResult truncated = send("t", Buffer.buffer(Arrays.copyOf(good, good.length - 3)));
    assertThat(truncated.status()).isEqualTo(400);
    assertThat(truncated.message()).startsWith("snappy");
    WriteResult garbage = send("t", Buffer.buffer(Snappy.compress(new byte[] {(byte) 0xff, 0x13, 0x00, 0x7f, 0x01})));
    assertThat(garbage.status()).isEqualTo(400);
    assertThat(garbage.message()).startsWith("protobuf");
    assertThat(send("t", Buffer.buffer("not snappy at all")).status()).isEqualTo(400);
    assertThat(send("t", Buffer.buffer()).status()).isEqualTo(400);
    assertThat(storage.tenants()).isEmpty();
    // and the handler still works
    assertThat(send("t", Buffer.buffer(good)).status()).isEqualTo(204);
  }

  @Test
  void decodedSizeIsCheckedBeforeDecoding() throws Exception {
    RemoteWriteHandler small = RemoteWriteHandler.create(vertx, storage,
        RemoteWriteOptions.DEFAULT.withMaxDecodedBytes(1 << 20), Clock.systemUTC());
    byte[] huge = Snappy.compress(new byte[4 << 20]); // 4 MiB of zeros, a few hundred KiB compressed
    WriteResult r = send(small, "t", CT, "snappy", Buffer.buffer(huge));
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.message()).contains("4194304").contains("1048576");
  }

  @Test
  void invalidLabelsAreRefusedButGoodSeriesStored() throws Exception {
    WriteResult r = send("t", body(
        series(new String[] {"__name__", "good"}, 1, 1),
        series(new String[] {"job", "x", "__name__", "unsorted"}, 1, 1),
        series(new String[] {"__name__", "dup", "a", "1", "a", "2"}, 1, 1),
        series(new String[] {"__name__", "emptyname", "", "v"}, 1, 1),
        series(new String[] {"job", "noname"}, 1, 1, 2, 2),
        series(new String[] {"__name__", "ünïcode.name", "läbel.with.dots", "v"}, 1, 1)));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.message()).startsWith("stored 2 of 7 samples; rejected: 5 with invalid labels")
        .contains("labels not sorted");
    assertThat(stored("t", "good")).hasSize(1);
    assertThat(stored("t", "ünïcode.name")).hasSize(1);
    assertThat(stored("t", "unsorted")).isEmpty();
  }

  @Test
  void outOfOrderDuplicateAndTooOldAre409WithCounts() throws Exception {
    long h = 3600_000L;
    assertThat(send("t", body(series(new String[] {"__name__", "a"}, 10 * h, 1))).status()).isEqualTo(204);
    WriteResult r = send("t", body(
        series(new String[] {"__name__", "a"}, 10 * h - 1, 1, 10 * h, 2, 10 * h + 1, 3),
        series(new String[] {"__name__", "b"}, 5 * h, 1, 10 * h, 1)));
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.message()).startsWith("stored 2 of 5 samples;").contains("1 out of order sample")
        .contains("1 duplicate sample for timestamp").contains("1 out of bounds");
    assertThat(stored("t", "a")).hasSize(2);
    // retrying the same good sample is fine, as in Prometheus
    assertThat(send("t", body(series(new String[] {"__name__", "a"}, 10 * h + 1, 3))).status()).isEqualTo(204);
  }

  @Test
  void seriesLimitIs400() throws Exception {
    List<TimeSeries> ts = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      ts.add(series(new String[] {"__name__", "m", "i", "" + i}, 1, 1));
    }
    WriteResult r = send("t", body(ts.toArray(new TimeSeries[0])));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.message()).contains("2 per-tenant active series limit exceeded").contains("limit of 5");
    assertThat(stored("t", "m")).hasSize(5);
  }

  @Test
  void rateLimitIsPerTenantAndRefills() throws Exception {
    MutableClock clock = new MutableClock();
    RemoteWriteHandler limited = RemoteWriteHandler.create(vertx, storage,
        RemoteWriteOptions.DEFAULT.withRateLimit(10, 10), clock);
    long[] samples = new long[16];
    for (int i = 0; i < 8; i++) {
      samples[2 * i] = i + 1;
    }
    assertThat(send(limited, "t", CT, "snappy", body(series(new String[] {"__name__", "a"}, samples))).status()).isEqualTo(204);
    long[] more = Arrays.copyOf(samples, 16);
    for (int i = 0; i < 8; i++) {
      more[2 * i] = 100 + i;
    }
    WriteResult r = send(limited, "t", CT, "snappy", body(series(new String[] {"__name__", "a"}, more)));
    assertThat(r.status()).isEqualTo(429);
    assertThat(send(limited, "other", CT, "snappy", body(series(new String[] {"__name__", "a"}, more))).status())
        .isEqualTo(204);
    clock.now += 1000;
    assertThat(send(limited, "t", CT, "snappy", body(series(new String[] {"__name__", "a"}, more))).status()).isEqualTo(204);
  }

  @Test
  void closedStoreIs503() throws Exception {
    storage.close();
    WriteResult r = send("t", body(series(new String[] {"__name__", "a"}, 1, 1)));
    assertThat(r.status()).isEqualTo(503);
  }

  static final class MutableClock extends Clock {
    long now = 1_000_000;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(now);
    }

    @Override
    public long millis() {
      return now;
    }
  }

  @Test
  void listenerHearsTheSpanOfStoredSamplesOnly() throws Exception {
    List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    RemoteWriteHandler h = RemoteWriteHandler.create(vertx, storage, RemoteWriteOptions.DEFAULT, Clock.systemUTC(),
        (tenant, mint, maxt) -> heard.add(tenant + ":" + mint + "-" + maxt));
    long now = System.currentTimeMillis();
    String[] labels = {"__name__", "up", "job", "a"};
    assertThat(send(h, "t1", CT, "snappy", body(series(labels, now - 2000, 1, now - 1000, 2))).status()).isEqualTo(204);
    // Entirely out of order: nothing stored, nothing to invalidate.
    assertThat(send(h, "t1", CT, "snappy", body(series(labels, now - 5000, 3))).status()).isEqualTo(409);
    assertThat(heard).containsExactly("t1:" + (now - 2000) + "-" + (now - 1000));
  }

  /**
   * The decoder's cache entry for a label set also remembers the head series (SeriesHint) and is shared by
   * all tenants: the same series sent to two tenants in turn must land in each tenant's own head.
   */
  @Test
  void sameSeriesForTwoTenantsStaysApartThroughTheSharedLabelCache() throws Exception {
    String[] labels = {"__name__", "shared", "job", "a"};
    for (int i = 1; i <= 4; i++) {
      assertThat(send("t1", body(series(labels, i * 1000L, i))).status()).isEqualTo(204);
      assertThat(send("t2", body(series(labels, i * 1000L + 1, -i))).status()).isEqualTo(204);
    }
    assertThat(stored("t1", "shared")).containsExactly("{__name__=\"shared\", job=\"a\"}@1000=1.0",
        "{__name__=\"shared\", job=\"a\"}@2000=2.0", "{__name__=\"shared\", job=\"a\"}@3000=3.0",
        "{__name__=\"shared\", job=\"a\"}@4000=4.0");
    assertThat(stored("t2", "shared")).containsExactly("{__name__=\"shared\", job=\"a\"}@1001=-1.0",
        "{__name__=\"shared\", job=\"a\"}@2001=-2.0", "{__name__=\"shared\", job=\"a\"}@3001=-3.0",
        "{__name__=\"shared\", job=\"a\"}@4001=-4.0");
  }
}
