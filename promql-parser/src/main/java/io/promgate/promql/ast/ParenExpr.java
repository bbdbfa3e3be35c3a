package io.promgate.promql.ast;

public record ParenExpr(Expr expr, PositionRange position) implements Expr {
  @Override
  public ExprType type() {
    return expr.type();
  }
}
