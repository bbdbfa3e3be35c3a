package io.promgate.promql.ast;

/**
 * A number literal.
 *
 * @param duration true when written as a duration ({@code 5m} is the number 300); Prometheus 3.5 then
 *     prints it as a duration again. Only printing reads it; it takes no part in equality.
 */
public record NumberLiteral(double value, PositionRange position, boolean duration) implements Expr {
  public NumberLiteral(double value, PositionRange position) {
    this(value, position, false);
  }

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
