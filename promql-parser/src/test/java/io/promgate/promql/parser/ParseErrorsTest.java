package io.promgate.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/** Error positions: 1-based line and column (UTF-8 bytes, as Prometheus counts), and the message text. */
class ParseErrorsTest {
  private static ParseException fail(String q) {
    return catchThrowableOfType(ParseException.class, () -> PromQLParser.parse(q));
  }

  @Test
  void messageHasPrometheusShape() {
    ParseException e = fail("foo +");
    assertThat(e.getMessage()).isEqualTo("1:6: parse error: unexpected end of input");
    assertThat(e.line()).isEqualTo(1);
    assertThat(e.column()).isEqualTo(6);
    assertThat(e.position()).isEqualTo(5);
    assertThat(e.detail()).isEqualTo("unexpected end of input");
  }

  @Test
  void linesAndColumnsAcrossNewlines() {
    ParseException e = fail("sum(\n  rate(foo[5m]\n");
    assertThat(e.getMessage()).isEqualTo("3:1: parse error: unclosed left parenthesis");
    e = fail("sum by (job) (\n  rate(x[5m])\n) > bool\n  foo bar");
    assertThat(e.getMessage()).isEqualTo("4:7: parse error: unexpected identifier \"bar\"");
    e = fail("up\n  # a comment\n  + rate(up)");
    assertThat(e.getMessage())
        .isEqualTo("3:10: parse error: expected type range vector in call to function \"rate\", got instant vector");
  }

  @Test
  void columnsCountUtf8BytesLikePrometheus() {
    ParseException e = fail("up{a=\"é\"} + on(x) group_left(x) b");
    assertThat(e.getMessage()).isEqualTo("1:12: parse error: label \"x\" must not occur in ON and GROUP clause at once");
    assertThat(e.position()).isEqualTo(10);
  }

  @Test
  void lexerErrorsPointAtTheBadCharacter() {
    assertThat(fail("foo{a=\"b\", c.d=\"e\"}").getMessage())
        .isEqualTo("1:13: parse error: unexpected character inside braces: '.'");
    assertThat(fail("foo ~ bar").getMessage()).isEqualTo("1:5: parse error: unexpected character: '~'");
    assertThat(fail("foo[5m x]").getMessage())
        .isEqualTo("1:8: parse error: unexpected character in duration expression: 'x'");
    assertThat(fail("rate(foo[5m]))").getMessage()).isEqualTo("1:15: parse error: unexpected right parenthesis ')'");
    assertThat(fail("foo =~ bar").getMessage()).isEqualTo("1:5: parse error: unexpected character after '=': '~'");
  }

  @Test
  void anEarlierSyntaxErrorWinsOverALaterLexicalOne() {
    assertThat(fail("foo bar {a=\"b\" .").getMessage()).isEqualTo("1:5: parse error: unexpected identifier \"bar\"");
  }

  @Test
  void syntaxErrorsNameTheContext() {
    assertThat(fail("foo{a}").detail()).isEqualTo("unexpected \"}\" in label matching, expected label matching operator");
    assertThat(fail("foo{a=b}").detail()).isEqualTo("unexpected identifier \"b\" in label matching, expected string");
    assertThat(fail("sum by job (foo)").detail()).isEqualTo("unexpected identifier \"job\" in grouping opts, expected \"(\"");
    assertThat(fail("foo offset bar").detail()).isEqualTo("unexpected identifier \"bar\" in offset, expected number or duration");
    assertThat(fail("foo @ bar").detail()).isEqualTo("unexpected identifier \"bar\" in @, expected timestamp");
    assertThat(fail("foo[5m:1m:1m]").detail()).isEqualTo("unexpected \":\" in subquery selector, expected \"]\"");
  }

  @Test
  void positionsOfAstNodesPrintAsPrometheusDoes() {
    String q = "sum(\n  rate(\"é\"=~\"x\"}[5m]))";
    assertThat(Positions.lineColumn(q, q.indexOf("rate"))).isEqualTo("2:3");
    assertThat(Positions.lineColumn("é + foo", 4)).isEqualTo("1:6");
    assertThat(Positions.lineColumn("", 0)).isEqualTo("unknown position");
    assertThat(Positions.lineColumn("foo", 9)).isEqualTo("invalid position");
  }

  @Test
  void metricSelectorsAndDurationsHaveTheirOwnEntryPoints() {
    assertThat(PromQLParser.parseMetricSelector("up{job=\"x\"}")).hasSize(2);
    assertThat(PromQLParser.parseMetricSelector("{\"a.b\"}").get(0).name()).isEqualTo("__name__");
    assertThat(catchThrowableOfType(ParseException.class, () -> PromQLParser.parseMetricSelector("up + 1"))).isNotNull();
    assertThat(PromQLParser.parseDuration("1h30m")).isEqualTo(5_400_000);
    assertThat(PromQLParser.parseDuration("1.5")).isEqualTo(1_500);
    assertThat(PromQLParser.parseDuration("5m+1m")).isEqualTo(360_000);
    assertThat(catchThrowableOfType(ParseException.class, () -> PromQLParser.parseDuration("5x"))).isNotNull();
  }
}
