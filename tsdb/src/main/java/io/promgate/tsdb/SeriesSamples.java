package io.promgate.tsdb;

import io.promgate.model.Labels;

/**
 * Samples of one series to append, in the order the sender gave them (remote write sends them sorted by
 * time; the head rejects the ones that are not).
 */
public record SeriesSamples(Labels labels, long[] timestamps, double[] values) {
  public SeriesSamples {
    if (timestamps.length != values.length) {
      throw new IllegalArgumentException("timestamps and values differ in length");
    }
  }

  public static SeriesSamples of(Labels labels, long t, double v) {
    return new SeriesSamples(labels, new long[] {t}, new double[] {v});
  }

  public int size() {
    return timestamps.length;
  }
}
