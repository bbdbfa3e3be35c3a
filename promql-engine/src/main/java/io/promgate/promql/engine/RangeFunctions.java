package io.promgate.promql.engine;

import io.promgate.model.Labels;
import java.util.List;
import java.util.Map;

/**
 * Functions over a range vector (one window of one series per call), as Prometheus' functions.go: rate and
 * friends with extrapolation, regression, the *_over_time family, changes/resets and smoothing. Inner loops
 * run over the primitive arrays of the window.
 */
final class RangeFunctions {
  private RangeFunctions() {
  }

  static void register(Map<String, FunctionImpl> m) {
    m.put("rate", (a, c, o) -> extrapolatedRate(FunctionTable.window(a, 0), o, true, true));
    m.put("increase", (a, c, o) -> extrapolatedRate(FunctionTable.window(a, 0), o, true, false));
    m.put("delta", (a, c, o) -> extrapolatedRate(FunctionTable.window(a, 0), o, false, false));
    m.put("irate", (a, c, o) -> instantValue(FunctionTable.window(a, 0), o, true));
    m.put("idelta", (a, c, o) -> instantValue(FunctionTable.window(a, 0), o, false));
    m.put("deriv", RangeFunctions::deriv);
    m.put("predict_linear", RangeFunctions::predictLinear);
    m.put("avg_over_time", (a, c, o) -> add(o, avg(FunctionTable.window(a, 0))));
    m.put("sum_over_time", (a, c, o) -> add(o, sum(FunctionTable.window(a, 0))));
    m.put("count_over_time", (a, c, o) -> add(o, FunctionTable.window(a, 0).size()));
    m.put("present_over_time", (a, c, o) -> add(o, 1));
    m.put("absent_over_time", (a, c, o) -> add(o, 1));
    m.put("last_over_time", (a, c, o) -> {
      StepContext.Window w = FunctionTable.window(a, 0);
      add(o, w.f[w.hi - 1]);
    });
    m.put("ts_of_last_over_time", (a, c, o) -> {
      StepContext.Window w = FunctionTable.window(a, 0);
      add(o, w.t[w.hi - 1] / 1000.0);
    });
    m.put("max_over_time", (a, c, o) -> compare(FunctionTable.window(a, 0), o, 1, false));
    m.put("min_over_time", (a, c, o) -> compare(FunctionTable.window(a, 0), o, -1, false));
    m.put("ts_of_max_over_time", (a, c, o) -> compare(FunctionTable.window(a, 0), o, 2, true));
    m.put("ts_of_min_over_time", (a, c, o) -> compare(FunctionTable.window(a, 0), o, -2, true));
    m.put("quantile_over_time", RangeFunctions::quantileOverTime);
    m.put("stddev_over_time", (a, c, o) -> add(o, Math.sqrt(variance(FunctionTable.window(a, 0)))));
    m.put("stdvar_over_time", (a, c, o) -> add(o, variance(FunctionTable.window(a, 0))));
    m.put("mad_over_time", RangeFunctions::madOverTime);
    m.put("changes", RangeFunctions::changes);
    m.put("resets", RangeFunctions::resets);
    m.put("double_exponential_smoothing", RangeFunctions::doubleExponentialSmoothing);
  }

  /**
   * The result of a range function for one window: written into the caller's reusable sample (no allocation
   * per step) when there is one, else appended as a new sample.
   */
  private static void add(List<Sample> out, double v) {
    if (out instanceof StepContext.ResultSlot slot) {
      slot.set(v);
    } else {
      out.add(new Sample(Labels.EMPTY, v, 0, false));
    }
  }

  /** rate, increase and delta: Prometheus' extrapolatedRate (float part). */
  static void extrapolatedRate(StepContext.Window w, List<Sample> out, boolean isCounter, boolean isRate) {
    int n = w.size();
    if (n < 2) {
      return;
    }
    int first = w.lo;
    int last = w.hi - 1;
    long firstT = w.t[first];
    long lastT = w.t[last];
    double result = w.f[last] - w.f[first];
    if (isCounter) {
      double prev = w.f[first];
      for (int i = first + 1; i <= last; i++) {
        double cur = w.f[i];
        if (cur < prev) {
          result += prev;
        }
        prev = cur;
      }
    }
    double durationToStart = (firstT - w.rangeStart) / 1000.0;
    double durationToEnd = (w.rangeEnd - lastT) / 1000.0;
    double sampledInterval = (lastT - firstT) / 1000.0;
    double averageDurationBetweenSamples = sampledInterval / (n - 1);
    double extrapolationThreshold = averageDurationBetweenSamples * 1.1;
    double extrapolateToInterval = sampledInterval;
    if (durationToStart >= extrapolationThreshold) {
      durationToStart = averageDurationBetweenSamples / 2;
    }
    if (isCounter && result > 0 && w.f[first] >= 0) {
      double durationToZero = sampledInterval * (w.f[first] / result);
      if (durationToZero < durationToStart) {
        durationToStart = durationToZero;
      }
    }
    extrapolateToInterval += durationToStart;
    if (durationToEnd >= extrapolationThreshold) {
      durationToEnd = averageDurationBetweenSamples / 2;
    }
    extrapolateToInterval += durationToEnd;
    double factor = extrapolateToInterval / sampledInterval;
    if (isRate) {
      factor /= w.rangeMillis / 1000.0;
    }
    add(out, result * factor);
  }

