package io.promgate.promql.engine;

import io.promgate.model.Labels;

/**
 * One element of an instant vector. Mutable on purpose: the evaluator builds millions of these per query
 * and reuses them between steps; callers outside the engine only read them.
 *
 * <p>{@code dropName} implements Prometheus' delayed name removal: an operation that would drop the metric
 * name only marks the sample, and the name (with {@code __type__} and {@code __unit__}) is removed when the
 * query finishes, so that {@code label_replace} and friends can still see it.
 */
public final class Sample {
  Labels metric;
  double f;
  long t;
  boolean dropName;
  /** The series this step sample was gathered from, for per-series caches; null otherwise. */
  FloatSeries src;

  public Sample(Labels metric, double f, long t, boolean dropName) {
    this.metric = metric;
    this.f = f;
    this.t = t;
    this.dropName = dropName;
  }

  public Labels metric() {
    return metric;
  }

  public double value() {
    return f;
  }

  public long timestamp() {
    return t;
  }

  @Override
  public String toString() {
    return metric + " => " + ValueFormat.formatValue(f) + " @[" + t + "]";
  }
}
