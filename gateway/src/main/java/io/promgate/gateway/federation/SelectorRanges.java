package io.promgate.gateway.federation;

import io.promgate.model.LabelMatcher;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The selectors of a query with the absolute data range each reads, as Prometheus'
 * {@code FindMinMaxTime}/{@code getTimeRangesForSelector} (and our engine's fetcher) compute them:
 * subquery ranges and offsets, {@code @}, matrix range or lookback, offsets; left-open windows, so the
 * first millisecond read is {@code t - range + 1}.
 *
 * <p>Selectors with equal matchers are joined into one use covering both ranges: the federation fetches
 * each distinct matcher list once, and the engine reads every selector with those matchers from it.
 */
public final class SelectorRanges {
  /** One distinct matcher list, the union of the ranges it is read over, and the functions around it. */
  public record Use(List<LabelMatcher> matchers, long startMs, long endMs, String func) {}

  private record Ctx(long subqOffset, long subqRange, Long subqAt, String func) {}

  private final long start;
  private final long end;
  private final long lookback;
  private final Map<List<LabelMatcher>, Use> uses = new LinkedHashMap<>();

  private SelectorRanges(long start, long end, long lookback) {
    this.start = start;
    this.end = end;
    this.lookback = lookback;
  }

  public static List<Use> of(Expr expr, long startMs, long endMs, long lookbackMs) {
    SelectorRanges r = new SelectorRanges(startMs, endMs, lookbackMs);
    r.walk(expr, new Ctx(0, 0, null, ""), 0);
    return new ArrayList<>(r.uses.values());
  }

  private void walk(Expr e, Ctx c, long range) {
    if (e instanceof VectorSelector vs) {
      add(vs, c, range);
    } else if (e instanceof MatrixSelector ms) {
      walk(ms.selector(), c, ms.rangeMillis());
    } else if (e instanceof SubqueryExpr sq) {
      Ctx n = sq.at() != null
          ? new Ctx(sq.offsetMillis(), sq.rangeMillis(), sq.at().resolve(start, end), c.func)
          : new Ctx(c.subqOffset + sq.offsetMillis(), c.subqRange + sq.rangeMillis(), c.subqAt, c.func);
      walk(sq.expr(), n, 0);
    } else if (e instanceof AggregateExpr a) {
      walk(a.expr(), c, 0);
      if (a.param() != null) {
        walk(a.param(), c, 0);
      }
    } else if (e instanceof Call call) {
      Ctx n = new Ctx(c.subqOffset, c.subqRange, c.subqAt, call.function().name());
      for (Expr arg : call.args()) {
        walk(arg, n, 0);
      }
    } else if (e instanceof BinaryExpr b) {
      walk(b.lhs(), c, 0);
      walk(b.rhs(), c, 0);
    } else if (e instanceof ParenExpr p) {
      walk(p.expr(), c, range);
    } else if (e instanceof UnaryExpr u) {
      walk(u.expr(), c, range);
    }
  }

  private void add(VectorSelector n, Ctx c, long range) {
    long s;
    long t;
    if (n.at() != null) {
      s = n.at().resolve(start, end);
      t = s;
    } else if (c.subqAt != null) {
      s = c.subqAt - c.subqOffset - c.subqRange;
      t = c.subqAt - c.subqOffset;
    } else {
      s = start - c.subqOffset - c.subqRange;
      t = end - c.subqOffset;
    }
    s -= (range == 0 ? lookback : range) - 1;
    s -= n.offsetMillis();
    t -= n.offsetMillis();
    Use prev = uses.get(n.matchers());
    String func = c.func;
    if (prev != null) {
      s = Math.min(s, prev.startMs());
      t = Math.max(t, prev.endMs());
      // A counter function anywhere decides counter-aware dedup for the shared fetch.
      func = io.promgate.model.merge.ReplicaDeduplicator.COUNTER_FUNCTIONS.contains(prev.func()) ? prev.func() : func;
    }
    uses.put(n.matchers(), new Use(n.matchers(), s, t, func));
  }
}