  static void instantValue(StepContext.Window w, List<Sample> out, boolean isRate) {
    if (w.size() < 2) {
      return;
    }
    int i1 = w.hi - 1;
    int i0 = w.hi - 2;
    long sampledInterval = w.t[i1] - w.t[i0];
    if (sampledInterval == 0) {
      return;
    }
    double result = w.f[i1];
    if (!isRate || !(w.f[i1] < w.f[i0])) {
      result = w.f[i1] - w.f[i0];
    }
    if (isRate) {
      result /= sampledInterval / 1000.0;
    }
    add(out, result);
  }

  /** Least squares fit; returns {slope, intercept} with x relative to interceptTime in seconds. */
  static double[] linearRegression(StepContext.Window w, long interceptTime) {
    double[] out = new double[2];
    regression(w, interceptTime, out);
    return out;
  }

  /**
   * Prometheus' linearRegression (Kahan-compensated sums, as functions.go) with the four sums in locals: the
   * per-sample loop of deriv and predict_linear over every window of every series, where the sums kept in
   * small arrays cost more than the arithmetic. Same operations in the same order, so the same doubles.
   * Returns the slope; the intercept goes to out[1] when out is given (out[0] gets the slope).
   */
  static double regression(StepContext.Window w, long interceptTime, double[] out) {
    double n = 0;
    double sumX = 0;
    double cX = 0;
    double sumY = 0;
    double cY = 0;
    double sumXY = 0;
    double cXY = 0;
    double sumX2 = 0;
    double cX2 = 0;
    double[] f = w.f;
    long[] t = w.t;
    double initY = f[w.lo];
    boolean constY = true;
    // Without kahanSumInc's test for an infinite sum: a sum once infinite never becomes finite again (it
    // stays infinite or turns NaN), so when all four end finite, no step took that branch and this loop did
    // exactly what the checked one does. Otherwise the checked loop runs.
    for (int i = w.lo; i < w.hi; i++) {
      double y = f[i];
      if (constY && i > w.lo && y != initY) {
        constY = false;
      }
      n += 1.0;
      double x = (t[i] - interceptTime) / 1e3;
      double xy = x * y;
      double x2 = x * x;
      double tX = sumX + x;
      double tY = sumY + y;
      double tXY = sumXY + xy;
      double tX2 = sumX2 + x2;
      cX += Math.abs(sumX) >= Math.abs(x) ? (sumX - tX) + x : (x - tX) + sumX;
      cY += Math.abs(sumY) >= Math.abs(y) ? (sumY - tY) + y : (y - tY) + sumY;
      cXY += Math.abs(sumXY) >= Math.abs(xy) ? (sumXY - tXY) + xy : (xy - tXY) + sumXY;
      cX2 += Math.abs(sumX2) >= Math.abs(x2) ? (sumX2 - tX2) + x2 : (x2 - tX2) + sumX2;
      sumX = tX;
      sumY = tY;
      sumXY = tXY;
      sumX2 = tX2;
    }
    if (!(Double.isFinite(sumX) && Double.isFinite(sumY) && Double.isFinite(sumXY) && Double.isFinite(sumX2))) {
      return regressionChecked(w, interceptTime, out);
    }
    return regressionResult(constY, initY, n, sumX + cX, sumY + cY, sumXY + cXY, sumX2 + cX2, out);
  }

  private static double regressionResult(boolean constY, double initY, double n, double sx, double sy, double sxy,
      double sx2, double[] out) {
    if (constY) {
      double slope = Double.isInfinite(initY) ? Double.NaN : 0;
      if (out != null) {
        out[0] = slope;
        out[1] = Double.isInfinite(initY) ? Double.NaN : initY;
      }
      return slope;
    }
    double covXY = sxy - sx * sy / n;
    double varX = sx2 - sx * sx / n;
    double slope = covXY / varX;
    if (out != null) {
      out[0] = slope;
      out[1] = sy / n - slope * sx / n;
    }
    return slope;
  }

