package io.promgate.promql.engine;

import io.promgate.model.Labels;
import io.promgate.model.StaleNaN;
import io.promgate.promql.ast.AggregateExpr;
import io.promgate.promql.ast.At;
import io.promgate.promql.ast.BinaryExpr;
import io.promgate.promql.ast.Call;
import io.promgate.promql.ast.Expr;
import io.promgate.promql.ast.ExprType;
import io.promgate.promql.ast.MatrixSelector;
import io.promgate.promql.ast.NumberLiteral;
import io.promgate.promql.ast.ParenExpr;
import io.promgate.promql.ast.StringLiteral;
import io.promgate.promql.ast.SubqueryExpr;
import io.promgate.promql.ast.UnaryExpr;
import io.promgate.promql.ast.VectorSelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongUnaryOperator;

/**
 * Evaluates an expression over the steps [start, end] (one step for instant queries), the way Prometheus'
 * {@code evaluator} does: every node yields a matrix with one point per step where it has a value, and
 * {@link #rangeEval} owns the step loop for nodes computed step by step from their inputs' vectors.
 *
 * <p>Invariant: all data was fetched before ({@link SeriesFetcher}); nothing here does I/O. Series carry the
 * delayed-name-removal mark, applied once at the end ({@link Engine}).
 */
final class Evaluator {
  /** State shared by the evaluators of one query (subqueries get their own step grid). */
  static final class Shared {
    final Map<VectorSelector, List<SelectedSeries>> data;
    final Annotations annotations;
    final Limits limits;
    final long lookback;
    final long queryStart;
    final long queryEnd;
    final LongUnaryOperator noStepSubqueryInterval;
    final java.util.Set<Expr> stepInvariant;
    Map<Call, VectorSelector> infoSelectors = Map.of();

    Shared(Map<VectorSelector, List<SelectedSeries>> data, Annotations annotations, Limits limits, long lookback,
        long queryStart, long queryEnd, LongUnaryOperator noStepSubqueryInterval, java.util.Set<Expr> stepInvariant) {
      this.stepInvariant = stepInvariant;
      this.data = data;
      this.annotations = annotations;
      this.limits = limits;
      this.lookback = lookback;
      this.queryStart = queryStart;
      this.queryEnd = queryEnd;
      this.noStepSubqueryInterval = noStepSubqueryInterval;
    }
  }

  /** Max samples, deadline and cancellation, checked in loops (no threads of our own). */
  static final class Limits {
    final long maxSamples;
    final long deadlineNanos;
    final boolean hasDeadline;
    final BooleanSupplier cancelled;
    long current;
    private int tick;

    /** @param deadlineNanos a {@link System#nanoTime()} value, meaningful when hasDeadline */
    Limits(long maxSamples, long deadlineNanos, boolean hasDeadline, BooleanSupplier cancelled) {
      this.maxSamples = maxSamples;
      this.deadlineNanos = deadlineNanos;
      this.hasDeadline = hasDeadline;
      this.cancelled = cancelled;
    }

    void check() {
      if ((++tick & 255) != 0) {
        return;
      }
      checkNow();
    }

    void checkNow() {
      if (cancelled != null && cancelled.getAsBoolean()) {
        throw new EngineException(ErrorType.CANCELED, "query was canceled in expression evaluation");
      }
      if (hasDeadline && System.nanoTime() - deadlineNanos > 0) {
        throw new EngineException(ErrorType.TIMEOUT, "query timed out in expression evaluation");
      }
    }

    void add(long samples) {
      current += samples;
      if (current > maxSamples) {
        throw EngineException.execution("query processing would load too many samples into memory in query execution");
      }
    }
  }

  /** One step's function over the input vectors (null entries for string arguments). */
  interface StepFunction {
    void apply(List<List<Sample>> args, long ts, List<Sample> out);
  }

  final Shared sh;
  final long start;
  final long end;
  final long interval;

  Evaluator(Shared sh, long start, long end, long interval) {
    this.sh = sh;
    this.start = start;
    this.end = end;
    this.interval = interval;
  }

  int numSteps() {
    return (int) ((end - start) / interval) + 1;
  }

  boolean isInstant() {
    return start == end;
  }

