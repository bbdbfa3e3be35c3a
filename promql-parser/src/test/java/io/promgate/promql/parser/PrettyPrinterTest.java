package io.promgate.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** format_query output against Prometheus' prettier_test.go cases (test-data/parser/pretty.txt). */
class PrettyPrinterTest {
  @Test
  void matchesPrometheusPrettier() throws IOException {
    List<String[]> cases = TestData.read("pretty.txt");
    assertThat(cases).hasSizeGreaterThan(50);
    List<String> failures = new ArrayList<>();
    for (String[] c : cases) {
      String got;
      try {
        got = new PrettyPrinter(Integer.parseInt(c[0])).pretty(PromQLParser.parse(c[1]), 0);
      } catch (ParseException e) {
        got = "error: " + e.getMessage();
      }
      if (!got.equals(c[2])) {
        failures.add(c[1] + "\n--- got:\n" + got + "\n--- want:\n" + c[2]);
      }
    }
    assertThat(failures).as("%d of %d", failures.size(), cases.size()).isEmpty();
  }

  @Test
  void shortQueriesAreTheOneLineForm() {
    String q = "sum by (job) (rate(http_requests_total[5m]))";
    assertThat(Printer.pretty(PromQLParser.parse(q))).isEqualTo(q);
  }
}
