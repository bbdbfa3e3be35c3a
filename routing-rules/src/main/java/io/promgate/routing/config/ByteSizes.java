package io.promgate.routing.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes such as {@code 512MiB}, {@code 1GB}, {@code 4096} (bytes); binary (KiB) and decimal (KB) units. */
public final class ByteSizes {
  private static final Pattern SYNTAX = Pattern.compile("^(\\d+)\\s*([KMGT]i?B|B)?$", Pattern.CASE_INSENSITIVE);

  private ByteSizes() {}

  public static long parse(String text) {
    Matcher m = SYNTAX.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a valid size: \"" + text + "\" (expected e.g. 512MiB)");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
    long factor = switch (unit) {
      case "B" -> 1L;
      case "KB" -> 1000L;
      case "MB" -> 1000_000L;
      case "GB" -> 1000_000_000L;
      case "TB" -> 1000_000_000_000L;
      case "KIB" -> 1L << 10;
      case "MIB" -> 1L << 20;
      case "GIB" -> 1L << 30;
      case "TIB" -> 1L << 40;
      default -> throw new IllegalArgumentException("unknown size unit in \"" + text + "\"");
    };
    try {
      return Math.multiplyExact(n, factor);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("size out of range: \"" + text + "\"");
    }
  }
}
