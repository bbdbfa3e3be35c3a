package io.promgate.gateway.explain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Timestamps as people read them in messages (RFC 3339, second precision, UTC). */
final class Times {
  private Times() {
  }

  static String at(long ms) {
    return Instant.ofEpochMilli(ms).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static String range(long startMs, long endMs) {
    return "[" + at(startMs) + ", " + at(endMs) + "]";
  }
}
