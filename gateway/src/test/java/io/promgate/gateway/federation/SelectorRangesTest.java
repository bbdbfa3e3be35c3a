package io.promgate.gateway.federation;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.promql.parser.PromQLParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelectorRangesTest {
  static final long T = 10_000_000;
  static final long LB = 300_000;

  static List<SelectorRanges.Use> of(String q, long start, long end) {
    return SelectorRanges.of(PromQLParser.parse(q), start, end, LB);
  }

  @Test
  void instantSelectorReadsTheLookbackLeftOpen() {
    SelectorRanges.Use u = of("up", T, T).get(0);
    assertThat(u.startMs()).isEqualTo(T - LB + 1);
    assertThat(u.endMs()).isEqualTo(T);
  }

  @Test
  void rangeOffsetAndAt() {
    assertThat(of("rate(x[5m] offset 1h)", T, T + 60_000).get(0))
        .satisfies(u -> {
          assertThat(u.startMs()).isEqualTo(T - 3_600_000 - 300_000 + 1);
          assertThat(u.endMs()).isEqualTo(T + 60_000 - 3_600_000);
          assertThat(u.func()).isEqualTo("rate");
        });
    assertThat(of("x @ 100", T, T + 60_000).get(0)).satisfies(u -> {
      assertThat(u.startMs()).isEqualTo(100_000 - LB + 1);
      assertThat(u.endMs()).isEqualTo(100_000);
    });
  }

  @Test
  void subqueriesWidenTheRangeAndSameMatchersJoin() {
    List<SelectorRanges.Use> uses = of("max_over_time(rate(x[1m])[10m:1m]) + x", T, T);
    assertThat(uses).hasSize(1);
    assertThat(uses.get(0).startMs()).isEqualTo(T - 600_000 - 60_000 + 1);
    assertThat(uses.get(0).endMs()).isEqualTo(T);
    assertThat(uses.get(0).func()).isEqualTo("rate");
    assertThat(of("sum(x) / sum(y)", T, T)).hasSize(2);
  }

  /** Our ranges (which also carry the enclosing function) agree with the parser's analysis helper. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {
      "up", "rate(x[5m] offset 1h)", "x @ 100", "max_over_time(rate(x[1m])[10m:1m]) + x",
      "sum(rate(x[5m] @ start())) / sum(y offset -5m)", "avg_over_time(x[1h:5m] @ end() offset 10m)",
      "max_over_time(max_over_time(x[2m])[30m:])[1h:10m]"})
  void agreesWithTheParsersSelectorRanges(String q) {
    var expr = PromQLParser.parse(q);
    long start = T;
    long end = T + 3_600_000;
    java.util.Map<java.util.List<io.promgate.model.LabelMatcher>, long[]> want = new java.util.HashMap<>();
    for (var r : io.promgate.promql.analysis.SelectorRanges.of(expr, start, end, LB)) {
      want.merge(r.selector().matchers(), new long[] {r.minTime(), r.maxTime()},
          (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
    }
    List<SelectorRanges.Use> got = SelectorRanges.of(expr, start, end, LB);
    assertThat(got).hasSize(want.size());
    for (SelectorRanges.Use u : got) {
      assertThat(new long[] {u.startMs(), u.endMs()}).as(q + " " + u.matchers()).containsExactly(want.get(u.matchers()));
    }
  }

  @Test
  void infoAlsoFetchesItsInfoMetricsOverTheLookback() {
    List<SelectorRanges.Use> uses = of("info(up)", T, T + 60_000);
    assertThat(uses).extracting(u -> u.matchers().toString())
        .containsExactly("[__name__=\"up\"]", "[__name__=\"target_info\"]");
    assertThat(uses.get(1).startMs()).isEqualTo(T - LB + 1);
    assertThat(uses.get(1).endMs()).isEqualTo(T + 60_000);
  }
}
