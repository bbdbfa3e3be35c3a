package io.promgate.promql.ast;

/** Unary minus or plus; {@code negative} is true for minus. */
public record UnaryExpr(boolean negative, Expr expr, PositionRange position) implements Expr {
  @Override
  public ExprType type() {
    return expr.type();
  }
}
