package io.promgate.model.merge;

import io.promgate.model.FloatHistogram;
import io.promgate.model.SampleIterator;
import io.promgate.model.ValueType;
import java.util.List;

/**
 * Merges the iterators of one series read from several backends whose time ranges overlap (Prometheus'
 * {@code chainSampleIterator}): samples in timestamp order, and where several inputs hold the same
 * timestamp the one listed first wins and the others are skipped. Overlap of routing windows is expected
 * (DESIGN.md: "overlapping data is merged by timestamp"), so duplicates are not an error.
 *
 * <p>Inputs are few (one per backend), so a linear scan for the minimum beats a heap.
 */
public final class TimestampMergeIterator implements SampleIterator {
  private final SampleIterator[] its;
  private final ValueType[] state;
  private int current = -1;
  private boolean started;

  public TimestampMergeIterator(List<SampleIterator> iterators) {
    this.its = iterators.toArray(new SampleIterator[0]);
    this.state = new ValueType[its.length];
  }

  /** One iterator needs no merging. */
  public static SampleIterator of(List<SampleIterator> iterators) {
    return iterators.size() == 1 ? iterators.get(0) : new TimestampMergeIterator(iterators);
  }

  @Override
  public ValueType next() {
    if (!started) {
      started = true;
      for (int i = 0; i < its.length; i++) {
        state[i] = its[i].next();
      }
    } else if (current >= 0) {
      long t = its[current].timestamp();
      // Advance every input standing on the emitted timestamp: their copies are duplicates.
      for (int i = 0; i < its.length; i++) {
        if (state[i] != ValueType.NONE && its[i].timestamp() == t) {
          state[i] = its[i].next();
        }
      }
    } else {
      return ValueType.NONE;
    }
    return pick();
  }

  @Override
  public ValueType seek(long t) {
    if (started && current < 0) {
      return ValueType.NONE;
    }
    if (started && its[current].timestamp() >= t) {
      return state[current];
    }
    started = true;
    for (int i = 0; i < its.length; i++) {
      if (state[i] != ValueType.NONE) {
        state[i] = its[i].seek(t);
      }
    }
    return pick();
  }

  private ValueType pick() {
    current = -1;
    long best = Long.MAX_VALUE;
    for (int i = 0; i < its.length; i++) {
      if (state[i] != ValueType.NONE && (current < 0 || its[i].timestamp() < best)) {
        current = i;
        best = its[i].timestamp();
      }
    }
    return current < 0 ? ValueType.NONE : state[current];
  }

  @Override
  public long timestamp() {
    return its[current].timestamp();
  }

  @Override
  public double value() {
    return its[current].value();
  }

  @Override
  public FloatHistogram histogram() {
    return its[current].histogram();
  }
}