  List<FloatSeries> eval(Expr e) {
    sh.limits.checkNow();
    if (end < start) {
      return new ArrayList<>();
    }
    if (start != end && sh.stepInvariant.contains(e)) {
      Expr u = unwrap(e);
      if (!(u instanceof MatrixSelector || u instanceof SubqueryExpr || u instanceof NumberLiteral
          || u instanceof StringLiteral)) {
        return repeatFirstStep(new Evaluator(sh, start, start, interval).eval(e));
      }
    }
    if (e instanceof ParenExpr p) {
      return eval(p.expr());
    } else if (e instanceof NumberLiteral n) {
      FloatSeries s = new FloatSeries(Labels.EMPTY, numSteps());
      for (long ts = start; ts <= end; ts += interval) {
        s.add(ts, n.value());
      }
      List<FloatSeries> out = new ArrayList<>(1);
      out.add(s);
      return out;
    } else if (e instanceof VectorSelector vs) {
      return evalSelector(vs);
    } else if (e instanceof MatrixSelector ms) {
      return evalMatrixSelector(ms);
    } else if (e instanceof SubqueryExpr sq) {
      return evalSubquery(sq);
    } else if (e instanceof UnaryExpr u) {
      List<FloatSeries> m = eval(u.expr());
      if (u.negative()) {
        for (FloatSeries s : m) {
          s.dropName = true;
          for (int i = 0; i < s.n; i++) {
            s.f[i] = -s.f[i];
          }
        }
      }
      return m;
    } else if (e instanceof BinaryExpr b) {
      return BinaryOps.eval(this, b);
    } else if (e instanceof AggregateExpr a) {
      return Aggregations.eval(this, a);
    } else if (e instanceof Call c) {
      return FunctionCalls.eval(this, c);
    } else if (e instanceof StringLiteral) {
      throw EngineException.execution("unexpected string literal in evaluation");
    }
    throw new IllegalStateException("unhandled expression " + e.getClass());
  }

  /** A step-invariant result, computed at the first step, repeated at every step. */
  private List<FloatSeries> repeatFirstStep(List<FloatSeries> once) {
    int steps = numSteps();
    sh.limits.add((long) once.size() * (steps - 1));
    for (FloatSeries s : once) {
      double v = s.f[0];
      FloatSeries full = new FloatSeries(s.metric, s.dropName, steps);
      for (long ts = start; ts <= end; ts += interval) {
        full.add(ts, v);
      }
      s.t = full.t;
      s.f = full.f;
      s.n = full.n;
    }
    return once;
  }

  /** The time a selector reads at for step ts: pinned by @, moved by offset. */
  long refTime(long ts, At at, long offset) {
    long base = at == null ? ts : at.resolve(sh.queryStart, sh.queryEnd);
    return base - offset;
  }

  List<SelectedSeries> data(VectorSelector vs) {
    List<SelectedSeries> d = sh.data.get(vs);
    if (d == null) {
      throw new IllegalStateException("selector was not fetched: " + vs);
    }
    return d;
  }

  private List<FloatSeries> evalSelector(VectorSelector vs) {
    List<SelectedSeries> series = data(vs);
    List<FloatSeries> out = new ArrayList<>(series.size());
    int steps = numSteps();
    for (SelectedSeries s : series) {
      sh.limits.check();
      FloatSeries fs = null;
      int i = -1;
      for (long ts = start; ts <= end; ts += interval) {
        long ref = refTime(ts, vs.at(), vs.offsetMillis());
        // Steps ascend, so the last sample at or before ref only moves forward.
        if (i < 0) {
          i = s.lastAtOrBefore(ref);
        } else {
          while (i + 1 < s.n && s.t[i + 1] <= ref) {
            i++;
          }
        }
        if (i < 0 || s.t[i] <= ref - sh.lookback || StaleNaN.is(s.f[i])) {
          continue;
        }
        if (fs == null) {
          fs = new FloatSeries(s.labels, Math.min(steps, 64));
        }
        fs.add(ts, s.f[i]);
      }
      if (fs != null) {
        sh.limits.add(fs.n);
        out.add(fs);
      }
    }
    return out;
  }

  /** A range vector at the top of an instant query: the raw points of each window. */
  private List<FloatSeries> evalMatrixSelector(MatrixSelector ms) {
    if (!isInstant()) {
      throw EngineException.execution("cannot do range evaluation of matrix selector");
    }
    VectorSelector vs = ms.selector();
    long maxt = refTime(start, vs.at(), vs.offsetMillis());
    long mint = maxt - ms.rangeMillis();
    List<FloatSeries> out = new ArrayList<>();
    for (SelectedSeries s : data(vs)) {
      long[] t = s.windowT();
      double[] f = s.windowF();
      int n = s.windowSize();
      int lo = SelectedSeries.upperBound(t, n, mint);
      int hi = SelectedSeries.upperBound(t, n, maxt);
      if (hi > lo) {
        FloatSeries fs = new FloatSeries(s.labels, hi - lo);
        for (int i = lo; i < hi; i++) {
          fs.add(t[i], f[i]);
        }
        sh.limits.add(fs.n);
        out.add(fs);
      }
    }
    return out;
  }

