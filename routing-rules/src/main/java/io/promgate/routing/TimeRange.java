package io.promgate.routing;

/**
 * A half-open range {@code [startMs, endMs)} in milliseconds; {@link Long#MIN_VALUE} and {@link Long#MAX_VALUE}
 * stand for minus and plus infinity. Half-open so that {@code newer-than: 15d} and {@code older-than: 15d}
 * touch without overlapping or leaving a gap.
 */
public record TimeRange(long startMs, long endMs) {
  public static final TimeRange ALL = new TimeRange(Long.MIN_VALUE, Long.MAX_VALUE);

  public boolean isEmpty() {
    return startMs >= endMs;
  }

  public boolean overlaps(TimeRange o) {
    return startMs < o.endMs && o.startMs < endMs;
  }

  /** The intersection; may be empty. */
  public TimeRange intersect(TimeRange o) {
    return new TimeRange(Math.max(startMs, o.startMs), Math.min(endMs, o.endMs));
  }

  @Override
  public String toString() {
    return "[" + (startMs == Long.MIN_VALUE ? "-inf" : Long.toString(startMs)) + ", "
        + (endMs == Long.MAX_VALUE ? "+inf" : Long.toString(endMs)) + ")";
  }
}
