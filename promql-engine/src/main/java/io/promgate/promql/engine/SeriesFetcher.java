package io.promgate.promql.engine;

import io.promgate.model.Querier;
import io.promgate.model.Queryable;
import io.promgate.model.SampleIterator;
import io.promgate.model.SelectHints;
import io.promgate.model.Series;
import io.promgate.model.SeriesSet;
import io.promgate.model.ValueType;
import io.promgate.promql.analysis.SelectorRange;
import io.promgate.promql.analysis.SelectorRanges;
import io.promgate.promql.ast.AggregateExpr;
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
 * "I/O first": takes for every selector the time range it can read from the parser's analysis
 * ({@link SelectorRanges}, Prometheus' {@code FindMinMaxTime} / {@code getTimeRangesForSelector}: subquery
 * ranges and offsets, {@code @}, lookback or matrix range, left-open so one millisecond less), opens one
 * querier over the union and selects every selector from it. Evaluation afterwards never touches storage.
 */
final class SeriesFetcher {
  /**
   * @param windowWidth when > 0, only samples within (ref - windowWidth, ref] for the steps' reference times
   *     (ref = firstRef + k * step, up to end) are needed: the windows of a range query leave gaps between
   *     them (range or lookback shorter than the step), so reading only them keeps memory at
   *     O(steps x window) instead of O(whole range) for long, coarse queries.
   */
  private record Planned(VectorSelector selector, long start, long end, long range, String func,
      List<String> grouping, boolean by, long step, long windowWidth, long firstRef, boolean existenceOnly) {
  }

  private final long queryStart;
  private final long queryEnd;
  private final long step;
  private final long lookback;
  private final java.util.function.LongUnaryOperator noStepSubqueryInterval;
  private final List<Planned> planned = new ArrayList<>();
  /** The extra select of each info() call (its info metrics), planned like a selector. */
  final Map<Call, VectorSelector> infoSelectors = new IdentityHashMap<>();
  private Map<VectorSelector, SelectorRange> ranges;

  SeriesFetcher(long queryStart, long queryEnd, long step, long lookback,
      java.util.function.LongUnaryOperator noStepSubqueryInterval) {
    this.queryStart = queryStart;
    this.queryEnd = queryEnd;
    this.step = step;
    this.lookback = lookback;
    this.noStepSubqueryInterval = noStepSubqueryInterval;
  }

  /** What the engine's hints need from the path from the root (the ranges come from the parser). */
  private record Path(long lastSubqStep, Long subqAt, String func, List<String> grouping, boolean by) {
  }

  /** The selects a query will issue, in order, without issuing them. */
  List<Engine.PlannedSelect> plan(Expr root) {
    planAll(root);
    List<Engine.PlannedSelect> out = new ArrayList<>(planned.size());
    for (Planned p : planned) {
      out.add(new Engine.PlannedSelect(p.selector,
          new SelectHints(p.start, p.end, p.step, p.range, p.func, p.grouping, p.by)));
    }
    return out;
  }

