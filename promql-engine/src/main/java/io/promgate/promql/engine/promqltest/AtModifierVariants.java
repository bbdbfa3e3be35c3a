package io.promgate.promql.engine.promqltest;

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
import java.util.Set;

/**
 * The reference runner's extra check of instant evals (promqltest {@code atModifierTestCases}): pin every
 * selector and subquery outside subqueries with {@code @ evalTime}, then the result must be the same when
 * evaluated at other times. Skipped when the query uses a function whose result depends on the step time.
 */
final class AtModifierVariants {
  private static final Set<String> UNSAFE = Set.of("days_in_month", "day_of_month", "day_of_week", "day_of_year",
      "hour", "minute", "month", "year", "predict_linear", "time", "timestamp");

  private AtModifierVariants() {
  }

  /** The pinned expression, or null when the query contains @-unsafe functions. */
  static Expr pin(Expr e, long ts) {
    boolean[] unsafe = {false};
    Expr out = rewrite(e, ts, unsafe);
    return unsafe[0] ? null : out;
  }

  static List<Long> evalTimes(long ts) {
    List<Long> l = new ArrayList<>();
    if (ts == 0) {
      l.add(-1000L);
      l.add(0L);
      l.add(1000L);
    } else {
      l.add(-10 * ts);
      l.add(0L);
      l.add(ts / 5);
      l.add(ts);
      l.add(10 * ts);
    }
    return l;
  }

  private static Expr rewrite(Expr e, long ts, boolean[] unsafe) {
    if (e instanceof VectorSelector vs) {
      return vs.at() != null ? vs : withAt(vs, ts);
    } else if (e instanceof MatrixSelector ms) {
      VectorSelector vs = ms.selector();
      return vs.at() != null ? ms : new MatrixSelector(withAt(vs, ts), ms.rangeMillis(), ms.rangeExpr(), ms.position());
    } else if (e instanceof SubqueryExpr sq) {
      if (sq.at() != null) {
        return sq;
      }
      return new SubqueryExpr(sq.expr(), sq.rangeMillis(), sq.rangeExpr(), sq.stepMillis(), sq.stepExpr(),
          sq.offsetMillis(), sq.offsetExpr(), At.time(ts), sq.position());
    } else if (e instanceof AggregateExpr a) {
      return new AggregateExpr(a.op(), rewrite(a.expr(), ts, unsafe), a.param() == null ? null
          : rewrite(a.param(), ts, unsafe), a.grouping(), a.without(), a.position());
    } else if (e instanceof BinaryExpr b) {
      return new BinaryExpr(b.op(), rewrite(b.lhs(), ts, unsafe), rewrite(b.rhs(), ts, unsafe), b.matching(),
          b.returnBool(), b.position());
    } else if (e instanceof Call c) {
      if (UNSAFE.contains(c.function().name())) {
        unsafe[0] = true;
      }
      List<Expr> args = new ArrayList<>();
      for (Expr a : c.args()) {
        args.add(rewrite(a, ts, unsafe));
      }
      return new Call(c.function(), args, c.position());
    } else if (e instanceof ParenExpr p) {
      return new ParenExpr(rewrite(p.expr(), ts, unsafe), p.position());
    } else if (e instanceof UnaryExpr u) {
      return new UnaryExpr(u.negative(), rewrite(u.expr(), ts, unsafe), u.position());
    }
    return e;
  }

  private static VectorSelector withAt(VectorSelector vs, long ts) {
    return new VectorSelector(vs.name(), vs.matchers(), vs.offsetMillis(), vs.offsetExpr(), At.time(ts),
        vs.position());
  }
}
