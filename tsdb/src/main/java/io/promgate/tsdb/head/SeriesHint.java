package io.promgate.tsdb.head;

import io.promgate.model.Labels;

/**
 * A caller's memo of the head series of one label set, so that a series appended to again and again (a
 * remote-write sender repeats its label sets in every request) is found without a lookup by labels.
 *
 * <p>The remote-write decoder keeps one per cached label set and hands it in with the samples
 * ({@link io.promgate.tsdb.SeriesSamples}); {@link Head#prepare} fills it and trusts it only for a series of
 * its own head that is still there. The decoder's cache is shared by all tenants, so a hint may point into
 * another tenant's head (or a head of a store that was closed since), and a series may have been dropped by
 * head truncation: both are checked on every use, and the lookup by labels is the fallback. The field is
 * written without synchronization by appends of different tenants; that is safe because only the head that
 * owns the series a hint points to acts on it, and that head writes and reads it under its append lock.
 */
public class SeriesHint {
  private final Labels labels;
  MemSeries series;

  public SeriesHint(Labels labels) {
    this.labels = labels;
  }

  /** The label set this hint is for; samples carrying the hint must have this very instance. */
  public final Labels labels() {
    return labels;
  }

  /** The series if it belongs to {@code head} and is still in it, else null. */
  final MemSeries seriesIn(Head head) {
    MemSeries s = series;
    return s != null && s.owner == head && !s.removed ? s : null;
  }
}
