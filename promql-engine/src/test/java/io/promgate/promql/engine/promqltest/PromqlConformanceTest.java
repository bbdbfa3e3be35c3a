package io.promgate.promql.engine.promqltest;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.promql.parser.PromQLParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every eval of the promqltest scripts as one JUnit test named {@code file:line}: our own scripts in
 * {@code test-data/promqltest} and Prometheus 3.5's in the shared conformance folder (skipped, with the path
 * tried, when that folder is absent). Evals listed in {@code known-failures.txt} are reported as skipped.
 */
class PromqlConformanceTest {
  private static final PromqlTestRunner RUNNER = new PromqlTestRunner(PromQLParser::parse);

  @TestFactory
  Stream<DynamicNode> ownScripts() throws IOException {
    Path dir = root().resolve("test-data/promqltest");
    assertThat(dir).as("own promqltest scripts").isDirectory();
    return scripts(dir);
  }

  @TestFactory
  Stream<DynamicNode> conformanceScripts() throws IOException {
    String prop = System.getProperty("promgate.conformance.dir");
    Path dir = (prop != null ? Paths.get(prop) : root().resolve("../shared/conformance")).resolve("promqltest")
        .toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      System.out.println("promqltest conformance scripts not found, skipping: " + dir);
      Assumptions.abort("conformance scripts not found at " + dir);
    }
    return scripts(dir);
  }

  private static Path root() {
    String r = System.getProperty("promgate.root");
    return r != null ? Paths.get(r) : Paths.get("..").toAbsolutePath().normalize();
  }

  private static Stream<DynamicNode> scripts(Path dir) throws IOException {
    Map<String, String> known = knownFailures();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".test")).sorted().toList();
    }
    List<DynamicNode> nodes = new ArrayList<>();
    for (Path f : files) {
      PromqlTestRunner.FileResult r = RUNNER.runFile(f);
      List<DynamicTest> tests = new ArrayList<>();
      if (r.error() != null) {
        tests.add(DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
          throw new AssertionError(r.error());
        }));
      }
      for (EvalOutcome o : r.outcomes()) {
        tests.add(DynamicTest.dynamicTest(o.id() + " " + o.expr(), () -> {
          switch (o.status()) {
            case SKIPPED -> Assumptions.abort("skipped: " + o.message());
            case FAILED -> {
              if (known.containsKey(o.id())) {
                Assumptions.abort("known failure (" + known.get(o.id()) + "): " + o.message());
              }
              throw new AssertionError(o.id() + " " + o.expr() + ": " + o.message());
            }
            case PASSED -> {
              if (known.containsKey(o.id())) {
                throw new AssertionError(o.id() + " passes but is listed in known-failures.txt: remove it");
              }
            }
          }
        }));
      }
      System.out.println(f.getFileName() + ": " + r.passed() + " passed, " + r.failed() + " failed, "
          + r.skipped() + " skipped");
      nodes.add(DynamicContainer.dynamicContainer(f.getFileName().toString(), tests));
    }
    return nodes.stream();
  }

  /** file:line → reason, from known-failures.txt ("file:line  # reason" per line). */
  private static Map<String, String> knownFailures() throws IOException {
    Map<String, String> m = new HashMap<>();
    try (InputStream in = PromqlConformanceTest.class.getResourceAsStream("/known-failures.txt")) {
      if (in == null) {
        return m;
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
          continue;
        }
        int hash = l.indexOf('#');
        String id = (hash < 0 ? l : l.substring(0, hash)).strip();
        m.put(id, hash < 0 ? "" : l.substring(hash + 1).strip());
      }
    }
    return m;
  }
}
