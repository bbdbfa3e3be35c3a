package io.promgate.promql.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Warnings and infos of one query, as values (Prometheus' {@code annotations.Annotations}): deduplicated,
 * in the order first raised. Texts are Prometheus' own, without the position suffix the API adds.
 */
final class Annotations {
  private final Set<String> warnings = new LinkedHashSet<>();
  private final Set<String> infos = new LinkedHashSet<>();

  void warn(String text) {
    warnings.add("PromQL warning: " + text);
  }

  void info(String text) {
    infos.add("PromQL info: " + text);
  }

  /** A warning that comes from storage (partial data): passed on as is. */
  void storageWarning(String text) {
    warnings.add(text);
  }

  List<String> warnings() {
    return new ArrayList<>(warnings);
  }

  List<String> infos() {
    return new ArrayList<>(infos);
  }

  /**
   * Go's %q for the strings Prometheus quotes in its messages. Go strings are bytes; a byte that is not
   * valid UTF-8 may reach us as a lone surrogate U+DC80..U+DCFF and is printed as {@code \xNN}.
   */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c >= 0xDC80 && c <= 0xDCFF) {
            // A byte that was not valid UTF-8, carried as a lone surrogate ("surrogateescape"): Go prints it
            // as the raw byte.
            sb.append(String.format("\\x%02x", c - 0xDC00));
          } else if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\x%02x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