  /** {@link #regression} with every Kahan step as kahanSumInc, infinite sums included. */
  static double regressionChecked(StepContext.Window w, long interceptTime, double[] out) {
    double n = 0;
    double sumX = 0;
    double cX = 0;
    double sumY = 0;
    double cY = 0;
    double sumXY = 0;
    double cXY = 0;
    double sumX2 = 0;
    double cX2 = 0;
    double[] f = w.f;
    long[] t = w.t;
    double initY = f[w.lo];
    boolean constY = true;
    for (int i = w.lo; i < w.hi; i++) {
      double y = f[i];
      if (constY && i > w.lo && y != initY) {
        constY = false;
      }
      n += 1.0;
      double x = (t[i] - interceptTime) / 1e3;
      double xy = x * y;
      double x2 = x * x;
      double tX = sumX + x;
      double tY = sumY + y;
      double tXY = sumXY + xy;
      double tX2 = sumX2 + x2;
      cX = kahanC(sumX, x, tX, cX);
      cY = kahanC(sumY, y, tY, cY);
      cXY = kahanC(sumXY, xy, tXY, cXY);
      cX2 = kahanC(sumX2, x2, tX2, cX2);
      sumX = tX;
      sumY = tY;
      sumXY = tXY;
      sumX2 = tX2;
    }
    return regressionResult(constY, initY, n, sumX + cX, sumY + cY, sumXY + cXY, sumX2 + cX2, out);
  }

  /** The compensation after adding inc to sum (t = sum + inc), as Prometheus' kahanSumInc. */
  private static double kahanC(double sum, double inc, double t, double c) {
    if (Double.isInfinite(t)) {
      return 0;
    }
    return Math.abs(sum) >= Math.abs(inc) ? c + ((sum - t) + inc) : c + ((inc - t) + sum);
  }

  /** In-place Kahan step on acc = {sum, c}. */
  private static void kahan(double[] acc, double inc) {
    double sum = acc[0];
    double c = acc[1];
    double t = sum + inc;
    if (Double.isInfinite(t)) {
      c = 0;
    } else if (Math.abs(sum) >= Math.abs(inc)) {
      c += (sum - t) + inc;
    } else {
      c += (inc - t) + sum;
    }
    acc[0] = t;
    acc[1] = c;
  }

  private static void deriv(Object[] a, StepContext c, List<Sample> o) {
    StepContext.Window w = FunctionTable.window(a, 0);
    if (w.size() < 2) {
      return;
    }
    add(o, regression(w, w.t[w.lo], null));
  }

  private static void predictLinear(Object[] a, StepContext c, List<Sample> o) {
    StepContext.Window w = FunctionTable.window(a, 0);
    double duration = FunctionTable.vec(a, 1).get(0).f;
    if (w.size() < 2) {
      return;
    }
    double[] r = c.scratch(2);
    regression(w, c.ts, r);
    add(o, r[0] * duration + r[1]);
  }

  static double avg(StepContext.Window w) {
    double sum = w.f[w.lo];
    double count = 1;
    double mean = 0;
    double kahanC = 0;
    boolean incrementalMean = false;
    for (int i = w.lo + 1; i < w.hi; i++) {
      double f = w.f[i];
      count = i - w.lo + 1;
      if (!incrementalMean) {
        double[] r = Aggregations.kahanSumInc(f, sum, kahanC);
        if (!Double.isInfinite(r[0])) {
          sum = r[0];
          kahanC = r[1];
          continue;
        }
        incrementalMean = true;
        mean = sum / (count - 1);
        kahanC /= count - 1;
      }
      double q = (count - 1) / count;
      double[] r = Aggregations.kahanSumInc(f / count, q * mean, q * kahanC);
      mean = r[0];
      kahanC = r[1];
    }
    if (incrementalMean) {
      return mean + kahanC;
    }
    return sum / count + kahanC / count;
  }

  static double sum(StepContext.Window w) {
    double[] acc = {0, 0};
    for (int i = w.lo; i < w.hi; i++) {
      kahan(acc, w.f[i]);
    }
    if (Double.isInfinite(acc[0])) {
      return acc[0];
    }
    return acc[0] + acc[1];
  }

