package io.promgate.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.tsdb.AppendResult;
import io.promgate.tsdb.SeriesSamples;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link SeriesHint}: the remote-write decoder shares one hint per label set between all tenants; a hint
 * must never lead an append into another head's series or into a series that head truncation dropped.
 */
class SeriesHintTest {
  private static final Labels UP = Labels.of("__name__", "up", "job", "a");

  private static AppendResult append(Head h, SeriesHint hint, long t, double v) {
    PreparedAppend p = h.prepare(List.of(new SeriesSamples(UP, new long[] {t}, new double[] {v}, hint)), List.of());
    h.commit(p);
    return p.result();
  }

  private static List<long[]> stored(Head h) {
    List<io.promgate.model.Series> s = HeadTest.select(h, Long.MIN_VALUE, Long.MAX_VALUE, LabelMatcher.eq("job", "a"));
    return s.isEmpty() ? List.of() : HeadTest.samples(s.get(0));
  }

  @Test
  void hintFindsTheSeriesWithoutCreatingAnother() {
    Head h = new Head(Head.Options.DEFAULT);
    SeriesHint hint = new SeriesHint(UP);
    assertThat(append(h, hint, 1000, 1).accepted()).isEqualTo(1);
    MemSeries first = hint.series;
    assertThat(first).isNotNull();
    assertThat(append(h, hint, 2000, 2).accepted()).isEqualTo(1);
    assertThat(append(h, null, 3000, 3).accepted()).isEqualTo(1); // no hint: the lookup finds the same series
    assertThat(hint.series).isSameAs(first);
    assertThat(h.numSeries()).isEqualTo(1);
    assertThat(stored(h)).hasSize(3);
    // Out of order is still refused through the hint: validation runs on the series it found.
    assertThat(append(h, hint, 1500, 9).accepted()).isZero();
  }

  @Test
  void hintSharedByTwoTenantsKeepsThemApart() {
    Head a = new Head(Head.Options.DEFAULT);
    Head b = new Head(Head.Options.DEFAULT);
    SeriesHint hint = new SeriesHint(UP);
    for (int i = 1; i <= 5; i++) {
      assertThat(append(a, hint, i * 1000L, i).accepted()).isEqualTo(1);
      assertThat(append(b, hint, i * 1000L + 1, -i).accepted()).isEqualTo(1);
    }
    List<long[]> inA = stored(a);
    List<long[]> inB = stored(b);
    assertThat(inA).hasSize(5).allSatisfy(s -> assertThat(s[0] % 1000).isZero());
    assertThat(inB).hasSize(5).allSatisfy(s -> assertThat(s[0] % 1000).isEqualTo(1));
    assertThat(Double.longBitsToDouble(inB.get(4)[1])).isEqualTo(-5);
  }

  @Test
  void hintToATruncatedSeriesIsNotUsed() {
    Head h = new Head(Head.Options.DEFAULT);
    SeriesHint hint = new SeriesHint(UP);
    append(h, hint, 1000, 1);
    MemSeries dropped = hint.series;
    assertThat(h.truncateBefore(5000)).isEqualTo(1);
    assertThat(h.numSeries()).isZero();
    assertThat(append(h, hint, 6000, 6).accepted()).isEqualTo(1);
    assertThat(hint.series).isNotSameAs(dropped);
    assertThat(dropped.removed).isTrue();
    assertThat(h.numSeries()).isEqualTo(1);
    assertThat(stored(h)).hasSize(1);
    assertThat(stored(h).get(0)[0]).isEqualTo(6000);
  }

  @Test
  void hintMustBeForTheSameLabels() {
    SeriesHint hint = new SeriesHint(UP);
    assertThatThrownBy(() -> new SeriesSamples(Labels.of("__name__", "up", "job", "a"), new long[] {1},
        new double[] {1}, hint)).isInstanceOf(IllegalArgumentException.class);
  }
}
