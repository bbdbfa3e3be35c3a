package io.promgate.promql.engine;

import io.promgate.model.Labels;
import io.promgate.promql.ast.Call;

/**
 * What a function sees at one evaluation step (Prometheus' {@code EvalNodeHelper}): the step time, the
 * annotations sink, and for functions over a range vector the current window of one series.
 */
final class StepContext {
  long ts;
  final Annotations annotations;
  final Call call;

  private double[] scratch = new double[0];

  StepContext(Call call, Annotations annotations) {
    this.call = call;
    this.annotations = annotations;
  }

  /** A reusable buffer of at least n doubles (contents undefined). */
  double[] scratch(int n) {
    if (scratch.length < n) {
      scratch = new double[Math.max(n, scratch.length * 2)];
    }
    return scratch;
  }

  /**
   * The output "list" of a function over a range vector: it holds at most the one value a call produces,
   * so that the per-window loop allocates nothing. Only {@link #set}, {@link #isEmpty}, {@link #clear} and
   * {@link #get}(0) are meaningful; {@code add} works for implementations that append samples.
   */
  static final class ResultSlot extends java.util.AbstractList<Sample> {
    private final Sample sample = new Sample(io.promgate.model.Labels.EMPTY, 0, 0, false);
    private boolean full;

    void set(double v) {
      sample.f = v;
      full = true;
    }

    double value() {
      return sample.f;
    }

    @Override
    public boolean add(Sample s) {
      set(s.f);
      return true;
    }

    @Override
    public Sample get(int i) {
      if (i != 0 || !full) {
        throw new IndexOutOfBoundsException(i);
      }
      return sample;
    }

    @Override
    public int size() {
      return full ? 1 : 0;
    }

    @Override
    public void clear() {
      full = false;
    }
  }

  /** A window of one series' points: indexes [lo, hi) of t and f, the range (start, end] it covers. */
  static final class Window {
    Labels metric;
    long[] t;
    double[] f;
    int lo;
    int hi;
    long rangeStart;
    long rangeEnd;
    long rangeMillis;

    int size() {
      return hi - lo;
    }
  }
}
