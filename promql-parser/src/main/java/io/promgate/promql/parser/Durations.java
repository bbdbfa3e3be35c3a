package io.promgate.promql.parser;

import java.math.BigDecimal;

/**
 * Durations and numbers the way Prometheus reads and prints them: prometheus/common's
 * {@code model.ParseDuration} and {@code model.Duration.String()}, and Go's
 * {@code strconv.FormatFloat(f, 'f', -1, 64)} used by NumberLiteral.String().
 */
public final class Durations {
  private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
  private static final long[] UNIT_MS = {365L * 24 * 3600_000, 7L * 24 * 3600_000, 24L * 3600_000, 3600_000, 60_000,
      1000, 1};
  private static final long MAX_NANOS = Long.MAX_VALUE;

  private Durations() {
  }

  /**
   * Parses a Prometheus duration ({@code 1h30m}, {@code 5m}, {@code 1y}, {@code 100ms}, {@code 0}).
   *
   * @return milliseconds
   * @throws IllegalArgumentException with Prometheus' message
   */
  public static long parse(String s) {
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty duration string");
    }
    String invalid = "not a valid duration string: " + GoStrings.quote(s);
    long nanos = 0;
    int lastUnit = -1;
    int i = 0;
    while (i < s.length()) {
      int j = i;
      while (j < s.length() && isDigit(s.charAt(j))) {
        j++;
      }
      if (j == i) {
        throw new IllegalArgumentException(invalid);
      }
      long v;
      try {
        v = Long.parseLong(s.substring(i, j));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(invalid);
      }
      int k = j;
      while (k < s.length() && !isDigit(s.charAt(k))) {
        k++;
      }
      if (k == j) {
        throw new IllegalArgumentException(invalid);
      }
      String unit = s.substring(j, k);
      int u = unitIndex(unit);
      if (u < 0) {
        throw new IllegalArgumentException("unknown unit " + GoStrings.quote(unit) + " in duration " + GoStrings.quote(s));
      }
      if (u <= lastUnit) {
        throw new IllegalArgumentException(invalid);
      }
      lastUnit = u;
      long multNanos = UNIT_MS[u] * 1_000_000L;
      if (v > MAX_NANOS / multNanos) {
        throw new IllegalArgumentException("duration out of range");
      }
      nanos += v * multNanos;
      if (nanos < 0) {
        throw new IllegalArgumentException("duration out of range");
      }
      i = k;
    }
    return nanos / 1_000_000L;
  }

  private static int unitIndex(String unit) {
    for (int u = 0; u < UNITS.length; u++) {
      if (UNITS[u].equals(unit)) {
        return u;
      }
    }
    return -1;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** model.Duration.String(): {@code 1h30m}, {@code 1m30s}, {@code 1s500ms}, {@code 0s}; years and weeks only when exact. */
  public static String format(long millis) {
    if (millis == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    long ms = millis;
    if (ms < 0) {
      // model.Duration is unsigned in practice; callers print the sign themselves.
      sb.append('-');
      ms = -ms;
    }
    for (int u = 0; u < UNITS.length; u++) {
      boolean exactOnly = u < 2;
      if (exactOnly && ms % UNIT_MS[u] != 0) {
        continue;
      }
      long v = ms / UNIT_MS[u];
      if (v > 0) {
        sb.append(v).append(UNITS[u]);
        ms -= v * UNIT_MS[u];
      }
    }
    return sb.toString();
  }

  /** Go's strconv.FormatFloat(f, 'f', -1, 64): shortest round-tripping digits, never an exponent. */
  public static String formatFloat(double f) {
    if (Double.isNaN(f)) {
      return "NaN";
    }
    if (Double.isInfinite(f)) {
      return f > 0 ? "+Inf" : "-Inf";
    }
    if (f == 0) {
      return (Double.doubleToRawLongBits(f) < 0) ? "-0" : "0";
    }
    if (f == Math.rint(f) && Math.abs(f) < 1e15) {
      return Long.toString((long) f);
    }
    String plain = new BigDecimal(Double.toString(f)).stripTrailingZeros().toPlainString();
    return plain;
  }

  /**
   * Converts float seconds to ms the way Prometheus folds a literal range/offset:
   * {@code time.Duration(math.Round(s * 1e9))}, then truncated to ms when read as milliseconds.
   */
  static long secondsToMillisRounded(double seconds) {
    double nanos = Math.rint(seconds * 1e9);
    // math.Round rounds half away from zero; rint rounds half to even. Correct the .5 case.
    double frac = seconds * 1e9 - Math.floor(seconds * 1e9);
    if (frac == 0.5) {
      nanos = seconds > 0 ? Math.ceil(seconds * 1e9) : Math.floor(seconds * 1e9);
    }
    return (long) nanos / 1_000_000L;
  }
}
