package io.promgate.gateway.write;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-tenant token buckets counting samples. A request takes all its samples' tokens or none. A request
 * larger than the burst is let through when the bucket is full and leaves it in debt, so a big but rare
 * sender is slowed down instead of starved forever.
 */
final class IngestRateLimiter {
  private final double perMilli;
  private final double burst;
  private final Clock clock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  IngestRateLimiter(double perSecond, long burst, Clock clock) {
    this.perMilli = perSecond / 1000.0;
    this.burst = Math.max(burst, perSecond); // at least one second's worth
    this.clock = clock;
  }

  boolean enabled() {
    return perMilli > 0;
  }

  /** Takes {@code samples} tokens for the tenant; false when it is over its rate. */
  boolean tryAcquire(String tenant, long samples) {
    if (!enabled() || samples == 0) {
      return true;
    }
    Bucket b = buckets.computeIfAbsent(tenant, t -> new Bucket(burst, clock.millis()));
    synchronized (b) {
      long now = clock.millis();
      b.tokens = Math.min(burst, b.tokens + Math.max(0, now - b.last) * perMilli);
      b.last = now;
      if (b.tokens >= samples || b.tokens >= burst) {
        b.tokens -= samples;
        return true;
      }
      return false;
    }
  }

  private static final class Bucket {
    double tokens;
    long last;

    Bucket(double tokens, long last) {
      this.tokens = tokens;
      this.last = last;
    }
  }
}
