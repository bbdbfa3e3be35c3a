package io.promgate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, as {@code ./promgate run} starts it: no config, no upstream. */
class PromgateJarIT {
  @Test
  void runsWithoutAnyConfigAndAnswersHealthy(@TempDir Path workDir) throws Exception {
    Path jar = Path.of("target/promgate.jar").toAbsolutePath();
    assertThat(jar).exists();
    int port = RealPrometheus.freePort();
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar.toString(), "run", "--listen", "127.0.0.1:" + port,
        "--grpc-listen", "127.0.0.1:" + RealPrometheus.freePort())
        .directory(workDir.toFile()).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line;
      StringBuilder seen = new StringBuilder();
      while ((line = out.readLine()) != null && !line.contains("listening on http://")) {
        seen.append(line).append('\n');
      }
      assertThat(line).as("start-up output: %s", seen).isNotNull().contains("127.0.0.1:" + port);
      var healthy = PromgateHarness.get("http://127.0.0.1:" + port + "/-/healthy");
      assertThat(healthy.statusCode()).isEqualTo(200);
      var query = PromgateHarness.get("http://127.0.0.1:" + port + "/api/v1/query?query=up");
      // The embedded default: the bundled store in ./data answers every query (empty until written).
      assertThat(new String(query.body(), StandardCharsets.UTF_8))
          .startsWith("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]");
      assertThat(query.statusCode()).isEqualTo(200);
    } finally {
      p.destroy();
      assertThat(p.waitFor(15, TimeUnit.SECONDS)).as("promgate stops on SIGTERM").isTrue();
    }
    assertThat(workDir.resolve("data")).as("the embedded store lives in ./data").isDirectory();
  }
  /** {@code promgate promqltest} from the shaded jar (its services file lists the subcommand). */
  @Test
  void promqltestExitCodeAndLastLine(@TempDir Path dir) throws Exception {
    Path ok = Files.writeString(dir.resolve("ok.test"), "load 1m\n  x 1 2 3\n\neval instant at 2m x * 2\n  {} 6\n");
    Path bad = Files.writeString(dir.resolve("bad.test"), "load 1m\n  x 1 2 3\n\neval instant at 2m x * 2\n  {} 7\n");
    assertThat(promqltest(ok)).isEqualTo(new Run(0, "1 passed, 0 failed, 0 skipped"));
    assertThat(promqltest(ok, bad)).isEqualTo(new Run(1, "1 passed, 1 failed, 0 skipped"));
  }

  private record Run(int exit, String lastLine) {}

  private static Run promqltest(Path... files) throws Exception {
    java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        Path.of("target/promgate.jar").toAbsolutePath().toString(), "promqltest"));
    for (Path f : files) {
      cmd.add(f.toString());
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    java.util.List<String> lines = out.lines().toList();
    return new Run(p.exitValue(), lines.isEmpty() ? "" : lines.get(lines.size() - 1));
  }
}
