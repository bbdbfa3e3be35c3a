package io.promgate.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.gateway.it.PromgateHarness;
import io.promgate.gateway.it.PromgateProcess;
import io.promgate.gateway.it.RawWrite;
import io.promgate.tsdb.objstore.ObjectStoreOptions;
import io.promgate.tsdb.objstore.S3ProxyServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Issue 9 end to end, through the packaged jar configured by a file: remote-written samples are cut into
 * 1h blocks ({@code storage.block-duration}), uploaded to an S3 API server (s3proxy) under a prefix,
 * removed from the local disk by {@code storage.retention}, and after a restart the old range is answered
 * by {@code /api/v1/query_range} from the bucket alone, sample for sample. The secret key never appears in
 * the log. Time is real: the data is written hours into the past, which is what blocks and retention are
 * measured against.
 */
class BlocksToBucketIT {
  static final long H = 3600_000L;
  static final long STEP = 60_000;
  static final int SERIES = 5;
  static final Pattern MAX_TIME = Pattern.compile("\"maxTime\":\\s*(\\d+)");

  @TempDir
  Path work;

  @Test
  void oldBlocksAreShippedExpiredLocallyAndServedFromTheBucketAfterRestart() throws Exception {
    long now = System.currentTimeMillis();
    long base = Math.floorDiv(now - 6 * H, H) * H;
    long oldEnd = base + 2 * H; // [base, oldEnd) ended more than 3h ago: expired locally
    try (S3ProxyServer s3proxy = S3ProxyServer.start(work)) {
      ObjectStoreOptions o = new ObjectStoreOptions("e2e-blocks", s3proxy.endpoint, "", S3ProxyServer.ACCESS,
          S3ProxyServer.SECRET, true, "promgate");
      try (S3Client s3 = o.newClient()) {
        s3.createBucket(b -> b.bucket(o.bucket()));
      }
      Path config = work.resolve("promgate.yaml");
      Files.writeString(config, String.join("\n",
          "storage:",
          "  path: " + work.resolve("data"),
          "  head-window: 30m",
          "  block-duration: 1h",
          "  retention: 3h",
          "  object-store:",
          "    bucket: " + o.bucket(),
          "    endpoint: " + s3proxy.endpoint,
          "    access-key: " + S3ProxyServer.ACCESS,
          "    secret-key: " + S3ProxyServer.SECRET,
          "    path-style: true",
          "    prefix: promgate",
          ""));
      List<String> jvm = List.of("-Dpromgate.storage.maintenanceMillis=200");
      List<String> args = List.of("--config", config.toString());
      Map<String, TreeMap<Long, Double>> sent = new TreeMap<>();

      PromgateProcess p = PromgateProcess.start(work, jvm, args);
      try {
        // In 10-minute requests, oldest first: each stays inside the head window of what came before.
        for (long from = base; from < now - 2 * STEP; from += 10 * STEP) {
          RawWrite w = new RawWrite();
          for (int i = 0; i < SERIES; i++) {
            List<Long> ts = new ArrayList<>();
            for (long t = from; t < Math.min(from + 10 * STEP, now - 2 * STEP); t += STEP) {
              ts.add(t);
            }
            long[] t = ts.stream().mapToLong(Long::longValue).toArray();
            double[] v = new double[t.length];
            for (int k = 0; k < t.length; k++) {
              v[k] = i * 1000 + (t[k] - base) / STEP;
              sent.computeIfAbsent(Integer.toString(i), x -> new TreeMap<>()).put(t[k], v[k]);
            }
            w.add(List.of("__name__", "e2e_metric", "i", Integer.toString(i)), t, v);
          }
          var r = RawWrite.post(p.url() + "/api/v1/write", "application/x-protobuf", w.snappy());
          assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        }

        // Await: the old range is in the bucket and no longer on the local disk.
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (true) {
          int inBucket = bucketBlocksEndingBy(o, oldEnd);
          int local = localBlocksEndingBy(oldEnd);
          int newer = localBlocksEndingBy(Long.MAX_VALUE) - local; // they stay local
          if (inBucket == 2 && local == 0 && newer > 0) {
            break;
          }
          assertThat(System.nanoTime()).as("bucket blocks %d, local blocks %d of the old range, %d newer; log:\n%s",
              inBucket, local, newer, p.log()).isLessThan(deadline);
          Thread.sleep(100);
        }
        assertThat(queryOldRange(p, base, oldEnd)).isEqualTo(expected(sent, base, oldEnd));
      } catch (Throwable t) {
        p.kill9();
        throw new AssertionError(t.getMessage() + "\npromgate log:\n" + p.log(), t);
      }
      p.close();

      try (PromgateProcess again = PromgateProcess.start(work, jvm, args)) {
        try {
          assertThat(localBlocksEndingBy(oldEnd)).isZero();
          assertThat(queryOldRange(again, base, oldEnd)).isEqualTo(expected(sent, base, oldEnd));
          // The whole range: bucket, local blocks and head together, each sample once.
          long end = sent.get("0").lastKey() + STEP;
          assertThat(queryOldRange(again, base, end)).isEqualTo(expected(sent, base, end));
          try (Stream<Path> cached = Files.walk(work.resolve("data/@bucket-cache"))) {
            assertThat(cached.filter(f -> f.getFileName().toString().equals("index"))).isNotEmpty();
          }
          assertThat(p.log() + again.log()).contains("object store: bucket e2e-blocks/promgate")
              .doesNotContain(S3ProxyServer.SECRET);
        } catch (Throwable t) {
          throw new AssertionError(t.getMessage() + "\npromgate log:\n" + again.log(), t);
        }
      }
    }
  }

