package io.promgate.model.merge;

import io.promgate.model.Labels;
import io.promgate.model.SampleIterator;
import io.promgate.model.Series;
import io.promgate.model.SeriesSet;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * K-way merge of series sets that are each sorted by labels (Prometheus' {@code mergeGenericQuerier},
 * Thanos' ProxyStore response merge). Series with equal labels in several inputs become one series whose
 * samples are merged by timestamp ({@link TimestampMergeIterator}, earlier input wins on equal timestamps).
 * The output is sorted by labels; warnings of all inputs are concatenated.
 *
 * <p>Invariant: each input must be sorted; an unsorted input yields a series twice instead of merged, so
 * callers that cannot guarantee order sort first ({@link #sorted(SeriesSet)}).
 */
public final class MergingSeriesSet implements SeriesSet {
  private record Head(int input, Series series) {}

  private final List<SeriesSet> inputs;
  private final PriorityQueue<Head> heap;
  private boolean initialized;
  private Series current;

  private MergingSeriesSet(List<SeriesSet> inputs) {
    this.inputs = List.copyOf(inputs);
    this.heap = new PriorityQueue<>((a, b) -> {
      int c = a.series.labels().compareTo(b.series.labels());
      return c != 0 ? c : Integer.compare(a.input, b.input);
    });
  }

  /** Merges sorted inputs; one input is returned as is. */
  public static SeriesSet of(List<SeriesSet> inputs) {
    if (inputs.isEmpty()) {
      return SeriesSet.empty();
    }
    return inputs.size() == 1 ? inputs.get(0) : new MergingSeriesSet(inputs);
  }

  /** Drains a set and returns it sorted by labels (stable: equal labels keep their order). */
  public static SeriesSet sorted(SeriesSet set) {
    List<Series> all = new ArrayList<>();
    while (set.next()) {
      all.add(set.at());
    }
    all.sort((a, b) -> a.labels().compareTo(b.labels()));
    return io.promgate.model.SeriesSets.of(all, set.warnings());
  }

  @Override
  public boolean next() {
    if (!initialized) {
      initialized = true;
      for (int i = 0; i < inputs.size(); i++) {
        advance(i);
      }
    }
    Head first = heap.poll();
    if (first == null) {
      current = null;
      return false;
    }
    advance(first.input);
    Labels labels = first.series.labels();
    List<Series> same = null;
    while (!heap.isEmpty() && heap.peek().series.labels().equals(labels)) {
      Head h = heap.poll();
      advance(h.input);
      if (same == null) {
        same = new ArrayList<>();
        same.add(first.series);
      }
      same.add(h.series);
    }
    current = same == null ? first.series : merged(labels, same);
    return true;
  }

  private void advance(int input) {
    SeriesSet s = inputs.get(input);
    if (s.next()) {
      heap.add(new Head(input, s.at()));
    }
  }

  static Series merged(Labels labels, List<Series> parts) {
    List<Series> copy = List.copyOf(parts);
    return new Series() {
      @Override
      public Labels labels() {
        return labels;
      }

      @Override
      public SampleIterator iterator() {
        List<SampleIterator> its = new ArrayList<>(copy.size());
        for (Series s : copy) {
          its.add(s.iterator());
        }
        return TimestampMergeIterator.of(its);
      }
    };
  }

  @Override
  public Series at() {
    return current;
  }

  /** Warnings of all inputs; complete once the set has been drained. */
  @Override
  public List<String> warnings() {
    List<String> out = new ArrayList<>();
    for (SeriesSet s : inputs) {
      out.addAll(s.warnings());
    }
    return out;
  }
}
