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
    // Every source answers sorted by labels, so a linear k-way merge suffices; usually all but one source
    // (the head, or no block at all) is empty, and then its answer is passed on as it is.
    List<List<Series>> lists = new ArrayList<>(queriers.size());
    List<String> warnings = new ArrayList<>();
    for (Querier q : queriers) {
      SeriesSet set = q.select(true, hints, matchers);
      List<Series> list = SeriesSets.toList(set);
      warnings.addAll(set.warnings());
      if (!list.isEmpty()) {
        lists.add(list);
      }
    }
    if (lists.size() <= 1) {
      return SeriesSets.of(lists.isEmpty() ? List.of() : lists.get(0), warnings);
    }
    int[] pos = new int[lists.size()];
    List<Series> out = new ArrayList<>();
    List<Series> parts = new ArrayList<>(lists.size());
    while (true) {
      Labels min = null;
      for (int i = 0; i < lists.size(); i++) {
        if (pos[i] < lists.get(i).size()) {
          Labels l = lists.get(i).get(pos[i]).labels();
          if (min == null || l.compareTo(min) < 0) {
            min = l;
          }
        }
      }
      if (min == null) {
        break;
      }
      parts.clear();
      for (int i = 0; i < lists.size(); i++) {
        if (pos[i] < lists.get(i).size() && lists.get(i).get(pos[i]).labels().equals(min)) {
          parts.add(lists.get(i).get(pos[i]++));
        }
      }
      out.add(parts.size() == 1 ? parts.get(0) : merged(min, List.copyOf(parts)));
    }
    return SeriesSets.of(out, warnings);
  }

  private static Series merged(Labels l, List<Series> parts) {
    return new Series() {
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
    };
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
