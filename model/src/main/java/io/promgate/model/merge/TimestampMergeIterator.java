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
  /** Current timestamp of each input that is not exhausted (cached: one virtual call per sample, not per scan). */
  private final long[] ts;
  private int current = -1;
  /** Smallest timestamp among the live inputs other than {@code current}. */
  private long others = Long.MAX_VALUE;
  private boolean started;

  public TimestampMergeIterator(List<SampleIterator> iterators) {
    this.its = iterators.toArray(new SampleIterator[0]);
    this.state = new ValueType[its.length];
    this.ts = new long[its.length];
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
        advance(i);
      }
      return pick();
    }
    if (current < 0) {
      return ValueType.NONE;
    }
    long t = ts[current];
    if (others == t) {
      // Another input stands on the emitted timestamp: its copy is a duplicate, skip it too.
      for (int i = 0; i < its.length; i++) {
        if (i != current && state[i] != ValueType.NONE && ts[i] == t) {
          advance(i);
        }
      }
      advance(current);
      return pick();
    }
    advance(current);
    // The usual case when backends serve disjoint time ranges: the current input stays ahead of the others.
    if (state[current] != ValueType.NONE && ts[current] < others) {
      return state[current];
    }
    return pick();
  }

  private void advance(int i) {
    state[i] = its[i].next();
    if (state[i] != ValueType.NONE) {
      ts[i] = its[i].timestamp();
    }
  }

  @Override
  public ValueType seek(long t) {
    if (started && current < 0) {
      return ValueType.NONE;
    }
    if (started && ts[current] >= t) {
      return state[current];
    }
    started = true;
    for (int i = 0; i < its.length; i++) {
      if (state[i] != ValueType.NONE) {
        state[i] = its[i].seek(t);
        if (state[i] != ValueType.NONE) {
          ts[i] = its[i].timestamp();
        }
      }
    }
    return pick();
  }

  /** The live input with the smallest timestamp (the first listed on ties), and the runner-up's timestamp. */
  private ValueType pick() {
    current = -1;
    long best = Long.MAX_VALUE;
    long second = Long.MAX_VALUE;
    for (int i = 0; i < its.length; i++) {
      if (state[i] == ValueType.NONE) {
        continue;
      }
      if (current < 0 || ts[i] < best) {
        if (current >= 0) {
          second = best;
        }
        current = i;
        best = ts[i];
      } else if (ts[i] < second) {
        second = ts[i];
      }
    }
    others = second;
    return current < 0 ? ValueType.NONE : state[current];
  }

  @Override
  public long timestamp() {
    return ts[current];
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
