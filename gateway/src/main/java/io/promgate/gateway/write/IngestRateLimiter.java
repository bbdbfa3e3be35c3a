package io.promgate.gateway.write;

import io.promgate.routing.config.IngestLimits;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Per-tenant token buckets counting samples ({@code tenancy.limits.ingestion-rate} and
 * {@code ingestion-burst-size}). A request takes all its samples' tokens or none. A request larger than the
 * burst is let through when the bucket is full and leaves it in debt, so a big but rare sender is slowed
 * down instead of starved forever. A tenant's bucket keeps the rate it was created with; limits are fixed
 * for the process's life (config is read at start).
 */
final class IngestRateLimiter {
  private final Function<String, IngestLimits> limits;
  private final Clock clock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  IngestRateLimiter(Function<String, IngestLimits> limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
  }

  /**
   * Takes {@code samples} tokens for the tenant. Returns 0 when allowed, else the whole seconds after which
   * the same request would be let through (for {@code Retry-After}, at least 1).
   */
  long tryAcquire(String tenant, long samples) {
    if (samples == 0) {
      return 0;
    }
    Bucket b = buckets.get(tenant);
    if (b == null) {
      IngestLimits l = limits.apply(tenant);
      b = buckets.computeIfAbsent(tenant, t -> new Bucket(l.ingestionRate() / 1000.0, l.effectiveBurst(), clock.millis()));
    }
    if (b.perMilli <= 0) {
      return 0;
    }
    synchronized (b) {
      long now = clock.millis();
      b.tokens = Math.min(b.burst, b.tokens + Math.max(0, now - b.last) * b.perMilli);
      b.last = now;
      if (b.tokens >= samples || b.tokens >= b.burst) {
        b.tokens -= samples;
        return 0;
      }
      double needed = Math.min(samples, b.burst) - b.tokens;
      return Math.max(1, (long) Math.ceil(needed / b.perMilli / 1000.0));
    }
  }

  private static final class Bucket {
    final double perMilli;
    final double burst;
    double tokens;
    long last;

    Bucket(double perMilli, double burst, long last) {
      this.perMilli = perMilli;
      this.burst = burst;
      this.tokens = burst;
      this.last = last;
    }
  }
}
