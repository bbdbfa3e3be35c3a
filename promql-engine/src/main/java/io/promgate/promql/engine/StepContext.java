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

  StepContext(Call call, Annotations annotations) {
    this.call = call;
    this.annotations = annotations;
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
