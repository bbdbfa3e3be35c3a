package io.promgate.promql.ast;

/**
 * A subquery {@code expr[range:step] offset x @ t}.
 *
 * @param stepMillis the resolution, 0 when omitted ({@code [1h:]}: the engine uses the default evaluation
 *     interval)
 */
public record SubqueryExpr(
    Expr expr,
    long rangeMillis,
    DurationExpr rangeExpr,
    long stepMillis,
    DurationExpr stepExpr,
    long offsetMillis,
    DurationExpr offsetExpr,
    At at,
    PositionRange position) implements Expr {
  @Override
  public ExprType type() {
    return ExprType.MATRIX;
  }
}
