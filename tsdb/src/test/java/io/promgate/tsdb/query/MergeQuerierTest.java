package io.promgate.tsdb.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.Querier;
import io.promgate.model.SampleIterator;
import io.promgate.model.SelectHints;
import io.promgate.model.Series;
import io.promgate.model.SeriesSet;
import io.promgate.model.SeriesSets;
import io.promgate.model.ValueType;
import io.promgate.model.chunk.XorChunk;
import io.promgate.model.chunk.XorChunksIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MergeQuerierTest {
  static Querier of(Map<Labels, long[]> series) {
    return new Querier() {
      @Override
      public SeriesSet select(boolean sort, SelectHints hints, List<LabelMatcher> ms) {
        List<Series> out = new ArrayList<>();
        series.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
          long[] ts = e.getValue();
          double[] vs = new double[ts.length];
          for (int i = 0; i < ts.length; i++) {
            vs[i] = ts[i] / 10.0 + (series.size() == 1 ? 0.01 : 0);
          }
          XorChunk c = XorChunk.encode(ts, vs);
          out.add(new Series() {
            @Override
            public Labels labels() {
              return e.getKey();
            }

            @Override
            public SampleIterator iterator() {
              return new XorChunksIterator(List.of(c));
            }
          });
        });
        return SeriesSets.of(out);
      }

      @Override
      public List<String> labelValues(String name, List<LabelMatcher> ms) {
        return series.keySet().stream().map(l -> l.get(name)).filter(v -> !v.isEmpty()).sorted().toList();
      }

      @Override
      public List<String> labelNames(List<LabelMatcher> ms) {
        return List.of("__name__", "a");
      }
    };
  }

  static List<String> samples(Series s, Long seekTo) {
    List<String> out = new ArrayList<>();
    SampleIterator it = s.iterator();
    ValueType vt = seekTo == null ? it.next() : it.seek(seekTo);
    while (vt == ValueType.FLOAT) {
      out.add(it.timestamp() + "=" + it.value());
      vt = it.next();
    }
    return out;
  }

  @Test
  void seriesInSeveralSourcesAreMergedByTimestampFirstSourceWinningTies() {
    Labels x = Labels.of("__name__", "x", "a", "1");
    Labels y = Labels.of("__name__", "y", "a", "2");
    Querier block = of(Map.of(x, new long[] {10, 20, 30}, y, new long[] {5}));
    Querier head = of(Map.of(x, new long[] {30, 40}));
    List<Series> got = SeriesSets.toList(new MergeQuerier(List.of(block, head))
        .select(true, SelectHints.ofRange(0, 100), List.of(LabelMatcher.eq("a", "1"))));
    assertThat(got).extracting(Series::labels).containsExactly(x, y);
    assertThat(samples(got.get(0), null)).containsExactly("10=1.0", "20=2.0", "30=3.0", "40=4.01");
    assertThat(samples(got.get(0), 25L)).containsExactly("30=3.0", "40=4.01");
    assertThat(samples(got.get(0), 40L)).containsExactly("40=4.01");
    assertThat(samples(got.get(0), 41L)).isEmpty();
    assertThat(new MergeQuerier(List.of(block, head)).labelValues("a", List.of())).containsExactly("1", "2");
  }

  @Test
  void interleavedSourcesComeOutSortedOnceEachAndAnEmptySourceChangesNothing() {
    Labels a = Labels.of("__name__", "m", "i", "a");
    Labels b = Labels.of("__name__", "m", "i", "b");
    Labels c = Labels.of("__name__", "m", "i", "c");
    Labels d = Labels.of("__name__", "m", "i", "d");
    Querier q1 = of(Map.of(a, new long[] {1}, c, new long[] {1, 2}));
    Querier q2 = of(Map.of(b, new long[] {1}, c, new long[] {3}, d, new long[] {1}));
    Querier none = of(Map.of());
    List<Series> got = SeriesSets.toList(new MergeQuerier(List.of(q1, none, q2))
        .select(true, SelectHints.ofRange(0, 100), List.of()));
    assertThat(got).extracting(Series::labels).containsExactly(a, b, c, d);
    assertThat(samples(got.get(2), null)).containsExactly("1=0.1", "2=0.2", "3=0.3");

    SeriesSet onlyOne = new MergeQuerier(List.of(none, q2)).select(true, SelectHints.ofRange(0, 100), List.of());
    assertThat(SeriesSets.toList(onlyOne)).extracting(Series::labels).containsExactly(b, c, d);
    assertThat(SeriesSets.toList(new MergeQuerier(List.of(none, none))
        .select(true, SelectHints.ofRange(0, 100), List.of()))).isEmpty();
  }
}
