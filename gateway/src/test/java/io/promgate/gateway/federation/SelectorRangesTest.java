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
}
