package io.promgate.promql.parser;

import io.promgate.promql.ast.DurationExpr;

/**
 * Folds the durations written in ranges, steps and offsets into milliseconds, as Prometheus 3.5 does:
 * a plain literal (possibly signed or parenthesised) stays a literal, rounded to the nanosecond like
 * {@code time.Duration(math.Round(s * 1e9))}; arithmetic becomes a {@link DurationExpr} kept for printing
 * and evaluated like promql/durations.go (seconds * 1000 truncated to ms, "division by zero", ...).
 */
final class DurationFolder {
  /** 1<<63 / 1e9: the largest number of seconds a Go time.Duration holds. */
  private static final double MAX_SECONDS = 9.223372036854775807e9;

  private DurationFolder() {
  }

  /**
   * A folded duration. {@code tree} is null when the input was a literal.
   *
   * @param start char offset where it starts, for error messages
   */
  record Folded(DurationExpr tree, double seconds, String canonical, int start, int end) {
    boolean isLiteral() {
      return tree == null;
    }

    DurationExpr asExpr() {
      return tree != null ? tree : new DurationExpr.Literal(seconds, canonical);
    }

    /** The value in ms; {@code positive} enforces Prometheus' "duration must be greater than 0". */
    long millis(boolean positive) {
      if (positive && seconds <= 0) {
        throw new QueryError(start, "duration must be greater than 0");
      }
      if (isLiteral()) {
        return Durations.secondsToMillisRounded(seconds);
      }
      double ms = seconds * 1000;
      if (ms > Long.MAX_VALUE || ms < Long.MIN_VALUE || Double.isNaN(ms)) {
        throw new QueryError(start, "duration is out of range");
      }
      return (long) ms;
    }
  }

  static Folded literal(double seconds, boolean isDuration, int start, int end) {
    if (seconds > MAX_SECONDS || seconds < -MAX_SECONDS || Double.isNaN(seconds)) {
      throw new QueryError(start, "duration out of range");
    }
    if (seconds == 0) {
      seconds = 0.0; // "-0s" prints as "0s"; keep the sign out so the printed form parses back equal
    }
    return new Folded(null, seconds, canonical(seconds, isDuration), start, end);
  }

  static boolean isDurationText(String canonical) {
    int i = canonical.startsWith("-") ? 1 : 0;
    char last = canonical.charAt(canonical.length() - 1);
    return canonical.length() > i && Character.isDigit(canonical.charAt(i)) && "smhdwy".indexOf(last) >= 0;
  }

  /** The text Prometheus prints for a number or duration literal. */
  static String canonical(double seconds, boolean isDuration) {
    if (!isDuration) {
      return Durations.formatFloat(seconds);
    }
    long ms = Durations.secondsToMillisRounded(Math.abs(seconds));
    return (seconds < 0 ? "-" : "") + Durations.format(ms);
  }

  static Folded unary(boolean negative, Folded e, int start) {
    if (e.isLiteral()) {
      return negative ? literal(-e.seconds, isDurationText(e.canonical), start, e.end) : e;
    }
    if (!negative) {
      return new Folded(e.tree, e.seconds, null, start, e.end);
    }
    return new Folded(new DurationExpr.Unary("-", e.tree), -e.seconds, null, start, e.end);
  }

  static Folded paren(Folded e, int start, int end) {
    if (e.isLiteral()) {
      return e;
    }
    DurationExpr inner = e.tree instanceof DurationExpr.Paren p ? p.expr() : e.tree;
    return new Folded(new DurationExpr.Paren(inner), e.seconds, null, start, end);
  }

  static Folded binary(String op, Folded l, Folded r, int opPos) {
    double v = switch (op) {
      case "+" -> l.seconds + r.seconds;
      case "-" -> l.seconds - r.seconds;
      case "*" -> l.seconds * r.seconds;
      case "/" -> {
        if (r.seconds == 0) {
          throw new QueryError(opPos, "division by zero");
        }
        yield l.seconds / r.seconds;
      }
      case "%" -> {
        if (r.seconds == 0) {
          throw new QueryError(opPos, "modulo by zero");
        }
        yield l.seconds % r.seconds;
      }
      case "^" -> Math.pow(l.seconds, r.seconds);
      default -> throw new IllegalStateException(op);
    };
    return new Folded(new DurationExpr.Binary(op, l.asExpr(), r.asExpr()), v, null, l.start, r.end);
  }

  /** Evaluates a DurationExpr tree in seconds (for ASTs built by hand, e.g. in tests or injectors). */
  static double evaluate(DurationExpr e) {
    if (e instanceof DurationExpr.Literal l) {
      return l.seconds();
    } else if (e instanceof DurationExpr.Paren p) {
      return evaluate(p.expr());
    } else if (e instanceof DurationExpr.Unary u) {
      return u.op().equals("-") ? -evaluate(u.expr()) : evaluate(u.expr());
    }
    DurationExpr.Binary b = (DurationExpr.Binary) e;
    double l = evaluate(b.lhs());
    double r = evaluate(b.rhs());
    return switch (b.op()) {
      case "+" -> l + r;
      case "-" -> l - r;
      case "*" -> l * r;
      case "/" -> l / r;
      case "%" -> l % r;
      default -> Math.pow(l, r);
    };
  }

}