  private static Map<String, TreeMap<Long, Double>> expected(Map<String, TreeMap<Long, Double>> sent, long from,
      long to) {
    Map<String, TreeMap<Long, Double>> out = new TreeMap<>();
    sent.forEach((k, v) -> out.put(k, new TreeMap<>(v.subMap(from, to))));
    return out;
  }

  /** query_range over [from, to) at the samples' own step: each point is exactly one sample. */
  private static Map<String, TreeMap<Long, Double>> queryOldRange(PromgateProcess p, long from, long to)
      throws Exception {
    var r = PromgateHarness.get(p.url() + "/api/v1/query_range?query=" + URLEncoder.encode("e2e_metric",
        StandardCharsets.UTF_8) + "&start=" + from / 1000 + "&end=" + (to - STEP) / 1000 + "&step=60");
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(r.statusCode()).as(body).isEqualTo(200);
    Map<String, TreeMap<Long, Double>> out = new TreeMap<>();
    JsonArray result = new JsonObject(body).getJsonObject("data").getJsonArray("result");
    for (int i = 0; i < result.size(); i++) {
      JsonObject s = result.getJsonObject(i);
      TreeMap<Long, Double> m = new TreeMap<>();
      JsonArray values = s.getJsonArray("values");
      for (int k = 0; k < values.size(); k++) {
        JsonArray pt = values.getJsonArray(k);
        m.put(Math.round(pt.getDouble(0) * 1000), Double.parseDouble(pt.getString(1)));
      }
      out.put(s.getJsonObject("metric").getString("i"), m);
    }
    return out;
  }

  private static int bucketBlocksEndingBy(ObjectStoreOptions o, long end) {
    int n = 0;
    try (S3Client s3 = o.newClient()) {
      for (S3Object obj : s3.listObjectsV2Paginator(b -> b.bucket(o.bucket()).prefix("promgate/")).contents()) {
        if (obj.key().endsWith("/meta.json")) {
          String meta = s3.getObjectAsBytes(b -> b.bucket(o.bucket()).key(obj.key())).asUtf8String();
          if (maxTime(meta) <= end) {
            n++;
          }
        }
      }
    }
    return n;
  }

  private int localBlocksEndingBy(long end) throws Exception {
    Path tenant = work.resolve("data/anonymous");
    if (!Files.isDirectory(tenant)) {
      return 0;
    }
    int n = 0;
    try (Stream<Path> dirs = Files.list(tenant)) {
      for (Path d : dirs.toList()) {
        Path meta = d.resolve("meta.json");
        try {
          if (d.getFileName().toString().length() == 26 && maxTime(Files.readString(meta)) <= end) {
            n++;
          }
        } catch (java.io.IOException goneOrUnfinished) {
          // not a block (yet or any more)
        }
      }
    }
    return n;
  }

  private static long maxTime(String metaJson) {
    Matcher m = MAX_TIME.matcher(metaJson);
    return m.find() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
  }
}
