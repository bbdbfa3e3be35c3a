package io.promgate.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.tsdb.BlockOptions;
import io.promgate.tsdb.BlockTestData;
import io.promgate.tsdb.Storage;
import io.promgate.tsdb.StorageOptions;
import java.io.BufferedReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real tools read our blocks: {@code promtool tsdb list/analyze/dump} on a tenant directory, and a
 * Prometheus server started on a copy of the block directories answers raw-sample queries with exactly the
 * samples we wrote (and that our own store returns). Blocks come from the normal path: head, cut, one
 * compaction to a 6h block.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusReadsOurBlocksIT {
  static final long H = 3600_000L;
  static final long T0 = BlockTestData.T0;

  @TempDir
  static Path dir;
  Map<String, TreeMap<Long, Double>> expected = new TreeMap<>();
  Map<String, TreeMap<Long, Double>> ours;
  Path tenantDir;
  List<Block> blocks;

  @BeforeAll
  void writeBlocks() throws Exception {
    BlockTestData data = new BlockTestData(40, 7);
    try (Storage s = Storage.open(dir, StorageOptions.DEFAULT.withHeadWindow(Duration.ofHours(1)),
        BlockOptions.DEFAULT.withExternalLabels(Map.of("cluster", "test")),
        Clock.fixed(Instant.ofEpochMilli(T0), ZoneOffset.UTC))) {
      data.write(s, "tenant-a", T0, T0 + 10 * H, null);
      s.runMaintenance();
      blocks = s.blocks("tenant-a");
      long persistedEnd = blocks.get(blocks.size() - 1).meta().maxTime();
      ours = BlockTestData.readAll(s.queryable("tenant-a"), Long.MIN_VALUE, persistedEnd - 1,
          PrometheusReadsOurBlocksIT::promString);
    }
    // Expected = the samples of the persisted range, regenerated (same seed) independently of our store.
    BlockTestData again = new BlockTestData(40, 7);
    for (long t = T0; t < blocks.get(blocks.size() - 1).meta().maxTime(); t += BlockTestData.STEP) {
      for (var ss : again.scrape(t)) {
        expected.computeIfAbsent(promString(ss.labels()), k -> new TreeMap<>()).put(t, ss.values()[0]);
      }
    }
    tenantDir = dir.resolve("tenant-a");
    assertThat(blocks).extracting(b -> (b.meta().minTime() - T0) / H + "-" + (b.meta().maxTime() - T0) / H)
        .containsExactly("0-6", "6-8");
  }

  static String promString(io.promgate.model.Labels l) {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < l.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(l.name(i)).append("=\"").append(l.value(i)).append('"');
    }
    return b.append('}').toString();
  }

  @Test
  void ourStoreReturnsExactlyTheWrittenSamples() {
    assertThat(ours).isEqualTo(expected);
  }

  @Test
  void promtoolListsAndAnalyzesOurBlocks() throws Exception {
    Path promtool = ExternalBinaries.find("promtool");
    String list = ExternalBinaries.run(List.of(promtool.toString(), "tsdb", "list", tenantDir.toString()), null);
    for (Block b : blocks) {
      assertThat(list).contains(b.meta().ulid());
    }
    assertThat(list).contains(Long.toString(40 * 6 * H / BlockTestData.STEP)); // samples of the 6h block
    String analyze = ExternalBinaries.run(List.of(promtool.toString(), "tsdb", "analyze", tenantDir.toString(),
        blocks.get(0).meta().ulid()), null);
    assertThat(analyze).contains("Series: 40").contains("http_requests_total");
  }

  @Test
  void promtoolDumpsExactlyTheSamplesWeWrote() throws Exception {
    Path promtool = ExternalBinaries.find("promtool");
    Path out = dir.resolve("dump.txt");
    ExternalBinaries.run(List.of(promtool.toString(), "tsdb", "dump", tenantDir.toString()), out);
    Map<String, TreeMap<Long, Double>> dumped = new TreeMap<>();
    long lines = 0;
    try (BufferedReader r = Files.newBufferedReader(out)) {
      String line;
      while ((line = r.readLine()) != null) {
        int close = line.lastIndexOf('}');
        String[] rest = line.substring(close + 2).split(" ");
        Double prev = dumped.computeIfAbsent(line.substring(0, close + 1), k -> new TreeMap<>())
            .put(Long.parseLong(rest[1]), Double.parseDouble(rest[0]));
        assertThat(prev).as("duplicate sample in dump: %s", line).isNull();
        lines++;
      }
    }
    assertThat(lines).isEqualTo(40 * 8 * H / BlockTestData.STEP);
    assertThat(dumped).isEqualTo(expected);
  }

  @Test
  void prometheusServesTheSameSamplesFromACopyOfOurBlocks() throws Exception {
    Path prometheus = ExternalBinaries.find("prometheus");
    Path data = dir.resolve("prom-data");
    Files.createDirectories(data);
    for (Block b : blocks) {
      copyDir(b.dir(), data.resolve(b.meta().ulid()));
    }
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, "global: {}\n");
    int port;
    try (ServerSocket ss = new ServerSocket(0)) {
      port = ss.getLocalPort();
    }
    Process p = new ProcessBuilder(prometheus.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + data, "--storage.tsdb.retention.time=100y",
        "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true)
        .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + port;
      waitReady(http, base, p);
      long end = blocks.get(blocks.size() - 1).meta().maxTime() - 1;
      // Raw samples in [end - 8h + 1ms, end]: the range selector returns them as stored.
      String q = URLEncoder.encode("{__name__=~\".+\"}[8h]", StandardCharsets.UTF_8);
      String body = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/query?query=" + q + "&time="
          + (end / 1000.0))).build(), HttpResponse.BodyHandlers.ofString()).body();
      Map<String, TreeMap<Long, Double>> fromProm = parseMatrix(body);
      assertThat(fromProm).isEqualTo(expected);
    } finally {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, TreeMap<Long, Double>> parseMatrix(String body) {
    Map<String, Object> root = (Map<String, Object>) Json.parse(body);
    assertThat(root.get("status")).as(body.substring(0, Math.min(300, body.length()))).isEqualTo("success");
    Map<String, TreeMap<Long, Double>> out = new TreeMap<>();
    for (Object o : (List<Object>) ((Map<String, Object>) root.get("data")).get("result")) {
      Map<String, Object> series = (Map<String, Object>) o;
      TreeMap<String, String> labels = new TreeMap<>((Map<String, String>) (Map<?, ?>) series.get("metric"));
      io.promgate.model.Labels l = io.promgate.model.Labels.fromMap(labels);
      TreeMap<Long, Double> samples = new TreeMap<>();
      for (Object v : (List<Object>) series.get("values")) {
        List<Object> pair = (List<Object>) v;
        long ts = Math.round(((Number) pair.get(0)).doubleValue() * 1000);
        samples.put(ts, Double.parseDouble((String) pair.get(1)));
      }
      out.put(promString(l), samples);
    }
    return out;
  }

  private static void waitReady(HttpClient http, String base, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      assertThat(p.isAlive()).as("prometheus exited early").isTrue();
      try {
        if (http.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("prometheus not ready after 60 s");
  }

  static void copyDir(Path from, Path to) throws Exception {
    try (var s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }
}
