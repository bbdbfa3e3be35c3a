package io.promgate.routing.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus duration syntax ({@code model.ParseDuration}): units y, w, d, h, m, s, ms, each at most once and
 * in that order, e.g. {@code 15d}, {@code 1h30m}, {@code 500ms}. A bare {@code 0} is allowed, as in
 * Prometheus. A year is 365 days, as there.
 */
public final class PromDurations {
  private static final Pattern SYNTAX = Pattern.compile(
      "^(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?$");
  private static final long[] UNIT_MS = {
      365L * 24 * 3600_000, 7L * 24 * 3600_000, 24L * 3600_000, 3600_000L, 60_000L, 1000L, 1L};

  private PromDurations() {}

  /** Parses {@code text}; throws {@link IllegalArgumentException} naming the text when it is not a duration. */
  public static Duration parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("empty duration string");
    }
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = SYNTAX.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a valid duration string: \"" + text + "\"");
    }
    long total = 0;
    for (int i = 0; i < UNIT_MS.length; i++) {
      String g = m.group(i + 1);
      if (g != null) {
        try {
          total = Math.addExact(total, Math.multiplyExact(Long.parseLong(g), UNIT_MS[i]));
        } catch (ArithmeticException | NumberFormatException e) {
          throw new IllegalArgumentException("duration out of range: \"" + text + "\"");
        }
      }
    }
    return Duration.ofMillis(total);
  }

  /** Formats like Prometheus' {@code model.Duration.String()}: largest units first, e.g. {@code 1h30m}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    String[] units = {"y", "w", "d", "h", "m", "s", "ms"};
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < UNIT_MS.length; i++) {
      long n = ms / UNIT_MS[i];
      if (n > 0) {
        sb.append(n).append(units[i]);
        ms -= n * UNIT_MS[i];
      }
    }
    return sb.toString();
  }
}
