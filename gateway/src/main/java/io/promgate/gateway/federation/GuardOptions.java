package io.promgate.gateway.federation;

import java.time.Duration;

/**
 * Resilience settings shared by every backend's guard. Defaults suit production; tests shorten the waits.
 * System properties ({@code promgate.breaker.*}) override the defaults for {@code promgate run}.
 *
 * @param failureRatePercent breaker opens when this share of the recent calls failed
 * @param minimumCalls calls in the window before the rate counts
 * @param windowSize calls remembered (count-based window)
 * @param openWait how long an open breaker refuses calls before letting one probe through
 * @param bulkhead concurrent calls allowed per backend, 0 for no bulkhead
 */
public record GuardOptions(int failureRatePercent, int minimumCalls, int windowSize, Duration openWait, int bulkhead) {
  public static GuardOptions defaults() {
    return new GuardOptions(
        Integer.getInteger("promgate.breaker.failureRate", 50),
        Integer.getInteger("promgate.breaker.minimumCalls", 5),
        Integer.getInteger("promgate.breaker.window", 20),
        Duration.ofMillis(Long.getLong("promgate.breaker.openWaitMs", 30_000)),
        Integer.getInteger("promgate.bulkhead", 0));
  }
}
