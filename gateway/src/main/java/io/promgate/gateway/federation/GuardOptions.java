package io.promgate.gateway.federation;

import io.promgate.routing.config.BackendClient;
import java.time.Duration;

/**
 * Resilience settings of one backend's guard: normally from the backend's {@code breaker:} and
 * {@code bulkhead:} ({@link #of}); tests pass their own to every backend to shorten the waits.
 *
 * @param failureRatePercent breaker opens when this share of the recent calls failed
 * @param minimumCalls calls in the window before the rate counts
 * @param windowSize calls remembered (count-based window)
 * @param openWait how long an open breaker refuses calls before letting one probe through
 * @param bulkhead concurrent calls allowed per backend, 0 for no bulkhead
 */
public record GuardOptions(int failureRatePercent, int minimumCalls, int windowSize, Duration openWait, int bulkhead) {
  public static GuardOptions defaults() {
    return of(BackendClient.Guard.DEFAULT);
  }

  public static GuardOptions of(BackendClient.Guard g) {
    BackendClient.Breaker b = g.breaker();
    return new GuardOptions(b.failureRatePercent(), b.minimumCalls(), b.window(), b.openWait(), g.bulkhead());
  }
}
