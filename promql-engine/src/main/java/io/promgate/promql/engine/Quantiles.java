package io.promgate.promql.engine;

import java.util.Arrays;

/**
 * Quantile arithmetic of Prometheus' {@code quantile.go}: the φ-quantile of plain values (quantile
 * aggregation, quantile_over_time, mad_over_time) and of classic {@code le} buckets (histogram_quantile,
 * histogram_fraction), with the bucket fixing Prometheus applies (sort, merge equal bounds, force
 * monotonicity, treat deltas below 1e-12 as float noise).
 */
final class Quantiles {
  static final double SMALL_DELTA_TOLERANCE = 1e-12;

  private Quantiles() {
  }

  /** Sorts values[0..n) in place. */
  static double quantile(double q, double[] values, int n) {
    if (n == 0 || Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    sortNaNFirst(values, n);
    double rank = q * (n - 1);
    double lowerIndex = Math.max(0, Math.floor(rank));
    double upperIndex = Math.min(n - 1, lowerIndex + 1);
    double weight = rank - Math.floor(rank);
    return values[(int) lowerIndex] * (1 - weight) + values[(int) upperIndex] * weight;
  }

  /** Go's vectorByValueHeap order: NaN before everything. */
  static void sortNaNFirst(double[] values, int n) {
    Arrays.sort(values, 0, n);
    int nan = 0;
    for (int i = n - 1; i >= 0 && Double.isNaN(values[i]); i--) {
      nan++;
    }
    if (nan > 0) {
      System.arraycopy(values, 0, values, nan, n - nan);
      Arrays.fill(values, 0, nan, Double.NaN);
    }
  }

  /** Classic buckets of one histogram at one step: parallel arrays of upper bound and cumulative count. */
  static final class Buckets {
    double[] upper = new double[8];
    double[] count = new double[8];
    int n;

    void add(double ub, double c) {
      if (n == upper.length) {
        upper = Arrays.copyOf(upper, n * 2);
        count = Arrays.copyOf(count, n * 2);
      }
      upper[n] = ub;
      count[n] = c;
      n++;
    }

    /** Stable insertion sort by upper bound: bucket lists are short and usually sorted already. */
    void sort() {
      for (int i = 1; i < n; i++) {
        double u = upper[i];
        double c = count[i];
        int j = i - 1;
        while (j >= 0 && Double.compare(upper[j], u) > 0) {
          upper[j + 1] = upper[j];
          count[j + 1] = count[j];
          j--;
        }
        upper[j + 1] = u;
        count[j + 1] = c;
      }
    }

    void coalesce() {
      int i = 0;
      double lastU = upper[0];
      double lastC = count[0];
      for (int j = 1; j < n; j++) {
        if (upper[j] == lastU) {
          lastC += count[j];
        } else {
          upper[i] = lastU;
          count[i] = lastC;
          lastU = upper[j];
          lastC = count[j];
          i++;
        }
      }
      upper[i] = lastU;
      count[i] = lastC;
      n = i + 1;
    }
  }

  /** Result of bucketQuantile and whether monotonicity had to be forced. */
  record BucketResult(double value, boolean forcedMonotonic) {
  }

  static BucketResult bucketQuantile(double q, Buckets b) {
    if (Double.isNaN(q)) {
      return new BucketResult(Double.NaN, false);
    }
    if (q < 0) {
      return new BucketResult(Double.NEGATIVE_INFINITY, false);
    }
    if (q > 1) {
      return new BucketResult(Double.POSITIVE_INFINITY, false);
    }
    b.sort();
    if (b.upper[b.n - 1] != Double.POSITIVE_INFINITY) {
      return new BucketResult(Double.NaN, false);
    }
    b.coalesce();
    boolean forced = ensureMonotonic(b);
    if (b.n < 2) {
      return new BucketResult(Double.NaN, false);
    }
    double observations = b.count[b.n - 1];
    if (observations == 0) {
      return new BucketResult(Double.NaN, false);
    }
    double rank = q * observations;
    int idx = 0;
    int lo = 0;
    int hi = b.n - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (b.count[mid] >= rank) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    idx = lo;
    if (idx == b.n - 1) {
      return new BucketResult(b.upper[b.n - 2], forced);
    }
    if (idx == 0 && b.upper[0] <= 0) {
      return new BucketResult(b.upper[0], forced);
    }
    double bucketStart = 0;
    double bucketEnd = b.upper[idx];
    double count = b.count[idx];
    if (idx > 0) {
      bucketStart = b.upper[idx - 1];
      count -= b.count[idx - 1];
      rank -= b.count[idx - 1];
    }
    return new BucketResult(bucketStart + (bucketEnd - bucketStart) * (rank / count), forced);
  }

  private static boolean ensureMonotonic(Buckets b) {
    boolean forced = false;
    double prev = b.count[0];
    for (int i = 1; i < b.n; i++) {
      double curr = b.count[i];
      if (curr == prev) {
        continue;
      }
      if (almostEqual(prev, curr, SMALL_DELTA_TOLERANCE)) {
        b.count[i] = prev;
        continue;
      }
      if (curr < prev) {
        b.count[i] = prev;
        forced = true;
        continue;
      }
      prev = curr;
    }
    return forced;
  }

  static double bucketFraction(double lower, double upper, Buckets b) {
    b.sort();
    if (b.upper[b.n - 1] != Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    b.coalesce();
    double count = b.count[b.n - 1];
    if (count == 0 || Double.isNaN(lower) || Double.isNaN(upper)) {
      return Double.NaN;
    }
    if (lower >= upper) {
      return 0;
    }
    double rank = 0;
    double lowerRank = 0;
    double upperRank = 0;
    boolean lowerSet = false;
    boolean upperSet = false;
    for (int i = 0; i < b.n; i++) {
      double lowerBound = i > 0 ? b.upper[i - 1] : Double.NEGATIVE_INFINITY;
      double upperBound = b.upper[i];
      double bc = b.count[i];
      if (!lowerSet && lowerBound >= lower) {
        lowerRank = rank;
        lowerSet = true;
      }
      if (!upperSet && lowerBound >= upper) {
        upperRank = rank;
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      if (!lowerSet && lowerBound < lower && upperBound > lower) {
        lowerRank = rank + (bc - rank) * (lower - lowerBound) / (upperBound - lowerBound);
        lowerSet = true;
      }
      if (!upperSet && lowerBound < upper && upperBound > upper) {
        upperRank = rank + (bc - rank) * (upper - lowerBound) / (upperBound - lowerBound);
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      rank = bc;
    }
    if (!lowerSet || lowerRank > count) {
      lowerRank = count;
    }
    if (!upperSet || upperRank > count) {
      upperRank = count;
    }
    return (upperRank - lowerRank) / count;
  }

  /** Prometheus' {@code almost.Equal}: relative epsilon, NaN equals NaN. */
  static boolean almostEqual(double a, double b, double epsilon) {
    if (Double.isNaN(a) && Double.isNaN(b)) {
      return true;
    }
    if (a == b) {
      return true;
    }
    double minNormal = Double.MIN_NORMAL;
    double absSum = Math.abs(a) + Math.abs(b);
    double diff = Math.abs(a - b);
    if (a == 0 || b == 0 || absSum < minNormal) {
      return diff < epsilon * minNormal;
    }
    return diff / Math.min(absSum, Double.MAX_VALUE) < epsilon;
  }
}
