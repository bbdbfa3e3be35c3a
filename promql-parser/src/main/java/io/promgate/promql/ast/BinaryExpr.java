package io.promgate.promql.ast;

/**
 * A binary operation.
 *
 * @param matching how vectors match; null when either side is a scalar
 * @param returnBool the {@code bool} modifier of comparisons
 */
public record BinaryExpr(BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool,
    PositionRange position) implements Expr {
  /**
   * Scalar only when both sides are. The right side is asked first: in a long left-nested chain
   * ("a or b or c ...") it is usually a leaf, so this stays O(1) instead of walking the whole chain.
   */
  @Override
  public ExprType type() {
    return rhs.type() == ExprType.SCALAR && lhs.type() == ExprType.SCALAR ? ExprType.SCALAR : ExprType.VECTOR;
  }
}
