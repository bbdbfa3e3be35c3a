package io.promgate.tsdb;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Outcome of one append: samples stored (including exact duplicates that were already there, which
 * Prometheus also accepts silently) and samples rejected by reason, with one example message per reason so
 * a sender can see which series was refused.
 */
public record AppendResult(long accepted, Map<RejectReason, Long> rejected, Map<RejectReason, String> examples) {
  public AppendResult {
    rejected = rejected.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(rejected));
    examples = examples.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(examples));
  }

  public long rejected(RejectReason reason) {
    return rejected.getOrDefault(reason, 0L);
  }

  public long rejectedTotal() {
    long n = 0;
    for (long v : rejected.values()) {
      n += v;
    }
    return n;
  }

  public boolean allAccepted() {
    return rejected.isEmpty();
  }
}
