package io.promgate.promql.ast;

/**
 * A binary operation.
 *
 * @param matching how vectors match; null when either side is a scalar
 * @param returnBool the {@code bool} modifier of comparisons
 */
public record BinaryExpr(BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool,
    PositionRange position) implements Expr {
  @Override
  public ExprType type() {
    return lhs.type() == ExprType.SCALAR && rhs.type() == ExprType.SCALAR ? ExprType.SCALAR : ExprType.VECTOR;
  }
}
