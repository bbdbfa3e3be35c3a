package io.promgate.tsdb.query;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.Querier;
import io.promgate.model.SampleIterator;
import io.promgate.model.SelectHints;
import io.promgate.model.Series;
import io.promgate.model.SeriesSet;
import io.promgate.model.SeriesSets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A tenant's view over its blocks and its head, as Prometheus' merge querier: series with the same labels
 * in several sources become one series whose samples are merged by timestamp (the first source wins a
 * tie). Blocks do not overlap each other in normal operation, but a block and the head may briefly hold the
 * same samples (between the block becoming durable and the head dropping them), which the tie rule hides.
 */
public final class MergeQuerier implements Querier {
  private final List<Querier> queriers;

  public MergeQuerier(List<Querier> queriers) {
    this.queriers = List.copyOf(queriers);
  }

  @Override
  public SeriesSet select(boolean sortSeries, SelectHints hints, List<LabelMatcher> matchers) {
    if (queriers.size() == 1) {
      return queriers.get(0).select(sortSeries, hints, matchers);
    }
    TreeMap<Labels, List<Series>> byLabels = new TreeMap<>();
    List<String> warnings = new ArrayList<>();
    for (Querier q : queriers) {
      SeriesSet set = q.select(true, hints, matchers);
      while (set.next()) {
        Series s = set.at();
        byLabels.computeIfAbsent(s.labels(), k -> new ArrayList<>(2)).add(s);
      }
      warnings.addAll(set.warnings());
    }
    List<Series> out = new ArrayList<>(byLabels.size());
    for (Map.Entry<Labels, List<Series>> e : byLabels.entrySet()) {
      List<Series> parts = e.getValue();
      if (parts.size() == 1) {
        out.add(parts.get(0));
      } else {
        Labels l = e.getKey();
        out.add(new Series() {
          @Override
          public Labels labels() {
            return l;
          }

          @Override
          public SampleIterator iterator() {
            SampleIterator[] its = new SampleIterator[parts.size()];
            for (int i = 0; i < its.length; i++) {
              its[i] = parts.get(i).iterator();
            }
            return new MergedSampleIterator(its);
          }
        });
      }
    }
    return SeriesSets.of(out, warnings);
  }

  @Override
  public List<String> labelValues(String name, List<LabelMatcher> matchers) {
    TreeSet<String> out = new TreeSet<>();
    for (Querier q : queriers) {
      out.addAll(q.labelValues(name, matchers));
    }
    return new ArrayList<>(out);
  }

  @Override
  public List<String> labelNames(List<LabelMatcher> matchers) {
    TreeSet<String> out = new TreeSet<>();
    for (Querier q : queriers) {
      out.addAll(q.labelNames(matchers));
    }
    return new ArrayList<>(out);
  }

  @Override
  public void close() {
    for (Querier q : queriers) {
      q.close();
    }
  }
}
