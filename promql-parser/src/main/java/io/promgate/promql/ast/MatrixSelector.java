package io.promgate.promql.ast;

/**
 * A range vector selector {@code selector[range]}. Offset and {@code @} live on the inner selector, as in
 * Prometheus.
 *
 * @param rangeExpr the range as written when it was a duration expression, else null
 */
public record MatrixSelector(VectorSelector selector, long rangeMillis, DurationExpr rangeExpr, PositionRange position)
    implements Expr {
  @Override
  public ExprType type() {
    return ExprType.MATRIX;
  }
}
