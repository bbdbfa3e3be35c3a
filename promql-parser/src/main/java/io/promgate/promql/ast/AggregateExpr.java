package io.promgate.promql.ast;

import java.util.List;

/**
 * An aggregation.
 *
 * @param param the parameter of topk/bottomk/quantile/count_values/limitk/limit_ratio, else null
 * @param grouping the labels in {@code by(...)} or {@code without(...)}, in the order written
 * @param without true for {@code without}, false for {@code by} or no clause
 */
public record AggregateExpr(AggregateOp op, Expr expr, Expr param, List<String> grouping, boolean without,
    PositionRange position) implements Expr {
  public AggregateExpr {
    grouping = List.copyOf(grouping);
  }

  @Override
  public ExprType type() {
    return ExprType.VECTOR;
  }
}
