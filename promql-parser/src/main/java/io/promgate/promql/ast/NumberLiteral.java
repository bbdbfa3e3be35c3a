package io.promgate.promql.ast;

public record NumberLiteral(double value, PositionRange position) implements Expr {
  @Override
  public ExprType type() {
    return ExprType.SCALAR;
  }

  /** Bit-equal values are equal, so NaN literals compare equal and -0 differs from 0. */
  @Override
  public boolean equals(Object o) {
    return o instanceof NumberLiteral n && Double.doubleToLongBits(n.value) == Double.doubleToLongBits(value);
  }

  @Override
  public int hashCode() {
    return Double.hashCode(value);
  }
}
