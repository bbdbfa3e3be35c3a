package io.promgate.promql.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.promql.parser.PromQLParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelectorRangesTest {
  private static final long S = 1_000_000; // query start (ms)
  private static final long E = 2_000_000; // query end (ms)
  private static final long LB = 300_000; // 5m lookback

  private static List<long[]> ranges(String q) {
    return SelectorRanges.of(PromQLParser.parse(q), S, E, LB).stream()
        .map(r -> new long[] {r.minTime(), r.maxTime()}).toList();
  }

  @Test
  void instantSelectorLooksBackOneMsLessThanLookback() {
    assertThat(ranges("foo")).containsExactly(new long[] {S - LB + 1, E});
  }

  @Test
  void rangeAndOffsetShiftTheWindow() {
    assertThat(ranges("rate(foo[5m] offset 1m)")).containsExactly(new long[] {S - 60_000 - 300_000 + 1, E - 60_000});
    assertThat(ranges("foo offset -1m")).containsExactly(new long[] {S + 60_000 - LB + 1, E + 60_000});
  }

  @Test
  void atPinsTheSelector() {
    assertThat(ranges("foo @ 100")).containsExactly(new long[] {100_000 - LB + 1, 100_000});
    assertThat(ranges("foo[1m] @ end() offset 1m")).containsExactly(new long[] {E - 60_000 - 60_000 + 1, E - 60_000});
    assertThat(ranges("foo @ start()")).containsExactly(new long[] {S - LB + 1, S});
  }

  @Test
  void subqueriesAddTheirRangeAndOffset() {
    assertThat(ranges("max_over_time(rate(foo[1m])[10m:1m] offset 5m)"))
        .containsExactly(new long[] {S - 300_000 - 600_000 - 60_000 + 1, E - 300_000});
    // nested: ranges and offsets of both subqueries add up
    assertThat(ranges("max_over_time(max_over_time(max_over_time(foo[2m:])[10m:] offset 1m)[1h:] offset 1h)"))
        .containsExactly(new long[] {S - 3_600_000 - 60_000 - 3_600_000 - 600_000 - 120_000 - LB + 1,
            E - 3_600_000 - 60_000});
  }

  @Test
  void atOnASubqueryResetsOuterContributions() {
    assertThat(ranges("max_over_time(max_over_time(max_over_time(foo[2m:])[10m:] @ 500)[1h:] offset 1h)"))
        .containsExactly(new long[] {500_000 - 600_000 - 120_000 - LB + 1, 500_000});
  }

  @Test
  void minMaxCoversAllSelectorsAndIsZeroWithoutSelectors() {
    long[] mm = SelectorRanges.minMax(PromQLParser.parse("foo offset 1h + rate(bar[10m])"), S, E, LB);
    assertThat(mm).containsExactly(S - 3_600_000 - LB + 1, E);
    assertThat(SelectorRanges.minMax(PromQLParser.parse("1 + time()"), S, E, LB)).containsExactly(0, 0);
  }
}
