package io.promgate.routing;

import java.time.Duration;
import java.time.Instant;

/**
 * One end of a route window: unbounded, relative to "now" ({@code newer-than}/{@code older-than}), or an
 * absolute instant ({@code from}/{@code to}). Resolved against an injected clock so planner tests are exact.
 */
public sealed interface TimeBound {
  /** The bound in milliseconds since the epoch at {@code nowMs}; {@link Long#MIN_VALUE}/{@link Long#MAX_VALUE} for infinite. */
  long resolve(long nowMs, boolean isStart);

  TimeBound UNBOUNDED = new Unbounded();

  record Unbounded() implements TimeBound {
    @Override
    public long resolve(long nowMs, boolean isStart) {
      return isStart ? Long.MIN_VALUE : Long.MAX_VALUE;
    }

    @Override
    public String toString() {
      return "unbounded";
    }
  }

  /** {@code now - ago}. */
  record Relative(Duration ago) implements TimeBound {
    @Override
    public long resolve(long nowMs, boolean isStart) {
      return nowMs - ago.toMillis();
    }

    @Override
    public String toString() {
      return "now-" + io.promgate.routing.config.PromDurations.format(ago);
    }
  }

  record Absolute(Instant at) implements TimeBound {
    @Override
    public long resolve(long nowMs, boolean isStart) {
      return at.toEpochMilli();
    }

    @Override
    public String toString() {
      return at.toString();
    }
  }
}
