package io.promgate.promql.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.model.LabelMatcher;
import io.promgate.promql.parser.Printer;
import io.promgate.promql.parser.PromQLParser;
import org.junit.jupiter.api.Test;

class MatcherInjectorTest {
  private static String inject(String q) {
    return Printer.print(MatcherInjector.inject(PromQLParser.parse(q), LabelMatcher.eq("tenant", "a")));
  }

  @Test
  void addsTheMatcherToEverySelector() {
    assertThat(inject("sum by (job) (rate(http_requests_total[5m])) / on (job) group_left up"))
        .isEqualTo("sum by (job) (rate(http_requests_total{tenant=\"a\"}[5m])) / on (job) group_left () up{tenant=\"a\"}");
    assertThat(inject("max_over_time(foo[1h:5m] offset 1m)")).isEqualTo("max_over_time(foo{tenant=\"a\"}[1h:5m] offset 1m)");
    assertThat(inject("{__name__=~\"a|b\"} @ 100")).isEqualTo("{__name__=~\"a|b\",tenant=\"a\"} @ 100.000");
  }

  @Test
  void replacesWhatTheUserWroteForThatLabel() {
    assertThat(inject("up{tenant=\"b\",job=\"x\"} or up{tenant=~\".*\"}"))
        .isEqualTo("up{job=\"x\",tenant=\"a\"} or up{tenant=\"a\"}");
    assertThat(inject("count(up{tenant!=\"a\"})")).isEqualTo("count(up{tenant=\"a\"})");
  }

  @Test
  void resultStillParsesToTheSameTree() {
    var injected = MatcherInjector.inject(PromQLParser.parse("rate(x{a=\"1\"}[5m]) * on() group_left vector(1)"),
        LabelMatcher.eq("tenant", "a"));
    assertThat(PromQLParser.parse(Printer.print(injected))).isEqualTo(injected);
  }
}
