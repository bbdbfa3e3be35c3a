package io.promgate.tsdb.query;

import io.promgate.model.SampleIterator;
import io.promgate.model.ValueType;

/**
 * Merges float sample iterators by timestamp; on equal timestamps the earliest iterator's sample is kept and
 * the others skipped. Few inputs (blocks + head), so a linear scan beats a heap.
 */
final class MergedSampleIterator implements SampleIterator {
  private final SampleIterator[] its;
  private final boolean[] live;
  private int cur = -1;
  private boolean started;

  MergedSampleIterator(SampleIterator[] its) {
    this.its = its;
    this.live = new boolean[its.length];
  }

  @Override
  public ValueType next() {
    if (!started) {
      started = true;
      for (int i = 0; i < its.length; i++) {
        live[i] = its[i].next() != ValueType.NONE;
      }
    } else if (cur >= 0) {
      long t = its[cur].timestamp();
      for (int i = 0; i < its.length; i++) {
        if (live[i] && its[i].timestamp() == t) {
          live[i] = its[i].next() != ValueType.NONE;
        }
      }
    }
    return pick();
  }

  private ValueType pick() {
    cur = -1;
    for (int i = 0; i < its.length; i++) {
      if (live[i] && (cur < 0 || its[i].timestamp() < its[cur].timestamp())) {
        cur = i;
      }
    }
    return cur < 0 ? ValueType.NONE : ValueType.FLOAT;
  }

  @Override
  public ValueType seek(long t) {
    if (!started) {
      started = true;
      for (int i = 0; i < its.length; i++) {
        live[i] = its[i].seek(t) != ValueType.NONE;
      }
      return pick();
    }
    if (cur < 0) {
      return ValueType.NONE;
    }
    if (its[cur].timestamp() >= t) {
      return ValueType.FLOAT;
    }
    for (int i = 0; i < its.length; i++) {
      if (live[i] && its[i].timestamp() < t) {
        live[i] = its[i].seek(t) != ValueType.NONE;
      }
    }
    return pick();
  }

  @Override
  public long timestamp() {
    return its[cur].timestamp();
  }

  @Override
  public double value() {
    return its[cur].value();
  }
}
