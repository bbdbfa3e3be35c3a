package io.promgate.tsdb;

import io.promgate.model.Labels;
import io.promgate.tsdb.head.SeriesHint;

/**
 * Samples of one series to append, in the order the sender gave them (remote write sends them sorted by
 * time; the head rejects the ones that are not).
 *
 * @param hint optional memo of the head series for these labels (see {@link SeriesHint}); null for none
 */
public record SeriesSamples(Labels labels, long[] timestamps, double[] values, SeriesHint hint) {
  public SeriesSamples {
    if (timestamps.length != values.length) {
      throw new IllegalArgumentException("timestamps and values differ in length");
    }
    if (hint != null && hint.labels() != labels) {
      throw new IllegalArgumentException("hint is for other labels");
    }
  }

  public SeriesSamples(Labels labels, long[] timestamps, double[] values) {
    this(labels, timestamps, values, null);
  }

  public static SeriesSamples of(Labels labels, long t, double v) {
    return new SeriesSamples(labels, new long[] {t}, new double[] {v});
  }

  public int size() {
    return timestamps.length;
  }
}
