package io.promgate.gateway.cache;

import java.util.ArrayList;
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

  /**
   * This extent grown to {@code toT} by the points of {@code later} (sorted in label order) at times
   * {@code [fromT, toT]}, where {@code fromT} is the grid time right after {@link #lastT}. Costs the new
   * points and a walk over the series, not a copy of what is held (a dashboard's refresh adds a point).
   */
  Extent append(long fromT, long toT, List<SeriesPoints> later) {
    List<SeriesPoints> out = new ArrayList<>(series.size() + 4);
    int i = 0;
    int j = 0;
    while (i < series.size() || j < later.size()) {
      int c = i == series.size() ? 1 : j == later.size() ? -1
          : SeriesPoints.LABEL_ORDER.compare(series.get(i).labels(), later.get(j).labels());
      if (c < 0) {
        out.add(series.get(i++));
      } else if (c > 0) {
        SeriesPoints s = later.get(j++);
        SeriesPoints cut = new SeriesPoints(s.labels(), s.metric(), Points.EMPTY, Points.EMPTY).append(s, fromT, toT);
        if (!cut.isEmpty()) {
          out.add(cut);
        }
      } else {
        out.add(series.get(i++).append(later.get(j++), fromT, toT));
      }
    }
    return of(firstT, toT, out);
  }

  /** Caffeine weighs in ints. */
  int weight() {
    return (int) Math.min(Integer.MAX_VALUE, bytes);
  }
}
