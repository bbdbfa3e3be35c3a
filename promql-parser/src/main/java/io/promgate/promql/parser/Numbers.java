package io.promgate.promql.parser;

/**
 * Number literals as Prometheus reads them (parse.go: number): first {@code strconv.ParseInt(s, 0, 64)}
 * (so {@code 0x1f} is hex and, a classic quirk, {@code 010} is octal 8), else {@code ParseFloat}.
 * Underscores between digits are allowed, as in Go literals. Inf and NaN in any case.
 */
final class Numbers {
  private Numbers() {
  }

  static double parse(String text) {
    String s = text.indexOf('_') >= 0 ? text.replace("_", "") : text;
    String lower = s.toLowerCase(java.util.Locale.ROOT);
    if (lower.equals("inf")) {
      return Double.POSITIVE_INFINITY;
    }
    if (lower.equals("nan")) {
      return Double.NaN;
    }
    try {
      if (lower.startsWith("0x")) {
        return Long.parseLong(s.substring(2), 16);
      }
    } catch (NumberFormatException e) {
      // Go falls back to ParseFloat, which rejects hex without a 'p' exponent.
      throw new IllegalArgumentException("error parsing number: strconv.ParseFloat: parsing "
          + GoStrings.quote(text) + ": invalid syntax");
    }
    if (s.length() > 1 && s.charAt(0) == '0' && s.chars().allMatch(c -> c >= '0' && c <= '7')) {
      try {
        return Long.parseLong(s, 8);
      } catch (NumberFormatException e) {
        // too large for int64: Go's ParseFloat then reads it as decimal
      }
    }
    try {
      double d = Double.parseDouble(s);
      if (Double.isInfinite(d)) {
        throw new IllegalArgumentException("error parsing number: strconv.ParseFloat: parsing "
            + GoStrings.quote(text) + ": value out of range");
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("error parsing number: strconv.ParseFloat: parsing "
          + GoStrings.quote(text) + ": invalid syntax");
    }
  }
}
