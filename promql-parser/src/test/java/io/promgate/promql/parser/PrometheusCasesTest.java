package io.promgate.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.promql.ast.Expr;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Prometheus' own parser test inputs: valid ones parse and round-trip, invalid ones fail with its message. */
class PrometheusCasesTest {
  @Test
  void validQueriesParseAndRoundTrip() throws IOException {
    List<String> failures = new ArrayList<>();
    List<String[]> cases = TestData.read("prometheus-valid.txt");
    for (String[] c : cases) {
      try {
        Expr e = PromQLParser.parse(c[0]);
        String printed = Printer.print(e);
        if (!PromQLParser.parse(printed).equals(e)) {
          failures.add(c[0] + "  printed as  " + printed + "  parses differently");
        }
      } catch (ParseException ex) {
        failures.add(c[0] + "  ->  " + ex.getMessage());
      }
    }
    assertThat(failures).as("%d of %d", failures.size(), cases.size()).isEmpty();
  }

  @Test
  void invalidQueriesFailWithPrometheusMessage() throws IOException {
    List<String> failures = new ArrayList<>();
    List<String[]> cases = TestData.read("prometheus-errors.txt");
    for (String[] c : cases) {
      try {
        Expr e = PromQLParser.parse(c[0]);
        failures.add(c[0] + "  parsed as  " + Printer.print(e));
      } catch (ParseException ex) {
        if (!ex.getMessage().contains(c[1])) {
          failures.add(c[0] + "  ->  " + ex.getMessage() + "   [want: " + c[1] + "]");
        }
      }
    }
    assertThat(failures).as("%d of %d", failures.size(), cases.size()).isEmpty();
  }
}
