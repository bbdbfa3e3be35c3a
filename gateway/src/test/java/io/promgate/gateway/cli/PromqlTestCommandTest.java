package io.promgate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code promgate promqltest FILE...}: per-file lines, totals last, exit 1 exactly when an eval failed. */
class PromqlTestCommandTest {
  static final String PASSING = """
      load 1m
        up{job="a"} 1 1 1
        up{job="b"} 0 0 0

      eval instant at 2m sum(up)
        {} 1

      eval instant at 1m up{job="b"}
        up{job="b"} 0
      """;
  static final String FAILING = """
      load 1m
        x 1 2 3

      eval instant at 2m x
        x 3

      eval instant at 2m x * 2
        {} 7
      """;

  static List<String> run(int expectedExit, Path... files) {
    CommandLine cl = PromgateCli.commandLine();
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(new StringWriter()));
    String[] args = new String[files.length + 1];
    args[0] = "promqltest";
    for (int i = 0; i < files.length; i++) {
      args[i + 1] = files[i].toString();
    }
    int code = cl.execute(args);
    List<String> lines = out.toString().lines().toList();
    assertThat(code).as(out.toString()).isEqualTo(expectedExit);
    return lines;
  }

  @Test
  void passingScriptExitsZero(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("ok.test"), PASSING);
    List<String> lines = run(0, f);
    assertThat(lines).first().isEqualTo(f + ": 2 passed, 0 failed, 0 skipped");
    assertThat(lines).last().isEqualTo("2 passed, 0 failed, 0 skipped");
  }

  @Test
  void aFailedEvalMakesTheExitCodeOne(@TempDir Path dir) throws Exception {
    Path ok = Files.writeString(dir.resolve("ok.test"), PASSING);
    Path bad = Files.writeString(dir.resolve("bad.test"), FAILING);
    List<String> lines = run(1, ok, bad);
    assertThat(lines).contains(bad + ": 1 passed, 1 failed, 0 skipped");
    assertThat(lines).anyMatch(l -> l.contains("FAIL") && l.contains("x * 2"));
    assertThat(lines).last().isEqualTo("3 passed, 1 failed, 0 skipped");
  }

  @Test
  void aMissingFileCountsAsFailed(@TempDir Path dir) {
    List<String> lines = run(1, dir.resolve("nope.test"));
    assertThat(lines).last().isEqualTo("0 passed, 1 failed, 0 skipped");
  }
}
