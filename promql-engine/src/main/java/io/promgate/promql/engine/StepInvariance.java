package io.promgate.promql.engine;

import io.promgate.promql.ast.AggregateExpr;
import io.promgate.promql.ast.BinaryExpr;
import io.promgate.promql.ast.Call;
import io.promgate.promql.ast.Expr;
import io.promgate.promql.ast.MatrixSelector;
import io.promgate.promql.ast.NumberLiteral;
import io.promgate.promql.ast.ParenExpr;
import io.promgate.promql.ast.StringLiteral;
import io.promgate.promql.ast.SubqueryExpr;
import io.promgate.promql.ast.UnaryExpr;
import io.promgate.promql.ast.VectorSelector;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Finds the subtrees whose value is the same at every step because all their selectors are pinned by
 * {@code @} (Prometheus' {@code PreprocessExpr} and its {@code StepInvariantExpr} wrapping, same rules:
 * the whole expression, either side of a binary operation, call arguments, a subquery's inner
 * expression). The evaluator computes such a subtree once, at the first step, and repeats the value.
 * Functions whose result depends on the step time (time(), timestamp(), predict_linear, date functions)
 * are never invariant.
 */
final class StepInvariance {
  static final Set<String> AT_MODIFIER_UNSAFE = Set.of("days_in_month", "day_of_month", "day_of_week",
      "day_of_year", "hour", "minute", "month", "year", "predict_linear", "time", "timestamp");

  private final Set<Expr> wrapped = Collections.newSetFromMap(new IdentityHashMap<>());

  private StepInvariance() {
  }

  /** The nodes to evaluate once and repeat. */
  static Set<Expr> of(Expr root) {
    StepInvariance s = new StepInvariance();
    if (s.visit(root)) {
      s.wrapped.add(root);
    }
    return s.wrapped;
  }

  private boolean visit(Expr e) {
    if (e instanceof VectorSelector vs) {
      return vs.at() != null;
    } else if (e instanceof MatrixSelector ms) {
      return visit(ms.selector());
    } else if (e instanceof AggregateExpr a) {
      if (a.param() != null) {
        visit(a.param());
      }
      return visit(a.expr());
    } else if (e instanceof BinaryExpr b) {
      boolean l = visit(b.lhs());
      boolean r = visit(b.rhs());
      if (l && r) {
        return true;
      }
      if (l) {
        wrapped.add(b.lhs());
      }
      if (r) {
        wrapped.add(b.rhs());
      }
      return false;
    } else if (e instanceof Call c) {
      boolean invariant = !AT_MODIFIER_UNSAFE.contains(c.function().name());
      boolean[] args = new boolean[c.args().size()];
      for (int i = 0; i < args.length; i++) {
        args[i] = visit(c.args().get(i));
        invariant &= args[i];
      }
      if (invariant) {
        return true;
      }
      for (int i = 0; i < args.length; i++) {
        if (args[i]) {
          wrapped.add(c.args().get(i));
        }
      }
      return false;
    } else if (e instanceof SubqueryExpr sq) {
      if (visit(sq.expr())) {
        wrapped.add(sq.expr());
      }
      return sq.at() != null;
    } else if (e instanceof ParenExpr p) {
      return visit(p.expr());
    } else if (e instanceof UnaryExpr u) {
      return visit(u.expr());
    }
    return e instanceof StringLiteral || e instanceof NumberLiteral;
  }
}
