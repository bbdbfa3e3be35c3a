package io.promgate.promql.analysis;

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
import java.util.List;
import java.util.function.Function;

/**
 * The absolute time range of raw data each selector of a query reads, mirroring Prometheus'
 * getTimeRangesForSelector / FindMinMaxTime (promql/engine.go, v3.5):
 * <ul>
 *   <li>start from the query's [start, end]; enclosing subqueries add their offsets and ranges (an
 *       {@code @} on a subquery pins the time and resets what outer subqueries added);</li>
 *   <li>a selector's own {@code @} overrides all that; {@code @ start()}/{@code end()} resolve to the
 *       query's start/end, as Prometheus' PreprocessExpr does;</li>
 *   <li>an instant selector looks back {@code lookback - 1} ms, a range selector {@code range - 1} ms
 *       (the windows are left-open);</li>
 *   <li>the selector's own offset shifts both ends.</li>
 * </ul>
 * Subquery step alignment only ever moves evaluation later, so it is (like upstream) not modelled.
 */
public final class SelectorRanges {
  private SelectorRanges() {
  }

  public static List<SelectorRange> of(Expr expr, long startMs, long endMs, long lookbackMs) {
    return of(expr, startMs, endMs, lookbackMs, c -> null);
  }

  /**
   * As {@link #of(Expr, long, long, long)}, plus the selectors a function call reads besides its arguments
   * (the engine's {@code info()} reads its info metrics): {@code extraSelector} names that selector for a
   * call, or null, and it is ranged as an instant selector in the call's place. The function should answer
   * the same instance every time, since callers look ranges up by selector identity.
   */
  public static List<SelectorRange> of(Expr expr, long startMs, long endMs, long lookbackMs,
      Function<Call, VectorSelector> extraSelector) {
    List<SelectorRange> out = new ArrayList<>();
    walk(expr, new Context(startMs, endMs, lookbackMs, 0, 0, null, ""), extraSelector, out);
    return out;
  }

  /** [min, max] over all selectors, or [0, 0] when the query selects nothing (as FindMinMaxTime). */
  public static long[] minMax(Expr expr, long startMs, long endMs, long lookbackMs) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (SelectorRange r : of(expr, startMs, endMs, lookbackMs)) {
      min = Math.min(min, r.minTime());
      max = Math.max(max, r.maxTime());
    }
    return max == Long.MIN_VALUE ? new long[] {0, 0} : new long[] {min, max};
  }

  /** What the enclosing subqueries contribute, and the innermost function call around. */
  private record Context(long start, long end, long lookback, long subqOffset, long subqRange, Long subqAt,
      String function) {
    Context enter(SubqueryExpr s) {
      if (s.at() != null) {
        return new Context(start, end, lookback, s.offsetMillis(), s.rangeMillis(), s.at().resolve(start, end),
            function);
      }
      return new Context(start, end, lookback, subqOffset + s.offsetMillis(), subqRange + s.rangeMillis(), subqAt,
          function);
    }

    Context call(Call c) {
      return new Context(start, end, lookback, subqOffset, subqRange, subqAt, c.function().name());
    }
  }

  private static void walk(Expr e, Context ctx, Function<Call, VectorSelector> extra, List<SelectorRange> out) {
    if (e instanceof VectorSelector vs) {
      out.add(range(vs, 0, ctx));
    } else if (e instanceof MatrixSelector m) {
      out.add(range(m.selector(), m.rangeMillis(), ctx));
    } else if (e instanceof SubqueryExpr s) {
      walk(s.expr(), ctx.enter(s), extra, out);
    } else if (e instanceof AggregateExpr a) {
      if (a.param() != null) {
        walk(a.param(), ctx, extra, out);
      }
      walk(a.expr(), ctx, extra, out);
    } else if (e instanceof BinaryExpr b) {
      walk(b.lhs(), ctx, extra, out);
      walk(b.rhs(), ctx, extra, out);
    } else if (e instanceof Call c) {
      Context inCall = ctx.call(c);
      for (Expr a : c.args()) {
        walk(a, inCall, extra, out);
      }
      VectorSelector more = extra.apply(c);
      if (more != null) {
        out.add(range(more, 0, inCall));
      }
    } else if (e instanceof ParenExpr p) {
      walk(p.expr(), ctx, extra, out);
    } else if (e instanceof UnaryExpr u) {
      walk(u.expr(), ctx, extra, out);
    }
  }

  private static SelectorRange range(VectorSelector vs, long rangeMillis, Context ctx) {
    long start = ctx.start;
    long end = ctx.end;
    if (ctx.subqAt != null) {
      start = ctx.subqAt;
      end = ctx.subqAt;
    }
    At at = vs.at();
    if (at != null) {
      start = at.resolve(ctx.start, ctx.end);
      end = start;
    } else {
      start = start - ctx.subqOffset - ctx.subqRange;
      end -= ctx.subqOffset;
    }
    start -= (rangeMillis == 0 ? ctx.lookback : rangeMillis) - 1;
    start -= vs.offsetMillis();
    end -= vs.offsetMillis();
    return new SelectorRange(vs, start, end, rangeMillis, ctx.function);
  }
}
