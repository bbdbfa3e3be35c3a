package io.promgate.promql.engine;

import io.promgate.model.Querier;
import io.promgate.model.Queryable;
import io.promgate.model.SampleIterator;
import io.promgate.model.SelectHints;
import io.promgate.model.Series;
import io.promgate.model.SeriesSet;
import io.promgate.model.ValueType;
import io.promgate.promql.ast.AggregateExpr;
import io.promgate.promql.ast.At;
import io.promgate.promql.ast.BinaryExpr;
import io.promgate.promql.ast.Call;
import io.promgate.promql.ast.Expr;
import io.promgate.promql.ast.MatrixSelector;
import io.promgate.promql.ast.ParenExpr;
import io.promgate.promql.ast.SubqueryExpr;
import io.promgate.promql.ast.UnaryExpr;
import io.promgate.promql.ast.VectorSelector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * "I/O first": walks the AST once, works out for every selector the time range it can read (as
 * Prometheus' {@code FindMinMaxTime} / {@code getTimeRangesForSelector}: subquery ranges and offsets,
 * {@code @}, lookback or matrix range, left-open so one millisecond less), opens one querier over the union
 * and selects every selector from it. Evaluation afterwards never touches storage.
 */
final class SeriesFetcher {
  private record Planned(VectorSelector selector, long start, long end, long range, String func,
      List<String> grouping, boolean by, long step) {
  }

  private final long queryStart;
  private final long queryEnd;
  private final long step;
  private final long lookback;
  private final java.util.function.LongUnaryOperator noStepSubqueryInterval;
  private final List<Planned> planned = new ArrayList<>();
  /** The extra select of each info() call (its info metrics), planned like a selector. */
  final Map<Call, VectorSelector> infoSelectors = new IdentityHashMap<>();

  SeriesFetcher(long queryStart, long queryEnd, long step, long lookback,
      java.util.function.LongUnaryOperator noStepSubqueryInterval) {
    this.queryStart = queryStart;
    this.queryEnd = queryEnd;
    this.step = step;
    this.lookback = lookback;
    this.noStepSubqueryInterval = noStepSubqueryInterval;
  }

  /** Subquery context along the path from the root. */
  private record Path(long subqOffset, long subqRange, Long subqAt, long lastSubqStep, String func,
      List<String> grouping, boolean by) {
  }

  /** The selects a query will issue, in order, without issuing them. */
  List<Engine.PlannedSelect> plan(Expr root) {
    walk(root, new Path(0, 0, null, 0, "", List.of(), false), 0);
    List<Engine.PlannedSelect> out = new ArrayList<>(planned.size());
    for (Planned p : planned) {
      out.add(new Engine.PlannedSelect(p.selector,
          new SelectHints(p.start, p.end, p.step, p.range, p.func, p.grouping, p.by)));
    }
    return out;
  }

  Map<VectorSelector, List<SelectedSeries>> fetch(Expr root, Queryable queryable, Annotations annotations,
      Evaluator.Limits limits) {
    walk(root, new Path(0, 0, null, 0, "", List.of(), false), 0);
    Map<VectorSelector, List<SelectedSeries>> out = new IdentityHashMap<>();
    List<io.promgate.model.Labels> histograms = new ArrayList<>();
    if (planned.isEmpty()) {
      return out;
    }
    long mint = Long.MAX_VALUE;
    long maxt = Long.MIN_VALUE;
    for (Planned p : planned) {
      mint = Math.min(mint, p.start);
      maxt = Math.max(maxt, p.end);
    }
    try (Querier querier = queryable.querier(mint, maxt)) {
      for (Planned p : planned) {
        if (out.containsKey(p.selector)) {
          continue;
        }
        SelectHints hints = new SelectHints(p.start, p.end, p.step, p.range, p.func, p.grouping, p.by);
        SeriesSet set = querier.select(false, hints, p.selector.matchers());
        List<SelectedSeries> list = new ArrayList<>();
        while (set.next()) {
          limits.check();
          SelectedSeries s = read(set.at(), p.start, p.end, histograms);
          if (s != null) {
            // Raw samples are not counted against max samples: like Prometheus, the limit applies to what
            // evaluation materialises (selector points per step, results), so long ranges stay possible.
            list.add(s);
          }
        }
        for (String w : set.warnings()) {
          annotations.storageWarning(w);
        }
        out.put(p.selector, list);
      }
      if (!histograms.isEmpty()) {
        annotations.warn("native histogram samples are not supported yet and were ignored, e.g. in "
            + histograms.get(0) + (histograms.size() > 1 ? " and " + (histograms.size() - 1) + " more series" : ""));
      }
    }
    return out;
  }

