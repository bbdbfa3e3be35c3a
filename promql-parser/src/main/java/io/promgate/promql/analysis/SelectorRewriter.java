package io.promgate.promql.analysis;

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
import java.util.List;
import java.util.function.UnaryOperator;

/** Rebuilds an AST with every vector selector replaced by {@code f(selector)}; everything else is kept. */
final class SelectorRewriter {
  private SelectorRewriter() {
  }

  static Expr rewrite(Expr e, UnaryOperator<VectorSelector> f) {
    if (e instanceof VectorSelector vs) {
      return f.apply(vs);
    } else if (e instanceof MatrixSelector m) {
      return new MatrixSelector(f.apply(m.selector()), m.rangeMillis(), m.rangeExpr(), m.position());
    } else if (e instanceof SubqueryExpr s) {
      return new SubqueryExpr(rewrite(s.expr(), f), s.rangeMillis(), s.rangeExpr(), s.stepMillis(), s.stepExpr(),
          s.offsetMillis(), s.offsetExpr(), s.at(), s.position());
    } else if (e instanceof AggregateExpr a) {
      return new AggregateExpr(a.op(), rewrite(a.expr(), f), a.param() == null ? null : rewrite(a.param(), f),
          a.grouping(), a.without(), a.position());
    } else if (e instanceof BinaryExpr b) {
      return new BinaryExpr(b.op(), rewrite(b.lhs(), f), rewrite(b.rhs(), f), b.matching(), b.returnBool(),
          b.position());
    } else if (e instanceof Call c) {
      List<Expr> args = new ArrayList<>(c.args().size());
      for (Expr a : c.args()) {
        args.add(rewrite(a, f));
      }
      return new Call(c.function(), args, c.position());
    } else if (e instanceof ParenExpr p) {
      return new ParenExpr(rewrite(p.expr(), f), p.position());
    } else if (e instanceof UnaryExpr u) {
      return new UnaryExpr(u.negative(), rewrite(u.expr(), f), u.position());
    }
    return e;
  }
}
