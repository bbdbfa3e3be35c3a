package io.promgate.gateway.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.model.Labels;
import io.promgate.storeapi.prompb.LabelMatcher;
import io.promgate.storeapi.prompb.Query;
import io.promgate.storeapi.prompb.ReadRequest;
import io.promgate.storeapi.prompb.ReadResponse;
import io.promgate.storeapi.prompb.TimeSeries;
import io.promgate.tsdb.SeriesSamples;
import io.promgate.tsdb.Storage;
import io.promgate.tsdb.StorageOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

@ExtendWith(VertxExtension.class)
class RemoteReadHandlerTest {
  @TempDir
  Path dir;

  static ReadRequest request(long start, long end, ReadRequest.ResponseType type, LabelMatcher... ms) {
    ReadRequest.Builder b = ReadRequest.newBuilder()
        .addQueries(Query.newBuilder().setStartTimestampMs(start).setEndTimestampMs(end).addAllMatchers(List.of(ms)));
    if (type != null) {
      b.addAcceptedResponseTypes(type);
    }
    return b.build();
  }

  static LabelMatcher m(LabelMatcher.Type t, String name, String value) {
    return LabelMatcher.newBuilder().setType(t).setName(name).setValue(value).build();
  }

  @Test
  void samplesAndStreamedChunksAgreeWithWhatWasWritten(Vertx vertx) throws Exception {
    try (Storage storage = Storage.open(dir, StorageOptions.DEFAULT, Clock.systemUTC())) {
      Map<Labels, List<long[]>> written = new LinkedHashMap<>();
      for (String job : List.of("api", "db")) {
        Labels l = Labels.of("__name__", "up", "job", job);
        long[] ts = new long[300];
        double[] vs = new double[300];
        List<long[]> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
          ts[i] = 1_000_000 + i * 15_000L;
          vs[i] = job.length() * i * 0.5;
          if (ts[i] >= 1_500_000 && ts[i] <= 4_000_000) {
            expected.add(new long[] {ts[i], Double.doubleToRawLongBits(vs[i])});
          }
        }
        storage.append("t", List.of(new SeriesSamples(l, ts, vs)), List.of()).get(10, TimeUnit.SECONDS);
        written.put(l, expected);
      }
      storage.append("other", List.of(SeriesSamples.of(Labels.of("__name__", "up", "job", "secret"), 2_000_000, 1)),
          List.of()).get(10, TimeUnit.SECONDS);
      RemoteReadHandler h = RemoteReadHandler.create(vertx, storage);

      RemoteReadHandler.ReadResult samples = call(h, "t", request(1_500_000, 4_000_000, null,
          m(LabelMatcher.Type.EQ, "__name__", "up")));
      assertThat(samples.status()).isEqualTo(200);
      assertThat(samples.snappy()).isTrue();
      ReadResponse rr = ReadResponse.parseFrom(Snappy.uncompress(samples.body().getBytes()));
      Map<Labels, List<long[]>> got = new LinkedHashMap<>();
      for (TimeSeries ts : rr.getResults(0).getTimeseriesList()) {
        Labels.Builder b = Labels.builder();
        ts.getLabelsList().forEach(l -> b.set(l.getName(), l.getValue()));
        got.put(b.build(), ts.getSamplesList().stream()
            .map(s -> new long[] {s.getTimestamp(), Double.doubleToRawLongBits(s.getValue())}).toList());
      }
      assertSame(got, written);

      RemoteReadHandler.ReadResult streamed = call(h, "t", request(1_500_000, 4_000_000,
          ReadRequest.ResponseType.STREAMED_XOR_CHUNKS, m(LabelMatcher.Type.RE, "job", "api|db")));
      assertThat(streamed.status()).isEqualTo(200);
      assertThat(streamed.contentType()).isEqualTo(RemoteReadHandler.STREAMED_CONTENT_TYPE);
      Map<Labels, List<long[]>> chunked = new LinkedHashMap<>();
      assertThat(PrometheusRemoteWriteIT.parseStream(streamed.body().getBytes(), chunked)).isGreaterThanOrEqualTo(2);
      assertSame(chunked, written);

      // tenant isolation, and bad input
      RemoteReadHandler.ReadResult mine = call(h, "t", request(0, 5_000_000, null, m(LabelMatcher.Type.EQ, "job", "secret")));
      assertThat(ReadResponse.parseFrom(Snappy.uncompress(mine.body().getBytes())).getResults(0).getTimeseriesCount()).isZero();
      assertThat(call(h, "t", request(0, 1, null, m(LabelMatcher.Type.RE, "job", "(unclosed"))).status()).isEqualTo(400);
      assertThat(h.handle("t", Buffer.buffer("junk")).toCompletionStage().toCompletableFuture().get().status()).isEqualTo(400);
    }
  }

  static void assertSame(Map<Labels, List<long[]>> got, Map<Labels, List<long[]>> expected) {
    assertThat(got.keySet()).containsExactlyElementsOf(expected.keySet());
    for (Labels l : expected.keySet()) {
      assertThat(got.get(l)).as("%s", l).hasSameSizeAs(expected.get(l));
      for (int i = 0; i < expected.get(l).size(); i++) {
        assertThat(got.get(l).get(i)).isEqualTo(expected.get(l).get(i));
      }
    }
  }

  static RemoteReadHandler.ReadResult call(RemoteReadHandler h, String tenant, ReadRequest r) throws Exception {
    return h.handle(tenant, Buffer.buffer(Snappy.compress(r.toByteArray()))).toCompletionStage().toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
  }
}
