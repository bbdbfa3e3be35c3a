package io.promgate.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.promql.ast.Expr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every expression of the upstream promqltest scripts parses, and print → parse gives the same AST.
 * (The scripts' eval_fail cases fail at evaluation, not at parse time; parse-error cases are pinned in
 * ParseErrorsTest.)
 */
class ConformanceScriptsTest {
  private static final Pattern EVAL = Pattern.compile(
      "^eval(?:_fail|_warn|_info|_ordered)?\\s+(?:instant\\s+at\\s+\\S+|range\\s+from\\s+\\S+\\s+to\\s+\\S+\\s+step\\s+\\S+)\\s+(.+)$");

  record Case(String where, String query) {
  }

  static List<Case> cases() throws IOException {
    String dir = System.getProperty("promgate.conformance.dir", "../../shared/conformance");
    Path scripts = Path.of(dir, "promqltest");
    Assumptions.assumeTrue(Files.isDirectory(scripts), "conformance scripts not found at " + scripts.toAbsolutePath());
    List<Case> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(scripts)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".test")).sorted().toList()) {
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          Matcher m = EVAL.matcher(lines.get(i).strip());
          if (m.matches()) {
            out.add(new Case(f.getFileName() + ":" + (i + 1), m.group(1)));
          }
        }
      }
    }
    return out;
  }

  @Test
  void everyScriptExpressionParsesAndRoundTrips() throws IOException {
    List<Case> cases = cases();
    assertThat(cases).hasSizeGreaterThan(1000);
    List<String> failures = new ArrayList<>();
    for (Case c : cases) {
      try {
        Expr e = PromQLParser.parse(c.query());
        String printed = Printer.print(e);
        Expr again = PromQLParser.parse(printed);
        if (!again.equals(e)) {
          failures.add(c.where() + " round trip differs: " + c.query() + "  printed: " + printed);
        }
      } catch (ParseException ex) {
        failures.add(c.where() + " " + c.query() + "  -> " + ex.getMessage());
      }
    }
    assertThat(failures).as("%d of %d expressions", failures.size(), cases.size()).isEmpty();
  }
}
