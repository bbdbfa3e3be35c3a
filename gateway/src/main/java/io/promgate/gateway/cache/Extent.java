package io.promgate.gateway.cache;

import java.util.List;

/**
 * A cached piece of one query's range result: the points at grid times {@code [firstT, lastT]}, a
 * contiguous part of one extent slot (a slot is {@code n} consecutive steps, see {@link ExtentGrid}).
 * Immutable; replaced, never changed, when it grows.
 */
record Extent(long firstT, long lastT, List<SeriesPoints> series, long bytes) {
  static Extent of(long firstT, long lastT, List<SeriesPoints> series) {
    long b = 96;
    for (SeriesPoints s : series) {
      b += s.bytes() + 8;
    }
    return new Extent(firstT, lastT, List.copyOf(series), b);
  }

  /** Caffeine weighs in ints. */
  int weight() {
    return (int) Math.min(Integer.MAX_VALUE, bytes);
  }
}
