package io.promgate.promql.engine;

import io.promgate.model.Labels;
import io.promgate.model.StaleNaN;

/**
 * The raw float samples of one selected series, fetched once before evaluation ("I/O first"). Stale
 * markers are kept (they end a series for instant selectors); range windows read a copy without them,
 * built on first use.
 */
final class SelectedSeries {
  final Labels labels;
  final long[] t;
  final double[] f;
  final int n;
  private long[] wt;
  private double[] wf;
  private int wn = -1;

  SelectedSeries(Labels labels, long[] t, double[] f, int n) {
    this.labels = labels;
    this.t = t;
    this.f = f;
    this.n = n;
  }

  /** Index of the last sample with timestamp <= ts, or -1. */
  int lastAtOrBefore(long ts) {
    return upperBound(t, n, ts) - 1;
  }

  /** Stale-free timestamps (valid up to {@link #windowSize()}). */
  long[] windowT() {
    buildWindowArrays();
    return wt;
  }

  double[] windowF() {
    buildWindowArrays();
    return wf;
  }

  int windowSize() {
    buildWindowArrays();
    return wn;
  }

  private void buildWindowArrays() {
    if (wn >= 0) {
      return;
    }
    int stale = 0;
    for (int i = 0; i < n; i++) {
      if (StaleNaN.is(f[i])) {
        stale++;
      }
    }
    if (stale == 0) {
      wt = t;
      wf = f;
      wn = n;
      return;
    }
    wt = new long[n - stale];
    wf = new double[n - stale];
    int j = 0;
    for (int i = 0; i < n; i++) {
      if (!StaleNaN.is(f[i])) {
        wt[j] = t[i];
        wf[j] = f[i];
        j++;
      }
    }
    wn = j;
  }

  /** First index in a[0..n) with a[i] > key. */
  static int upperBound(long[] a, int n, long key) {
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] <= key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
