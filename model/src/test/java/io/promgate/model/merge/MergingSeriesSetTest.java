package io.promgate.model.merge;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.model.Labels;
import io.promgate.model.Series;
import io.promgate.model.SeriesSet;
import io.promgate.model.SeriesSets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class MergingSeriesSetTest {
  private static ArraySeries s(String job, long... ts) {
    double[] v = new double[ts.length];
    for (int i = 0; i < ts.length; i++) {
      v[i] = ts[i];
    }
    return new ArraySeries(Labels.of("__name__", "up", "job", job), ts, v);
  }

  @Test
  void mergesByLabelsAndJoinsEqualSeriesAndWarnings() {
    SeriesSet a = SeriesSets.of(List.of(s("a", 1, 2), s("c", 5)), List.of("w1"));
    SeriesSet b = SeriesSets.of(List.of(s("b", 1), s("c", 6)), List.of("w2"));
    SeriesSet m = MergingSeriesSet.of(List.of(a, b));
    List<Series> out = SeriesSets.toList(m);
    assertThat(out).extracting(x -> x.labels().get("job")).containsExactly("a", "b", "c");
    assertThat(Samples.drain(out.get(2).iterator()).t()).containsExactly(5L, 6L);
    assertThat(m.warnings()).containsExactly("w1", "w2");
  }

  @Test
  void emptyAndSingleInputs() {
    assertThat(MergingSeriesSet.of(List.of()).next()).isFalse();
    SeriesSet one = SeriesSets.of(List.of(s("a", 1)));
    assertThat(MergingSeriesSet.of(List.of(one))).isSameAs(one);
  }

  @Property(tries = 200)
  void outputIsSortedUniqueAndHoldsEverySample(@ForAll @IntRange(min = 1, max = 5) int inputs,
      @ForAll @IntRange(min = 0, max = 30) int seriesCount, @ForAll long seed) {
    Random r = new Random(seed);
    TreeMap<Labels, TreeSet<Long>> truth = new TreeMap<>();
    List<TreeMap<Labels, TreeSet<Long>>> perInput = new ArrayList<>();
    for (int i = 0; i < inputs; i++) {
      perInput.add(new TreeMap<>());
    }
    for (int k = 0; k < seriesCount; k++) {
      Labels l = Labels.of("__name__", "m", "i", Integer.toString(r.nextInt(12)));
      long t = r.nextInt(100);
      truth.computeIfAbsent(l, x -> new TreeSet<>()).add(t);
      perInput.get(r.nextInt(inputs)).computeIfAbsent(l, x -> new TreeSet<>()).add(t);
    }
    List<SeriesSet> sets = new ArrayList<>();
    for (TreeMap<Labels, TreeSet<Long>> in : perInput) {
      List<Series> list = new ArrayList<>();
      in.forEach((l, ts) -> {
        long[] t = ts.stream().mapToLong(Long::longValue).toArray();
        list.add(new ArraySeries(l, t, new double[t.length]));
      });
      sets.add(SeriesSets.of(list));
    }
    List<Series> out = SeriesSets.toList(MergingSeriesSet.of(sets));
    assertThat(out).extracting(Series::labels).containsExactlyElementsOf(truth.keySet());
    for (Series s : out) {
      assertThat(Samples.drain(s.iterator()).t()).containsExactlyElementsOf(truth.get(s.labels()));
    }
  }
}
