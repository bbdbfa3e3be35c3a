package io.promgate.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.promgate.promql.ast.BinaryExpr;
import io.promgate.promql.ast.Expr;
import io.promgate.promql.ast.ExprType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Machine-generated queries: thousands of "or" terms or deep nesting parse (with a bigger stack when
 * needed, as Prometheus' growing Go stacks allow) in linear time, and print back.
 */
class LargeQueriesTest {
  @Test
  void longOperatorChainsParseInLinearTime() {
    String q = "up{job=\"a\"}" + " or up{job=\"b\"}".repeat(5000);
    Expr e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> PromQLParser.parse(q));
    assertThat(e).isInstanceOf(BinaryExpr.class);
    assertThat(Printer.print(e)).isEqualTo(q.replace("or up", "or up"));
    String scalars = "1" + " + 1".repeat(5000);
    Expr s = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> PromQLParser.parse(scalars));
    assertThat(s.type()).isEqualTo(ExprType.SCALAR);
  }

  @Test
  void deepNestingParses() {
    String q = "(".repeat(3000) + "sum(rate(x[5m]))" + ")".repeat(3000);
    Expr e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> PromQLParser.parse(q));
    assertThat(Printer.print(e)).isEqualTo(q);
    assertThat(Printer.pretty(e)).startsWith("(\n  (\n");
  }
}
