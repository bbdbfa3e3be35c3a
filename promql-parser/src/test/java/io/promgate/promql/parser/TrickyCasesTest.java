package io.promgate.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.promql.ast.BinaryExpr;
import io.promgate.promql.ast.Expr;
import io.promgate.promql.ast.UnaryExpr;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs test-data/parser/tricky.txt: canonical form, operator structure, or the expected error. */
class TrickyCasesTest {
  @Test
  void trickyCases() throws IOException {
    List<String[]> cases = TestData.read("tricky.txt");
    assertThat(cases).hasSizeGreaterThan(100);
    List<String> failures = new ArrayList<>();
    for (String[] c : cases) {
      String query = c[0];
      String want = c[1];
      try {
        Expr e = PromQLParser.parse(query);
        String printed = Printer.print(e);
        if (want.startsWith("!")) {
          failures.add(query + "  parsed as  " + printed + "  [want error: " + want.substring(1) + "]");
        } else if (!printed.equals(want)) {
          failures.add(query + "  printed  " + printed + "  [want: " + want + "]");
        } else if (c.length > 2 && !structure(e).equals(c[2])) {
          failures.add(query + "  structure  " + structure(e) + "  [want: " + c[2] + "]");
        } else if (!PromQLParser.parse(printed).equals(e)) {
          failures.add(query + "  does not round-trip through " + printed);
        }
      } catch (ParseException ex) {
        if (!want.startsWith("!") || !ex.getMessage().contains(want.substring(1))) {
          failures.add(query + "  ->  " + ex.getMessage() + "  [want: " + want + "]");
        }
      }
    }
    assertThat(failures).as("%d of %d cases", failures.size(), cases.size()).isEmpty();
  }

  /** Every binary and unary operation in parentheses, to pin precedence and associativity. */
  static String structure(Expr e) {
    if (e instanceof BinaryExpr b) {
      return "(" + structure(b.lhs()) + " " + b.op().symbol() + (b.returnBool() ? " bool" : "") + " "
          + structure(b.rhs()) + ")";
    }
    if (e instanceof UnaryExpr u) {
      return "(" + (u.negative() ? "-" : "+") + structure(u.expr()) + ")";
    }
    return Printer.print(e);
  }
}