  /**
   * Copies the float samples of [start, end] into arrays. Native histogram samples are not evaluated yet:
   * they are left out and the series is recorded, so the query answers for the floats with a warning
   * instead of failing as a whole.
   */
  private static SelectedSeries read(Series series, long start, long end, List<io.promgate.model.Labels> histograms) {
    SampleIterator it = series.iterator();
    long[] t = new long[16];
    double[] f = new double[16];
    int n = 0;
    ValueType vt = it.seek(start);
    while (vt != ValueType.NONE) {
      long ts = it.timestamp();
      if (ts > end) {
        break;
      }
      if (vt == ValueType.HISTOGRAM) {
        if (histograms.isEmpty() || histograms.get(histograms.size() - 1) != series.labels()) {
          histograms.add(series.labels());
        }
      } else if (ts >= start && (n == 0 || ts > t[n - 1])) {
        if (n == t.length) {
          // Size for the whole range from the first interval, so regular scrapes need one growth at most.
          int cap = n * 2;
          if (n >= 2 && t[1] > t[0]) {
            cap = (int) Math.max(cap, Math.min((end - t[0]) / (t[1] - t[0]) + 2, 1 << 24));
          }
          t = Arrays.copyOf(t, cap);
          f = Arrays.copyOf(f, cap);
        }
        t[n] = ts;
        f[n] = it.value();
        n++;
      }
      vt = it.next();
    }
    return new SelectedSeries(series.labels(), t, f, n);
  }

  private void walk(Expr e, Path path, long evalRange) {
    if (e instanceof VectorSelector vs) {
      plan(vs, path, evalRange);
    } else if (e instanceof MatrixSelector ms) {
      walk(ms.selector(), path, ms.rangeMillis());
    } else if (e instanceof SubqueryExpr sq) {
      long off = path.subqOffset + sq.offsetMillis();
      long rng = path.subqRange + sq.rangeMillis();
      Long at = path.subqAt;
      if (sq.at() != null) {
        off = sq.offsetMillis();
        rng = sq.rangeMillis();
        at = sq.at().resolve(queryStart, queryEnd);
      }
      long st = sq.stepMillis() != 0 ? sq.stepMillis() : noStepSubqueryInterval.applyAsLong(sq.rangeMillis());
      walk(sq.expr(), new Path(off, rng, at, st, path.func, path.grouping, path.by), 0);
    } else if (e instanceof AggregateExpr a) {
      Path p = new Path(path.subqOffset, path.subqRange, path.subqAt, path.lastSubqStep, a.op().keyword(),
          a.grouping(), !a.without());
      walk(a.expr(), p, 0);
      if (a.param() != null) {
        walk(a.param(), p, 0);
      }
    } else if (e instanceof Call c) {
      Path p = new Path(path.subqOffset, path.subqRange, path.subqAt, path.lastSubqStep,
          c.function().name(), List.of(), false);
      for (Expr arg : c.args()) {
        walk(arg, p, 0);
      }
      if (c.function().name().equals("info")) {
        VectorSelector info = InfoFunction.infoSelector(c);
        infoSelectors.put(c, info);
        plan(info, p, 0);
      }
    } else if (e instanceof BinaryExpr b) {
      Path p = new Path(path.subqOffset, path.subqRange, path.subqAt, path.lastSubqStep, "", List.of(), false);
      walk(b.lhs(), p, 0);
      walk(b.rhs(), p, 0);
    } else if (e instanceof ParenExpr pe) {
      walk(pe.expr(), path, evalRange);
    } else if (e instanceof UnaryExpr u) {
      walk(u.expr(), path, evalRange);
    }
  }

  private void plan(VectorSelector n, Path path, long evalRange) {
    long start = queryStart;
    long end = queryEnd;
    if (path.subqAt != null) {
      start = path.subqAt;
      end = path.subqAt;
    }
    At at = n.at();
    if (at != null) {
      start = at.resolve(queryStart, queryEnd);
      end = start;
    } else {
      start = start - path.subqOffset - path.subqRange;
      end -= path.subqOffset;
    }
    start -= (evalRange == 0 ? lookback : evalRange) - 1;
    start -= n.offsetMillis();
    end -= n.offsetMillis();
    long st = path.lastSubqStep != 0 ? path.lastSubqStep : step;
    planned.add(new Planned(n, start, end, evalRange, path.func, path.grouping, path.by, st));
  }
}
