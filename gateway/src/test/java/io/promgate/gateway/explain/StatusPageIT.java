package io.promgate.gateway.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.gateway.GatewayPlugin;
import io.promgate.gateway.it.ExternalBinary;
import io.promgate.gateway.it.PromgateHarness;
import io.promgate.gateway.it.RealPrometheus;
import io.promgate.gateway.it.RemoteWrite;
import io.promgate.routing.config.ConfigLoader;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real browser (issue 11): headless Chromium driven by playwright-core (installed by
 * this test into {@code target/ui-test} with npm), against an in-process promgate with data written by
 * remote write. Types a query without data, expects the diagnosis and its suggestion on the page, and
 * leaves a screenshot at {@code target/status-page.png}. Skipped without chromium, node or npm (failed
 * under {@code PROMGATE_REQUIRE_EXTERNAL=1}).
 */
class StatusPageIT {
  @TempDir
  static Path dir;
  static PromgateHarness gw;

  @BeforeAll
  static void start() throws Exception {
    List<GatewayPlugin> plugins = ServiceLoader.load(GatewayPlugin.class).stream().map(ServiceLoader.Provider::get).toList();
    gw = PromgateHarness.start(ConfigLoader.parse("server: { http: 127.0.0.1:0, grpc: 127.0.0.1:0 }\nstorage: { path: "
        + dir.resolve("data") + " }\n"), plugins);
    long now = System.currentTimeMillis() / 15_000 * 15_000;
    long[] ts = new long[41];
    double[] v = new double[ts.length];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = now - (ts.length - 1 - i) * 15_000L;
      v[i] = 100 + i;
    }
    RealPrometheus.remoteWrite(gw.url() + "/api/v1/write", new RemoteWrite().add(new RemoteWrite.TestSeries(
        Map.of("__name__", "aws_cost_exporter_current_month_cost", "cluster", "ops", "service", "ec2"), ts, v)));
  }

  @AfterAll
  static void stop() throws Exception {
    if (gw != null) {
      gw.close();
    }
  }

  @Test
  void aQueryWithoutDataShowsTheDiagnosisAndSuggestion() throws Exception {
    ExternalBinary.require("chromium");
    Path node = ExternalBinary.require("node");
    Path npm = ExternalBinary.require("npm");
    Path work = Path.of("target", "ui-test").toAbsolutePath();
    Files.createDirectories(work);
    Path script = work.resolve("status-page.mjs");
    try (InputStream in = StatusPageIT.class.getResourceAsStream("/ui-test/status-page.mjs")) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    if (!Files.isDirectory(work.resolve("node_modules/playwright-core"))) {
      Files.writeString(work.resolve("package.json"), "{\"private\":true,\"type\":\"module\"}\n");
      Process install = new ProcessBuilder(npm.toString(), "install", "--no-audit", "--no-fund", "--silent",
          "playwright-core@1.49.1").directory(work.toFile()).redirectErrorStream(true).start();
      String log = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!install.waitFor(5, TimeUnit.MINUTES) || install.exitValue() != 0) {
        String msg = "npm could not install playwright-core: " + log;
        if (ExternalBinary.required()) {
          throw new AssertionError(msg);
        }
        Assumptions.abort("skipped: " + msg);
      }
    }
    Path shot = Path.of("target", "status-page.png").toAbsolutePath();
    Process p = new ProcessBuilder(node.toString(), script.toString(), gw.url() + "/", "aws_cost_exporter_cluster_cost",
        shot.toString(), Files.createTempDirectory(dir, "chromium-profile").toString()).directory(work.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    JsonObject seen = new JsonObject(out.lines().reduce((a, b) -> b).orElseThrow());
    assertThat(seen.getJsonArray("errors")).isEmpty();
    assertThat(seen.getString("version")).startsWith("v");
    assertThat(seen.getJsonArray("backends").getString(0)).contains("local").contains("up");
    assertThat(seen.getJsonArray("store").getString(0)).contains("anonymous");
    String diag = seen.getJsonArray("diagnoses").getString(0);
    assertThat(diag).contains("unknown_metric").contains("no metric named aws_cost_exporter_cluster_cost")
        .contains("try aws_cost_exporter_current_month_cost");
    assertThat(seen.getString("result")).contains("empty");
    assertThat(shot).exists();
  }
}
