package io.promgate.tsdb.block;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finds promtool/prometheus: skips the test when absent, fails when PROMGATE_REQUIRE_EXTERNAL=1. */
final class ExternalBinaries {
  private ExternalBinaries() {
  }

  static Path find(String name) throws IOException {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(d, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    if ("1".equals(System.getenv("PROMGATE_REQUIRE_EXTERNAL"))) {
      throw new IOException(name + " not found on PATH but PROMGATE_REQUIRE_EXTERNAL=1");
    }
    assumeTrue(false, name + " not found on PATH: skipping");
    return null;
  }

  /** Runs a command, returns stdout; fails with stderr when the exit code is not 0. */
  static String run(List<String> cmd, Path stdoutFile) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Path err = Files.createTempFile("promgate-ext", ".err");
    pb.redirectError(err.toFile());
    if (stdoutFile != null) {
      pb.redirectOutput(stdoutFile.toFile());
    }
    Process p = pb.start();
    String out = stdoutFile == null ? new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8) : "";
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(cmd + " timed out");
    }
    String e = Files.readString(err);
    Files.delete(err);
    if (p.exitValue() != 0) {
      throw new AssertionError(cmd + " exited " + p.exitValue() + ": " + e + out);
    }
    return out;
  }
}
