package io.promgate.promql.ast;

import io.promgate.model.LabelMatcher;
import java.util.List;

/**
 * An instant vector selector.
 *
 * @param name the metric name written before the braces, or null; when present, {@code matchers} also holds
 *     the equivalent {@code __name__="name"} matcher, as in Prometheus
 * @param matchers all matchers, in the order written (the name matcher last when a name was written)
 * @param offsetMillis the offset in ms (negative allowed), 0 when none
 * @param offsetExpr the offset as written when it was a duration expression, else null
 * @param at the {@code @} modifier, or null
 */
public record VectorSelector(
    String name,
    List<LabelMatcher> matchers,
    long offsetMillis,
    DurationExpr offsetExpr,
    At at,
    PositionRange position) implements Expr {
  public VectorSelector {
    matchers = List.copyOf(matchers);
  }

  @Override
  public ExprType type() {
    return ExprType.VECTOR;
  }
}
