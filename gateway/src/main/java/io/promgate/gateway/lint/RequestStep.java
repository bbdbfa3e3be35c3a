package io.promgate.gateway.lint;

import io.promgate.promql.parser.PromQLParser;

/** A panel target's {@code interval} (minimum step, e.g. {@code 1m}); unparsable or empty means none. */
final class RequestStep {
  private RequestStep() {
  }

  static long parse(String s, long dflt) {
    if (s == null || s.isBlank() || s.contains("$")) {
      return dflt;
    }
    try {
      return PromQLParser.parseDuration(s.trim().replaceFirst("^>", ""));
    } catch (RuntimeException e) {
      return dflt;
    }
  }
}
