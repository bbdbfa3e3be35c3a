package io.promgate.storeapi;

import static io.promgate.storeapi.StoreApiTestSupport.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.promgate.model.Labels;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A foreign client: Node.js with @grpc/grpc-js and @grpc/proto-loader loads OUR .proto files, calls Info,
 * LabelValues and Series, decodes the XOR chunks with its own decoder and reports what it saw. Proves the
 * protos and the chunks are readable by another gRPC stack, not only by our own generated code.
 *
 * <p>Skips when node or npm is missing or npm cannot install; fails instead with PROMGATE_REQUIRE_EXTERNAL=1.
 */
class NodeStoreApiClientIT {
  static final long T0 = 1_700_000_000_000L;
  static final boolean REQUIRED = "1".equals(System.getenv("PROMGATE_REQUIRE_EXTERNAL"));
  static Vertx vertx;
  static InMemoryTenants store;
  static StoreApiServer server;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    store = new InMemoryTenants();
    for (int i = 0; i < 30; i++) {
      store.addSeries("a", Labels.of("__name__", "node_test", "instance", "host-" + i, "job", "node"), T0, 250);
    }
    store.addSeries("a", Labels.of("__name__", "other_metric", "instance", "host-x"), T0, 5);
    store.addSeries("b", Labels.of("__name__", "node_test", "instance", "b-secret"), T0, 250);
    server = get(StoreApiServer.start(vertx, store, StoreApiServerConfig.builder().host("127.0.0.1").port(0)
        .externalLabels(Labels.of("cluster", "it")).build()));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      get(server.close());
    }
    get(vertx.close());
  }

  private static void skipOrFail(String why) {
    if (REQUIRED) {
      fail(why + " (PROMGATE_REQUIRE_EXTERNAL=1)");
    }
    assumeTrue(false, "SKIPPED Node.js StoreAPI client: " + why);
  }

  record Run(int exit, String out) {
  }

  private static Run run(Path dir, long timeoutSeconds, String... cmd) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(false).start();
    } catch (IOException notFound) {
      return new Run(-1, notFound.getMessage());
    }
    p.getOutputStream().close();
    // Drain stderr concurrently so a chatty process cannot block on a full pipe.
    StringBuilder err = new StringBuilder();
    Thread t = new Thread(() -> {
      try {
        err.append(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException ignored) {
        // process went away
      }
    });
    t.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Run(-2, "timed out: " + String.join(" ", cmd));
    }
    t.join();
    return new Run(p.exitValue(), p.exitValue() == 0 ? out : out + err);
  }

  @Test
  void nodeClientReadsInfoLabelValuesAndSeries() throws Exception {
    Path module = Path.of(System.getProperty("promgate.root", ".."), "storeapi").toAbsolutePath().normalize();
    if (!Files.isDirectory(module.resolve("src/test/node"))) {
      module = Path.of("").toAbsolutePath();
    }
    Path work = module.resolve("target/node-client");
    Files.createDirectories(work);
    for (String f : List.of("package.json", "storeapi-client.js")) {
      Files.copy(module.resolve("src/test/node").resolve(f), work.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    if (run(work, 30, "node", "--version").exit() != 0) {
      skipOrFail("node is not installed");
    }
    if (!Files.isDirectory(work.resolve("node_modules/@grpc/grpc-js"))) {
      Run install = run(work, 300, "npm", "install", "--no-audit", "--no-fund", "--loglevel=error");
      if (install.exit() != 0) {
        skipOrFail("npm install failed: " + install.out());
      }
    }
    Run client = run(work, 120, "node", "storeapi-client.js", "127.0.0.1:" + server.port(),
        module.resolve("src/main/proto").toString(), "a", "node_test");
    assertThat(client.exit()).as(client.out()).isZero();
    JsonObject r = new JsonObject(client.out().trim());

    List<InMemoryTenants.Stored> wanted = store.all("a").stream()
        .filter(s -> s.labels().metricName().equals("node_test")).toList();
    int samples = 0;
    double sum = 0;
    for (InMemoryTenants.Stored s : wanted) {
      samples += s.ts().length;
      for (double v : s.vs()) {
        sum += v;
      }
    }
    assertThat(r.getInteger("series")).isEqualTo(30);
    assertThat(r.getInteger("samples")).isEqualTo(samples);
    assertThat(r.getDouble("sum")).isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(r.getInteger("unsortedSamples")).isZero();
    assertThat(r.getJsonArray("warnings")).isEmpty();
    Labels ext = Labels.of("cluster", "it", "tenant_id", "a");
    List<String> expectedLabels = wanted.stream().map(s -> s.labels().toBuilder().setAll(ext).build())
        .sorted().map(Labels::toString).toList();
    assertThat(r.getJsonArray("seriesLabels").getList()).containsExactlyElementsOf(expectedLabels);
    assertThat(r.getJsonArray("infoLabelSets").getList()).containsExactly("{cluster=\"it\", tenant_id=\"a\"}");
    assertThat(Long.parseLong(r.getString("infoMinTime"))).isEqualTo(T0);
    TreeSet<String> instances = new TreeSet<>();
    store.all("a").forEach(s -> instances.add(s.labels().get("instance")));
    assertThat(r.getJsonArray("labelValues").getList()).containsExactlyElementsOf(instances);
  }
}