  /** mode: 1 max, -1 min (strict), 2 ts of max, -2 ts of min (non-strict, last wins). */
  private static void compare(StepContext.Window w, List<Sample> out, int mode, boolean timestamp) {
    double best = w.f[w.lo];
    long bestT = w.t[w.lo];
    for (int i = w.lo; i < w.hi; i++) {
      double cur = w.f[i];
      boolean take = switch (mode) {
        case 1 -> cur > best || Double.isNaN(best);
        case -1 -> cur < best || Double.isNaN(best);
        case 2 -> cur >= best || Double.isNaN(best);
        default -> cur <= best || Double.isNaN(best);
      };
      if (take) {
        best = cur;
        bestT = w.t[i];
      }
    }
    add(out, timestamp ? bestT / 1000.0 : best);
  }

  private static void quantileOverTime(Object[] a, StepContext c, List<Sample> o) {
    double q = FunctionTable.vec(a, 0).get(0).f;
    StepContext.Window w = FunctionTable.window(a, 1);
    if (Double.isNaN(q) || q < 0 || q > 1) {
      c.annotations.warn("quantile value should be between 0 and 1, got " + ValueFormat.formatG(q, false));
    }
    double[] values = c.scratch(w.size());
    System.arraycopy(w.f, w.lo, values, 0, w.size());
    add(o, Quantiles.quantile(q, values, w.size()));
  }

  static double variance(StepContext.Window w) {
    double count = 0;
    double[] mean = {0, 0};
    double[] aux = {0, 0};
    for (int i = w.lo; i < w.hi; i++) {
      double f = w.f[i];
      count++;
      double delta = f - (mean[0] + mean[1]);
      kahan(mean, delta / count);
      kahan(aux, delta * (f - (mean[0] + mean[1])));
    }
    return (aux[0] + aux[1]) / count;
  }

  private static void madOverTime(Object[] a, StepContext c, List<Sample> o) {
    StepContext.Window w = FunctionTable.window(a, 0);
    int n = w.size();
    double[] values = c.scratch(n);
    System.arraycopy(w.f, w.lo, values, 0, n);
    double median = Quantiles.quantile(0.5, values, n);
    for (int i = 0; i < n; i++) {
      values[i] = Math.abs(w.f[w.lo + i] - median);
    }
    add(o, Quantiles.quantile(0.5, values, n));
  }

  private static void changes(Object[] a, StepContext c, List<Sample> o) {
    StepContext.Window w = FunctionTable.window(a, 0);
    int changes = 0;
    double prev = w.f[w.lo];
    for (int i = w.lo + 1; i < w.hi; i++) {
      double cur = w.f[i];
      if (cur != prev && !(Double.isNaN(cur) && Double.isNaN(prev))) {
        changes++;
      }
      prev = cur;
    }
    add(o, changes);
  }

  private static void resets(Object[] a, StepContext c, List<Sample> o) {
    StepContext.Window w = FunctionTable.window(a, 0);
    int resets = 0;
    double prev = w.f[w.lo];
    for (int i = w.lo + 1; i < w.hi; i++) {
      double cur = w.f[i];
      if (cur < prev) {
        resets++;
      }
      prev = cur;
    }
    add(o, resets);
  }

  private static void doubleExponentialSmoothing(Object[] a, StepContext c, List<Sample> o) {
    StepContext.Window w = FunctionTable.window(a, 0);
    double sf = FunctionTable.vec(a, 1).get(0).f;
    double tf = FunctionTable.vec(a, 2).get(0).f;
    if (sf <= 0 || sf >= 1) {
      throw EngineException.execution("invalid smoothing factor. Expected: 0 < sf < 1, got: " + goFixed6(sf));
    }
    if (tf <= 0 || tf >= 1) {
      throw EngineException.execution("invalid trend factor. Expected: 0 < tf < 1, got: " + goFixed6(tf));
    }
    int l = w.size();
    if (l < 2) {
      return;
    }
    double s0 = 0;
    double s1 = w.f[w.lo];
    double b = w.f[w.lo + 1] - w.f[w.lo];
    for (int i = 1; i < l; i++) {
      double x = sf * w.f[w.lo + i];
      if (i - 1 != 0) {
        b = tf * (s1 - s0) + (1 - tf) * b;
      }
      double y = (1 - sf) * (s1 + b);
      s0 = s1;
      s1 = x + y;
    }
    add(o, s1);
  }

  /** Go's %f. */
  static String goFixed6(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return new java.math.BigDecimal(v).setScale(6, java.math.RoundingMode.HALF_EVEN).toPlainString();
  }
}
