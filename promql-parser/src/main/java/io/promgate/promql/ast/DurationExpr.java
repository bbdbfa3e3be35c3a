package io.promgate.promql.ast;

/**
 * A duration written as arithmetic (Prometheus 3.5's experimental duration expressions, e.g.
 * {@code foo[5m+1m]}, {@code offset (1h*2)}). Kept only so the printer can reproduce what was written;
 * the parser folds it into milliseconds, which is all the engine reads.
 */
public sealed interface DurationExpr {
  /** A number or duration literal; {@code written} is its text as the user wrote it (e.g. "5m", "1.5"). */
  record Literal(double seconds, String written) implements DurationExpr {
  }

  /** {@code op} is one of + - * / % ^. */
  record Binary(String op, DurationExpr lhs, DurationExpr rhs) implements DurationExpr {
  }

  /** {@code op} is + or -. */
  record Unary(String op, DurationExpr expr) implements DurationExpr {
  }

  record Paren(DurationExpr expr) implements DurationExpr {
  }
}
