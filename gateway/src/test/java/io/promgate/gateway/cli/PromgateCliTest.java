package io.promgate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.gateway.Version;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PromgateCliTest {
  private record Result(int exit, String out, String err) {}

  private static Result run(String... args) {
    CommandLine cl = PromgateCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void everyExampleConfigPassesCheck() throws Exception {
    Path conf = Path.of(System.getProperty("promgate.root", "..")).resolve("conf");
    List<Path> files;
    try (var s = Files.list(conf)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).extracting(p -> p.getFileName().toString())
        .contains("embedded.yaml", "prometheus.yaml", "prometheus-and-blocks.yaml", "multi-tenant.yaml");
    for (Path f : files) {
      Result r = run("check", "config", f.toString());
      assertThat(r.exit()).as(f + ": " + r.err()).isZero();
      assertThat(r.out()).contains(f + ": OK");
    }
  }

  @Test
  void badConfigExitsOneNamingKeyAndValue(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, """
        storage: { retention: 15days }
        backends:
          p: { type: prometheus, url: 'localhost:9090' }
        routes:
          - windows: [{ newer-than: 1d, backends: [p, missing] }]
        """);
    Result r = run("check", "config", bad.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("storage.retention: bad value \"15days\"")
        .contains("backends.p.url: bad value \"localhost:9090\"")
        .contains("routes[0].windows[0].backends[1]: unknown backend \"missing\"");
  }

  @Test
  void missingFileAndUsageErrors(@TempDir Path dir) {
    Result missing = run("check", "config", dir.resolve("nope.yaml").toString());
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("cannot read");
    assertThat(run("check", "config").exit()).isEqualTo(2);
    assertThat(run("frobnicate").exit()).isEqualTo(2);
  }

  @Test
  void runWithBadConfigOrFlagExitsOne(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "server: { http: nowhere }\n");
    Result r = run("run", "--config", bad.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("server.http: bad value \"nowhere\"");
    Result flag = run("run", "--upstream", "ftp://x");
    assertThat(flag.exit()).isEqualTo(1);
    assertThat(flag.err()).contains("--upstream: bad value \"ftp://x\"");
  }

  @Test
  void versionIsTheBuildVersion() {
    Result r = run("version");
    assertThat(r.exit()).isZero();
    assertThat(r.out().trim()).isEqualTo("promgate " + Version.get());
    assertThat(Version.get()).matches("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?");
  }
}