  /**
   * Evaluates the inner expression on the subquery's own grid: steps of the subquery's resolution, aligned
   * to multiples of it (Prometheus' alignment: the first multiple strictly after start - offset - range).
   */
  List<FloatSeries> evalSubquery(SubqueryExpr sq) {
    long offset = sq.offsetMillis();
    long range = sq.rangeMillis();
    long outerStart = start;
    long outerEnd = end;
    if (sq.at() != null) {
      long at = sq.at().resolve(sh.queryStart, sh.queryEnd);
      outerStart = at;
      outerEnd = at;
    }
    long step = sq.stepMillis() != 0 ? sq.stepMillis() : sh.noStepSubqueryInterval.applyAsLong(range);
    long newEnd = outerEnd - offset;
    long newStart = step * ((outerStart - offset - range) / step);
    if (newStart <= outerStart - offset - range) {
      newStart += step;
    }
    Evaluator sub = new Evaluator(sh, newStart, newEnd, step);
    return sub.eval(sq.expr());
  }

  /**
   * The step loop for nodes computed from their inputs' per-step vectors (Prometheus' {@code rangeEval}).
   * Inputs are matrices on this evaluator's grid; a null input stands for a string argument.
   */
  List<FloatSeries> rangeEval(StepFunction fn, List<List<FloatSeries>> inputs) {
    int steps = numSteps();
    List<List<Sample>> vectors = new ArrayList<>(inputs.size());
    for (List<FloatSeries> in : inputs) {
      if (in != null) {
        for (FloatSeries s : in) {
          s.cursor = 0;
        }
      }
      vectors.add(in == null ? null : new ArrayList<>(in.size()));
    }
    List<Sample> out = new ArrayList<>();
    Map<Labels, FloatSeries> series = new LinkedHashMap<>();
    for (long ts = start; ts <= end; ts += interval) {
      sh.limits.check();
      for (int i = 0; i < inputs.size(); i++) {
        List<FloatSeries> in = inputs.get(i);
        if (in != null) {
          gather(ts, in, vectors.get(i));
        }
      }
      out.clear();
      fn.apply(vectors, ts, out);
      if (start == end) {
        List<FloatSeries> mat = new ArrayList<>(out.size());
        for (Sample s : out) {
          FloatSeries fs = new FloatSeries(s.metric, s.dropName, 1);
          fs.add(ts, s.f);
          mat.add(fs);
        }
        return mat;
      }
      for (Sample s : out) {
        FloatSeries fs = series.get(s.metric);
        if (fs == null) {
          fs = new FloatSeries(s.metric, s.dropName, Math.min(steps, 64));
          series.put(s.metric, fs);
        } else if (fs.n > 0 && fs.t[fs.n - 1] == ts) {
          throw EngineException.execution("vector cannot contain metrics with the same labelset");
        }
        fs.add(ts, s.f);
      }
    }
    return new ArrayList<>(series.values());
  }

  /** The vector of one step: every series that has a point at ts (samples reused across steps). */
  static void gather(long ts, List<FloatSeries> in, List<Sample> vec) {
    vec.clear();
    for (FloatSeries s : in) {
      int c = s.cursor;
      while (c < s.n && s.t[c] < ts) {
        c++;
      }
      if (c < s.n && s.t[c] == ts) {
        // One sample object per series, rewritten each step: step functions consume their input vectors
        // before the next step and never keep them (outputs are copied into the result series).
        Sample smp = s.stepSample;
        if (smp == null) {
          smp = new Sample(s.metric, 0, 0, s.dropName);
          smp.src = s;
          s.stepSample = smp;
        }
        smp.metric = s.metric;
        smp.dropName = s.dropName;
        smp.f = s.f[c];
        smp.t = ts;
        vec.add(smp);
        c++;
      }
      s.cursor = c;
    }
  }

  static List<List<FloatSeries>> inputs(List<FloatSeries> a) {
    List<List<FloatSeries>> l = new ArrayList<>(1);
    l.add(a);
    return l;
  }

  static List<List<FloatSeries>> inputs(List<FloatSeries> a, List<FloatSeries> b) {
    List<List<FloatSeries>> l = new ArrayList<>(2);
    l.add(a);
    l.add(b);
    return l;
  }

  /** Evaluates a scalar-typed expression to one value per step (NaN-free grid, as scalars always have one). */
  double[] evalScalarSteps(Expr e) {
    double[] vals = new double[numSteps()];
    Expr u = unwrap(e);
    if (u instanceof NumberLiteral n) {
      java.util.Arrays.fill(vals, n.value());
      return vals;
    }
    List<FloatSeries> m = eval(e);
    java.util.Arrays.fill(vals, Double.NaN);
    if (!m.isEmpty()) {
      FloatSeries s = m.get(0);
      for (int i = 0; i < s.n; i++) {
        vals[(int) ((s.t[i] - start) / interval)] = s.f[i];
      }
    }
    return vals;
  }

  static Expr unwrap(Expr e) {
    while (e instanceof ParenExpr p) {
      e = p.expr();
    }
    return e;
  }

  static boolean isString(Expr e) {
    return e.type() == ExprType.STRING;
  }

}
