package io.promgate.model.merge;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.model.Labels;
import io.promgate.model.Series;
import io.promgate.model.SeriesSets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ReplicaDeduplicatorTest {
  static final long STEP = 15_000;

  /** Samples every STEP from 0 to n-1, value = index, skipping indexes in [gapFrom, gapTo). */
  static ArraySeries replica(String replica, int n, long phase, int gapFrom, int gapTo) {
    List<Long> t = new ArrayList<>();
    List<Double> v = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (i >= gapFrom && i < gapTo) {
        continue;
      }
      t.add(i * STEP + phase);
      v.add((double) i);
    }
    return new ArraySeries(Labels.of("__name__", "c", "replica", replica), Samples.longs(t), Samples.doubles(v));
  }

  static Samples dedup(String func, Series... replicas) {
    List<Series> out = SeriesSets.toList(new ReplicaDeduplicator(Set.of("replica"))
        .dedup(SeriesSets.of(List.of(replicas)), func));
    assertThat(out).hasSize(1);
    assertThat((Object) out.get(0).labels()).isEqualTo(Labels.of("__name__", "c"));
    return Samples.drain(out.get(0).iterator());
  }

  @Test
  void sticksToFirstReplicaWhenItIsComplete() {
    Samples got = dedup("", replica("b", 40, 0, 10, 20), replica("a", 40, 0, 0, 0));
    assertThat(got).isEqualTo(Samples.drain(replica("a", 40, 0, 0, 0).iterator()));
  }

  @Test
  void switchesAfterAGapAndSkipsOnlyThePenalty() {
    // a has a gap of 20 samples; b is complete. After a's last sample before the gap (index 9), b is
    // sought with a penalty of 2*STEP, so indexes 10 and 11 are skipped (Thanos' behaviour), then b is used
    // and stays in use after a returns.
    Samples got = dedup("", replica("a", 60, 0, 10, 30), replica("b", 60, 0, 0, 0));
    List<Long> want = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      if (i != 10 && i != 11) {
        want.add(i * STEP);
      }
    }
    assertThat(got.t()).containsExactlyElementsOf(want);
  }

  @Test
  void offsetReplicasAreNotInterleaved() {
    // b scrapes 5s after a: without penalties the output would alternate a, b, a, b at 5s/10s distances.
    Samples got = dedup("", replica("a", 40, 0, 0, 0), replica("b", 40, 5_000, 0, 0));
    assertThat(got.t()).hasSize(40);
    for (int i = 1; i < got.t().size(); i++) {
      assertThat(got.t().get(i) - got.t().get(i - 1)).isEqualTo(STEP);
    }
  }

  @Test
  void counterFunctionsLiftALaggingReplicaOnSwitch() {
    // a counts 0..; b lags by 100 (it was restarted earlier). Switching to b must not look like a reset.
    ArraySeries a = replica("a", 20, 0, 10, 20);
    ArraySeries b0 = replica("b", 20, 0, 0, 0);
    double[] lagged = b0.values().clone();
    for (int i = 0; i < lagged.length; i++) {
      lagged[i] -= 100;
    }
    ArraySeries b = new ArraySeries(b0.labels(), b0.timestamps(), lagged);
    Samples counter = dedup("rate", a, b);
    for (int i = 1; i < counter.v().size(); i++) {
      assertThat(counter.v().get(i)).isGreaterThanOrEqualTo(counter.v().get(i - 1));
    }
    Samples gauge = dedup("", a, b);
    assertThat(gauge.v()).anyMatch(v -> v < 0);
  }

  @Test
  void seriesWithoutReplicaLabelsPassThroughAndDifferentSeriesStaySeparate() {
    ArraySeries x = new ArraySeries(Labels.of("__name__", "x"), new long[] {1}, new double[] {1});
    ArraySeries y = new ArraySeries(Labels.of("__name__", "y", "replica", "a"), new long[] {1}, new double[] {2});
    List<Series> out = SeriesSets.toList(new ReplicaDeduplicator(Set.of("replica", "prometheus_replica"))
        .dedup(SeriesSets.of(List.of(y, x)), ""));
    assertThat(out).extracting(Series::labels)
        .containsExactly(Labels.of("__name__", "x"), Labels.of("__name__", "y"));
  }

  @Test
  void withoutAnyReplicaLabelTheInputIsTheAnswerEvenForCounterFunctions() {
    ArraySeries x = new ArraySeries(Labels.of("__name__", "x"), new long[] {1}, new double[] {1});
    ArraySeries y = new ArraySeries(Labels.of("__name__", "y"), new long[] {1}, new double[] {2});
    List<Series> out = SeriesSets.toList(new ReplicaDeduplicator(Set.of("replica")).dedup(SeriesSets.of(List.of(x, y)),
        "rate"));
    assertThat(out).containsExactly(x, y);
  }

  @Test
  void threeReplicasNest() {
    Samples got = dedup("", replica("a", 60, 0, 10, 60), replica("b", 60, 0, 30, 60), replica("c", 60, 0, 0, 0));
    assertThat(got.t().get(got.t().size() - 1)).isEqualTo(59 * STEP);
    assertThat(got.t()).isSorted().doesNotHaveDuplicates();
  }

  /**
   * Whatever the gaps: output strictly increasing, every sample is a sample of some replica with its value,
   * it never steps closer than the scrape interval minus the phase offset, and every gap of the first
   * replica that the second covers is filled except for at most two samples after the switch.
   */
  @Property(tries = 300)
  void dedupInvariants(@ForAll @IntRange(min = 0, max = 80) int gapA, @ForAll @IntRange(min = 0, max = 30) int lenA,
      @ForAll @IntRange(min = 0, max = 80) int gapB, @ForAll @IntRange(min = 0, max = 30) int lenB,
      @ForAll @IntRange(min = 0, max = 7_000) int phase) {
    int n = 100;
    ArraySeries a = replica("a", n, 0, gapA, gapA + lenA);
    ArraySeries b = replica("b", n, phase, gapB, gapB + lenB);
    Samples got = dedup("", a, b);
    for (int i = 0; i < got.t().size(); i++) {
      long t = got.t().get(i);
      double v = got.v().get(i);
      assertThat(v).isEqualTo((double) ((t - (t % STEP)) / STEP));
      // The first pair is exempt: before any distance is known the penalty is Thanos' fixed 5s, so a
      // replica more than 5s behind is emitted once.
      if (i > 1) {
        assertThat(t - got.t().get(i - 1)).isGreaterThanOrEqualTo(STEP - phase);
      }
    }
    // Every index present in either replica, except up to 2 after each switch, is present in the output --
    // when the replicas' gaps are apart. A switch penalises the other replica with twice the distance
    // jumped, gap included, so a second gap right after the first loses more (a known limit of Thanos'
    // algorithm, which measures distances from the last sample rather than the scrape interval: issue 981).
    boolean apart = lenA == 0 || lenB == 0 || gapB >= gapA + 3 * lenA + 4 || gapA >= gapB + 3 * lenB + 4;
    if (!apart) {
      return;
    }
    java.util.Set<Long> idx = new java.util.HashSet<>();
    for (long t : got.t()) {
      idx.add(t / STEP);
    }
    int missing = 0;
    for (int i = 0; i < n; i++) {
      boolean inA = i < gapA || i >= gapA + lenA;
      boolean inB = i < gapB || i >= gapB + lenB;
      if ((inA || inB) && !idx.contains((long) i)) {
        missing++;
      }
    }
    assertThat(missing).isLessThanOrEqualTo(4);
  }
}
