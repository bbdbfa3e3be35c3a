package io.promgate.model.merge;

import io.promgate.model.FloatHistogram;
import io.promgate.model.SampleIterator;
import io.promgate.model.ValueType;

/**
 * Deduplicates two replicas of one series with Thanos' penalty algorithm ({@code pkg/dedup/iter.go},
 * {@code dedupSeriesIterator}): emit the earlier sample of the two; the replica not chosen is sought with
 * a penalty of twice the last sample distance (5s before any distance is known), so that after a switch
 * we do not interleave both replicas' samples and double the apparent scrape rate. In effect the output
 * sticks to one replica and switches only when that replica has a gap longer than the penalty.
 *
 * <p>Counter awareness (Thanos issue 2401): when the input replicas are {@link CounterAdjustingIterator}s
 * and we switch, the replica switched to is told the last emitted value; a lower value there means that
 * replica lagged, and it is lifted so that the switch does not look like a counter reset to
 * {@code rate()}.
 *
 * <p>More than two replicas are deduplicated by nesting ({@code dedup(dedup(a, b), c)}), as Thanos does.
 * Rejected: picking the replica with most samples per window (needs the whole series first and changes
 * results when a replica recovers).
 */
public final class PenaltyDedupIterator implements SampleIterator {
  static final long INITIAL_PENALTY_MS = 5000;

  private final SampleIterator a;
  private final SampleIterator b;
  private ValueType aval;
  private ValueType bval;
  private boolean started;
  private long lastT = Long.MIN_VALUE;
  private long penA;
  private long penB;
  private boolean useA = true;
  private ValueType currentType = ValueType.NONE;

  public PenaltyDedupIterator(SampleIterator a, SampleIterator b) {
    this.a = a;
    this.b = b;
  }

  private void start() {
    if (!started) {
      started = true;
      aval = a.next();
      bval = b.next();
    }
  }

  @Override
  public ValueType next() {
    boolean firstCall = !started;
    start();
    boolean hadFloat = !firstCall && currentType == ValueType.FLOAT;
    double lastValue = hadFloat ? value() : 0;
    boolean lastUseA = useA;
    if (!firstCall || lastT != Long.MIN_VALUE) {
      if (aval != ValueType.NONE) {
        aval = a.seek(lastT + 1 + penA);
      }
      if (bval != ValueType.NONE) {
        bval = b.seek(lastT + 1 + penB);
      }
    }
    currentType = choose();
    if (hadFloat && useA != lastUseA && currentType == ValueType.FLOAT) {
      adjust(a, aval, lastValue);
      adjust(b, bval, lastValue);
    }
    return currentType;
  }

  private static void adjust(SampleIterator it, ValueType vt, double lastValue) {
    if (vt != ValueType.FLOAT) {
      return;
    }
    if (it instanceof CounterAdjustingIterator c) {
      c.adjustTo(lastValue);
    } else if (it instanceof PenaltyDedupIterator nested) {
      // A nested pair (three or more replicas) forwards the adjustment, as Thanos' dedupSeriesIterator does.
      nested.adjustTo(lastValue);
    }
  }

  void adjustTo(double lastValue) {
    adjust(a, aval, lastValue);
    adjust(b, bval, lastValue);
  }

  private ValueType choose() {
    if (aval == ValueType.NONE) {
      useA = false;
      if (bval != ValueType.NONE) {
        lastT = b.timestamp();
        penB = 0;
      }
      return bval;
    }
    if (bval == ValueType.NONE) {
      useA = true;
      lastT = a.timestamp();
      penA = 0;
      return aval;
    }
    long ta = a.timestamp();
    long tb = b.timestamp();
    useA = ta <= tb;
    if (useA) {
      penB = lastT != Long.MIN_VALUE ? 2 * (ta - lastT) : INITIAL_PENALTY_MS;
      penA = 0;
      lastT = ta;
      return aval;
    }
    penA = lastT != Long.MIN_VALUE ? 2 * (tb - lastT) : INITIAL_PENALTY_MS;
    penB = 0;
    lastT = tb;
    return bval;
  }

  /** Walks forward with next(), never the inputs' seek, so that gaps are seen (as Thanos does). */
  @Override
  public ValueType seek(long t) {
    if (!started) {
      if (next() == ValueType.NONE) {
        return ValueType.NONE;
      }
    } else if (currentType == ValueType.NONE) {
      return ValueType.NONE;
    }
    while (timestamp() < t) {
      if (next() == ValueType.NONE) {
        return ValueType.NONE;
      }
    }
    return currentType;
  }

  @Override
  public long timestamp() {
    return useA ? a.timestamp() : b.timestamp();
  }

  @Override
  public double value() {
    return useA ? a.value() : b.value();
  }

  @Override
  public FloatHistogram histogram() {
    return useA ? a.histogram() : b.histogram();
  }
}
