package io.promgate.model;

/**
 * A native histogram sample with float counts (Prometheus' {@code histogram.FloatHistogram}). Only the data
 * model lives here: stores and codecs carry it; evaluation of native histograms arrives in a later issue.
 *
 * @param counterResetHint 0 unknown, 1 counter reset, 2 not a counter reset, 3 gauge
 * @param positiveSpans flat (offset, length) pairs
 */
public record FloatHistogram(
    int counterResetHint,
    int schema,
    double zeroThreshold,
    double zeroCount,
    double count,
    double sum,
    int[] positiveSpans,
    double[] positiveBuckets,
    int[] negativeSpans,
    double[] negativeBuckets,
    double[] customValues) {
}
