package io.promgate.promql.engine;

import io.promgate.model.Labels;
import io.promgate.model.LabelMatcher;
import io.promgate.promql.ast.At;
import io.promgate.promql.ast.Call;
import io.promgate.promql.ast.Expr;
import io.promgate.promql.ast.MatrixSelector;
import io.promgate.promql.ast.StringLiteral;
import io.promgate.promql.ast.SubqueryExpr;
import io.promgate.promql.ast.VectorSelector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How a function call is evaluated (Prometheus' {@code eval} case for {@code *parser.Call}): functions over
 * a range vector walk each series' windows step by step; all others go through {@link Evaluator#rangeEval};
 * {@code label_replace}, {@code label_join} and {@code timestamp(selector)} are handled here because they
 * work on whole series or on raw sample timestamps.
 */
final class FunctionCalls {
  private FunctionCalls() {
  }

  static List<FloatSeries> eval(Evaluator ev, Call c) {
    String name = c.function().name();
    FunctionImpl impl = FunctionTable.IMPLEMENTATIONS.get(name);
    if (impl == null) {
      throw EngineException.execution("unknown function " + name);
    }
    List<Expr> args = c.args();
    if (name.equals("timestamp") && Evaluator.unwrap(args.get(0)) instanceof VectorSelector vs) {
      return timestampOfSelector(ev, vs, c, impl);
    }
    int matrixIdx = -1;
    for (int i = 0; i < args.size(); i++) {
      Expr a = Evaluator.unwrap(args.get(i));
      if (a instanceof MatrixSelector || a instanceof SubqueryExpr) {
        matrixIdx = i;
        break;
      }
    }
    switch (name) {
      case "label_replace":
        return LabelFunctions.labelReplace(ev, c);
      case "label_join":
        return LabelFunctions.labelJoin(ev, c);
      case "info":
        return InfoFunction.eval(ev, c);
      default:
        break;
    }
    StepContext ctx = new StepContext(c, ev.sh.annotations);
    if (matrixIdx < 0) {
      List<List<FloatSeries>> inputs = new ArrayList<>(args.size());
      for (Expr a : args) {
        inputs.add(Evaluator.isString(a) ? null : ev.eval(a));
      }
      Object[] callArgs = new Object[args.size()];
      return ev.rangeEval((vecs, ts, out) -> {
        for (int i = 0; i < callArgs.length; i++) {
          callArgs[i] = vecs.get(i);
        }
        ctx.ts = ts;
        impl.apply(callArgs, ctx, out);
      }, inputs);
    }
    return overRange(ev, c, impl, matrixIdx, ctx);
  }

  /** A function over a range vector: for each series, for each step, the window (ref - range, ref]. */
  private static List<FloatSeries> overRange(Evaluator ev, Call c, FunctionImpl impl, int matrixIdx,
      StepContext ctx) {
    String name = c.function().name();
    List<Expr> args = c.args();
    Object[] callArgs = new Object[args.size()];
    double[][] otherArgs = new double[args.size()][];
    List<List<Sample>> scalarVecs = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      scalarVecs.add(null);
      if (i != matrixIdx && !Evaluator.isString(args.get(i))) {
        otherArgs[i] = ev.evalScalarSteps(args.get(i));
        List<Sample> one = new ArrayList<>(1);
        one.add(new Sample(Labels.EMPTY, 0, 0, false));
        scalarVecs.set(i, one);
        callArgs[i] = one;
      }
    }
    Expr m = Evaluator.unwrap(args.get(matrixIdx));
    long range;
    long offset;
    At at;
    List<Labels> labels = new ArrayList<>();
    List<long[]> ts = new ArrayList<>();
    List<double[]> fs = new ArrayList<>();
    List<Integer> ns = new ArrayList<>();
    if (m instanceof MatrixSelector ms) {
      range = ms.rangeMillis();
      offset = ms.selector().offsetMillis();
      at = ms.selector().at();
      for (SelectedSeries s : ev.data(ms.selector())) {
        labels.add(s.labels);
        ts.add(s.windowT());
        fs.add(s.windowF());
        ns.add(s.windowSize());
      }
    } else {
      SubqueryExpr sq = (SubqueryExpr) m;
      range = sq.rangeMillis();
      offset = sq.offsetMillis();
      at = sq.at();
      for (FloatSeries s : ev.evalSubquery(sq)) {
        labels.add(s.metric);
        ts.add(s.t);
        fs.add(s.f);
        ns.add(s.n);
      }
    }
    boolean dropName = !name.equals("last_over_time");
    StepContext.Window w = new StepContext.Window();
    w.rangeMillis = range;
    callArgs[matrixIdx] = w;
    List<FloatSeries> out = new ArrayList<>(labels.size());
    StepContext.ResultSlot res = new StepContext.ResultSlot();
    int steps = ev.numSteps();
    for (int si = 0; si < labels.size(); si++) {
      ev.sh.limits.check();
      long[] t = ts.get(si);
      double[] f = fs.get(si);
      int n = ns.get(si);
      w.metric = labels.get(si);
      w.t = t;
      w.f = f;
      FloatSeries outSeries = null;
      int step = 0;
      int lo = 0;
      int hi = 0;
      for (long stepTs = ev.start; stepTs <= ev.end; stepTs += ev.interval, step++) {
        for (int j = 0; j < args.size(); j++) {
          if (otherArgs[j] != null) {
            scalarVecs.get(j).get(0).f = otherArgs[j][step];
          }
        }
        long maxt = ev.refTime(stepTs, at, offset);
        long mint = maxt - range;
        while (lo < n && t[lo] <= mint) {
          lo++;
        }
        if (hi < lo) {
          hi = lo;
        }
        while (hi < n && t[hi] <= maxt) {
          hi++;
        }
        if (at != null) {
          lo = SelectedSeries.upperBound(t, n, mint);
          hi = SelectedSeries.upperBound(t, n, maxt);
        }
        if (hi <= lo) {
          continue;
        }
        w.lo = lo;
        w.hi = hi;
        w.rangeStart = mint;
        w.rangeEnd = maxt;
        ctx.ts = stepTs;
        res.clear();
        impl.apply(callArgs, ctx, res);
        if (!res.isEmpty()) {
          if (outSeries == null) {
            outSeries = new FloatSeries(labels.get(si), dropName, Math.min(steps, 64));
          }
          outSeries.add(stepTs, res.value());
        }
      }
      if (outSeries != null) {
        ev.sh.limits.add(outSeries.n);
        out.add(outSeries);
      }
      if ((name.equals("rate") || name.equals("increase")) && outSeries != null) {
        String metricName = labels.get(si).metricName();
        if (!metricName.isEmpty() && !metricName.endsWith("_total") && !metricName.endsWith("_sum")
            && !metricName.endsWith("_count") && !metricName.endsWith("_bucket")) {
          ev.sh.annotations.info("metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "
              + Annotations.quote(metricName));
        }
      }
    }
    if (name.equals("absent_over_time")) {
      return absentOverTime(ev, out, args.get(0));
    }
    return out;
  }

  private static List<FloatSeries> absentOverTime(Evaluator ev, List<FloatSeries> mat, Expr arg) {
    int steps = ev.numSteps();
    for (FloatSeries s : mat) {
      if (s.n == steps) {
        return new ArrayList<>();
      }
    }
    Set<Long> found = new HashSet<>();
    for (FloatSeries s : mat) {
      for (int i = 0; i < s.n; i++) {
        found.add(s.t[i]);
      }
    }
    if (found.size() == steps) {
      return new ArrayList<>();
    }
    FloatSeries res = new FloatSeries(absentLabels(arg), true, steps - found.size());
    for (long ts = ev.start; ts <= ev.end; ts += ev.interval) {
      if (!found.contains(ts)) {
        res.add(ts, 1);
      }
    }
    List<FloatSeries> out = new ArrayList<>(1);
    out.add(res);
    return out;
  }

  /** Labels of absent()'s output: the equality matchers of the selector, except names given twice. */
  static Labels absentLabels(Expr expr) {
    Expr e = Evaluator.unwrap(expr);
    List<LabelMatcher> lm;
    if (e instanceof VectorSelector vs) {
      lm = vs.matchers();
    } else if (e instanceof MatrixSelector ms) {
      lm = ms.selector().matchers();
    } else {
      return Labels.EMPTY;
    }
    Labels.Builder b = Labels.builder();
    Set<String> has = new HashSet<>();
    for (LabelMatcher m : lm) {
      if (m.name().equals(Labels.METRIC_NAME)) {
        continue;
      }
      if (m.type() == LabelMatcher.Type.EQ && !has.contains(m.name())) {
        b.set(m.name(), m.value());
        has.add(m.name());
      } else {
        b.del(m.name());
      }
    }
    return b.build();
  }

  /**
   * timestamp(selector) reads the timestamps of the raw samples the selector picks. With {@code @} it reads
   * at the pinned time and ignores the offset, as Prometheus does (issue 8433 fix).
   */
  private static List<FloatSeries> timestampOfSelector(Evaluator ev, VectorSelector vs, Call c, FunctionImpl impl) {
    List<SelectedSeries> data = ev.data(vs);
    StepContext ctx = new StepContext(c, ev.sh.annotations);
    Object[] callArgs = new Object[1];
    return ev.rangeEval((vecs, ts, out) -> {
      List<Sample> vec = new ArrayList<>(data.size());
      long ref = vs.at() != null ? vs.at().resolve(ev.sh.queryStart, ev.sh.queryEnd) : ts - vs.offsetMillis();
      for (SelectedSeries s : data) {
        int i = s.lastAtOrBefore(ref);
        if (i < 0 || s.t[i] <= ref - ev.sh.lookback || io.promgate.model.StaleNaN.is(s.f[i])) {
          continue;
        }
        vec.add(new Sample(s.labels, s.f[i], s.t[i], false));
      }
      callArgs[0] = vec;
      ctx.ts = ts;
      impl.apply(callArgs, ctx, out);
    }, new ArrayList<>());
  }

  static String stringArg(Call c, int i) {
    Expr e = Evaluator.unwrap(c.args().get(i));
    if (e instanceof StringLiteral s) {
      return s.value();
    }
    throw EngineException.execution("expected string literal as argument " + (i + 1) + " of " + c.function().name());
  }

  static void checkDistinct(List<FloatSeries> matrix) {
    if (matrix.size() < 2) {
      return;
    }
    Set<Labels> seen = new HashSet<>();
    for (FloatSeries s : matrix) {
      if (!seen.add(s.metric)) {
        throw EngineException.execution("vector cannot contain metrics with the same labelset");
      }
    }
  }
}
