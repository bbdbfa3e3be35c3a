package io.promgate.promql.ast;

public record StringLiteral(String value, PositionRange position) implements Expr {
  @Override
  public ExprType type() {
    return ExprType.STRING;
  }
}
