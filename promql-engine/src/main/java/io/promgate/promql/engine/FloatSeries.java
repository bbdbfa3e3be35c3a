package io.promgate.promql.engine;

import io.promgate.model.Labels;
import java.util.Arrays;

/**
 * One series of a range result: labels and float points in time order, kept in two primitive arrays so
 * that inner loops never box. {@code dropName} is the delayed name removal mark, as on {@link Sample}.
 */
public final class FloatSeries {
  Labels metric;
  boolean dropName;
  long[] t;
  double[] f;
  int n;
  /** Read cursor used while gathering per-step vectors; engine-internal. */
  int cursor;
  /** The sample this series lends to each step's vector (rewritten every step; engine-internal). */
  Sample stepSample;
  /** Per-series caches of the binary operation consuming this series (engine-internal). */
  Labels sig;
  Labels lastRhs;
  Labels lastResult;
  /** The parsed {@code le} of a classic bucket series for histogram_quantile/fraction; null before parsing. */
  Double upperBound;

  public FloatSeries(Labels metric, int capacity) {
    this.metric = metric;
    this.t = new long[Math.max(capacity, 1)];
    this.f = new double[Math.max(capacity, 1)];
  }

  FloatSeries(Labels metric, boolean dropName, int capacity) {
    this(metric, capacity);
    this.dropName = dropName;
  }

  public void add(long ts, double v) {
    if (n == t.length) {
      int cap = n * 2;
      t = Arrays.copyOf(t, cap);
      f = Arrays.copyOf(f, cap);
    }
    t[n] = ts;
    f[n] = v;
    n++;
  }

  public Labels metric() {
    return metric;
  }

  public int size() {
    return n;
  }

  public long timestampAt(int i) {
    return t[i];
  }

  public double valueAt(int i) {
    return f[i];
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(metric.toString()).append(" =>");
    for (int i = 0; i < n; i++) {
      sb.append(' ').append(ValueFormat.formatValue(f[i])).append(" @[").append(t[i]).append(']');
    }
    return sb.toString();
  }
}
