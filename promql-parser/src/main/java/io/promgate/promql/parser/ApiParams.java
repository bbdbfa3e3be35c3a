package io.promgate.promql.parser;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The {@code time}, {@code start}, {@code end}, {@code step} and {@code timeout} parameters of
 * Prometheus' HTTP API, read as web/api/v1/api.go's parseTime / parseDuration do: float Unix seconds
 * (rounded to the millisecond) or RFC 3339, and float seconds or a Prometheus duration. Errors carry
 * Prometheus' messages, e.g. {@code cannot parse "x" to a valid timestamp}.
 */
public final class ApiParams {
  /** Prometheus' MinTime / MaxTime (api.go), which clients send as these exact strings. */
  public static final long MIN_TIME_MS = (Long.MIN_VALUE / 1000 + 62135596801L) * 1000;
  public static final long MAX_TIME_MS = (Long.MAX_VALUE / 1000 - 62135596801L) * 1000 + 999;
  private static final String MIN_TIME_TEXT = "-292273086-05-16T16:47:06Z";
  private static final String MAX_TIME_TEXT = "292277025-08-18T07:12:54.999999999Z";

  private ApiParams() {
  }

  /**
   * @return Unix milliseconds
   * @throws IllegalArgumentException {@code cannot parse "..." to a valid timestamp}
   */
  public static long parseTime(String s) {
    Double f = goFloat(s);
    if (f != null) {
      double whole = f < 0 ? Math.ceil(f) : Math.floor(f);
      // math.Modf, then math.Round(frac*1000)/1000 (half away from zero)
      long millis = AstBuilder.roundHalfAwayFromZero((f - whole) * 1000);
      return (long) whole * 1000 + millis;
    }
    try {
      OffsetDateTime t = OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      return t.toInstant().toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      // fall through to the boundary strings
    }
    if (s.equals(MIN_TIME_TEXT)) {
      return MIN_TIME_MS;
    }
    if (s.equals(MAX_TIME_TEXT)) {
      return MAX_TIME_MS;
    }
    throw new IllegalArgumentException("cannot parse " + GoStrings.quote(s) + " to a valid timestamp");
  }

  /**
   * @return milliseconds
   * @throws IllegalArgumentException {@code cannot parse "..." to a valid duration}
   */
  public static long parseDuration(String s) {
    Double f = goFloat(s);
    if (f != null) {
      double nanos = f * 1e9;
      if (nanos > Long.MAX_VALUE || nanos < Long.MIN_VALUE) {
        throw new IllegalArgumentException("cannot parse " + GoStrings.quote(s)
            + " to a valid duration. It overflows int64");
      }
      return (long) nanos / 1_000_000L;
    }
    try {
      return Durations.parse(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot parse " + GoStrings.quote(s) + " to a valid duration");
    }
  }

  /** strconv.ParseFloat's accepted forms that matter here: decimal, exponent, Inf/NaN in any case. */
  private static Double goFloat(String s) {
    String t = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
    String lower = t.toLowerCase(java.util.Locale.ROOT);
    double sign = s.startsWith("-") ? -1 : 1;
    if (lower.equals("inf") || lower.equals("infinity")) {
      return sign * Double.POSITIVE_INFINITY;
    }
    if (lower.equals("nan")) {
      return Double.NaN;
    }
    if (t.isEmpty() || !t.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E'
        || c == '+' || c == '-')) {
      return null;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