  Map<VectorSelector, List<SelectedSeries>> fetch(Expr root, Queryable queryable, Annotations annotations,
      Evaluator.Limits limits) {
    planAll(root);
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
    Map<VectorSelector, Integer> uses = new IdentityHashMap<>();
    for (Planned p : planned) {
      uses.merge(p.selector, 1, Integer::sum);
    }
    try (Querier querier = queryable.querier(mint, maxt)) {
      for (Planned p : planned) {
        if (out.containsKey(p.selector)) {
          continue;
        }
        SelectHints hints = new SelectHints(p.start, p.end, p.step, p.range, p.func, p.grouping, p.by);
        SeriesSet set = querier.select(false, hints, p.selector.matchers());
        List<SelectedSeries> list = new ArrayList<>();
        Coverage coverage = p.existenceOnly && uses.get(p.selector) == 1 ? new Coverage(p.selector) : null;
        while (set.next()) {
          limits.check();
          SelectedSeries s = p.windowWidth > 0 ? readWindows(set.at(), p, histograms)
              : read(set.at(), p.start, p.end, histograms);
          if (s != null) {
            // Raw samples are not counted against max samples: like Prometheus, the limit applies to what
            // evaluation materialises (selector points per step, results), so long ranges stay possible.
            list.add(s);
            if (coverage != null && coverage.addAndCheckFull(s)) {
              // absent() only asks whether some series has a point at each step: once every step has one,
              // the rest of the selector's series cannot change its answer, so they are not decoded.
              break;
            }
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
   * Which steps of the query grid already have a point of the selector, judged as {@link Evaluator}'s
   * selector evaluation does (the last sample at or before the reference time, within the lookback, not a
   * stale marker).
   */
  private final class Coverage {
    private final VectorSelector selector;
    private final boolean[] covered;
    private int missing;

    Coverage(VectorSelector selector) {
      this.selector = selector;
      int steps = step == 0 ? 1 : (int) ((queryEnd - queryStart) / step) + 1;
      this.covered = new boolean[steps];
      this.missing = steps;
    }

    boolean addAndCheckFull(SelectedSeries s) {
      long base = selector.at() == null ? Long.MIN_VALUE : selector.at().resolve(queryStart, queryEnd);
      for (int k = 0; k < covered.length; k++) {
        if (covered[k]) {
          continue;
        }
        long ts = queryStart + k * (step == 0 ? 0 : step);
        long ref = (base == Long.MIN_VALUE ? ts : base) - selector.offsetMillis();
        int i = s.lastAtOrBefore(ref);
        if (i >= 0 && s.t[i] > ref - lookback && !io.promgate.model.StaleNaN.is(s.f[i])) {
          covered[k] = true;
          missing--;
        }
      }
      return missing == 0;
    }
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

  /** Reads only the samples of the planned windows, seeking over the gaps between them. */
  private static SelectedSeries readWindows(Series series, Planned p, List<io.promgate.model.Labels> histograms) {
    SampleIterator it = series.iterator();
    long[] t = new long[16];
    double[] f = new double[16];
    int n = 0;
    long last = Long.MIN_VALUE;
    for (long ref = p.firstRef; ref <= p.end; ref += p.step) {
      long lo = Math.max(ref - p.windowWidth + 1, last == Long.MIN_VALUE ? Long.MIN_VALUE : last + 1);
      ValueType vt = it.seek(lo);
      while (vt != ValueType.NONE) {
        long ts = it.timestamp();
        if (ts > ref) {
          break;
        }
        if (vt == ValueType.HISTOGRAM) {
          if (histograms.isEmpty() || histograms.get(histograms.size() - 1) != series.labels()) {
            histograms.add(series.labels());
          }
        } else if (ts >= lo && ts > last) {
          if (n == t.length) {
            t = Arrays.copyOf(t, n * 2);
            f = Arrays.copyOf(f, n * 2);
          }
          t[n] = ts;
          f[n] = it.value();
          n++;
          last = ts;
        }
        vt = it.next();
      }
      if (vt == ValueType.NONE) {
        break;
      }
    }
    return new SelectedSeries(series.labels(), t, f, n);
  }

  /**
   * Plans every selector: its data range comes from the parser's analysis ({@link SelectorRanges}, the one
   * implementation of Prometheus' getTimeRangesForSelector, shared with the federation); this walk adds
   * what only the engine needs (Select hints: enclosing function or aggregation, grouping, subquery step;
   * windowed reads), in evaluation order.
   */
  private void planAll(Expr root) {
    ranges = new IdentityHashMap<>();
    for (SelectorRange r : SelectorRanges.of(root, queryStart, queryEnd, lookback, this::infoSelector)) {
      // A node shared by two places of the tree (rewritten ASTs) is fetched once, over both ranges.
      ranges.merge(r.selector(), r, (a, b) -> new SelectorRange(a.selector(), Math.min(a.minTime(), b.minTime()),
          Math.max(a.maxTime(), b.maxTime()), a.rangeMillis(), a.function()));
    }
    walk(root, new Path(0, null, "", List.of(), false));
  }

  private VectorSelector infoSelector(Call c) {
    return c.function().name().equals("info") ? infoSelectors.computeIfAbsent(c, InfoFunction::infoSelector) : null;
  }

  private void walk(Expr e, Path path) {
    if (e instanceof VectorSelector vs) {
      plan(vs, path);
    } else if (e instanceof MatrixSelector ms) {
      walk(ms.selector(), path);
    } else if (e instanceof SubqueryExpr sq) {
      Long at = path.subqAt;
      if (sq.at() != null) {
        at = sq.at().resolve(queryStart, queryEnd);
      }
      long st = sq.stepMillis() != 0 ? sq.stepMillis() : noStepSubqueryInterval.applyAsLong(sq.rangeMillis());
      walk(sq.expr(), new Path(st, at, path.func, path.grouping, path.by));
    } else if (e instanceof AggregateExpr a) {
      Path p = new Path(path.lastSubqStep, path.subqAt, a.op().keyword(), a.grouping(), !a.without());
      walk(a.expr(), p);
      if (a.param() != null) {
        walk(a.param(), p);
      }
    } else if (e instanceof Call c) {
      Path p = new Path(path.lastSubqStep, path.subqAt, c.function().name(), List.of(), false);
      for (Expr arg : c.args()) {
        walk(arg, p);
      }
      VectorSelector info = infoSelector(c);
      if (info != null) {
        plan(info, p);
      }
    } else if (e instanceof BinaryExpr b) {
      Path p = new Path(path.lastSubqStep, path.subqAt, "", List.of(), false);
      walk(b.lhs(), p);
      walk(b.rhs(), p);
    } else if (e instanceof ParenExpr pe) {
      walk(pe.expr(), path);
    } else if (e instanceof UnaryExpr u) {
      walk(u.expr(), path);
    }
  }

  private void plan(VectorSelector n, Path path) {
    SelectorRange r = ranges.get(n);
    if (r == null) {
      throw new IllegalStateException("selector without a planned range: " + n);
    }
    long st = path.lastSubqStep != 0 ? path.lastSubqStep : step;
    // Windowed reads only on the query's own grid (no subquery, no @) when windows do not touch.
    long width = r.rangeMillis() == 0 ? lookback : r.rangeMillis();
    boolean windowed = step > 0 && path.lastSubqStep == 0 && path.subqAt == null && n.at() == null && width < step;
    long firstRef = queryStart - n.offsetMillis();
    // The argument of absent() itself (through parentheses or a unary minus only), on the query's own grid.
    boolean existenceOnly = path.func.equals("absent") && r.rangeMillis() == 0 && path.lastSubqStep == 0
        && path.subqAt == null;
    planned.add(new Planned(n, r.minTime(), r.maxTime(), r.rangeMillis(), path.func, path.grouping, path.by, st,
        windowed ? width : 0, firstRef, existenceOnly));
  }
}
