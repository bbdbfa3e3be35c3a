package io.promgate.gateway.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * A fixed-bucket latency histogram in seconds, written without locks or allocation (one LongAdder per
 * bucket, non-cumulative; the exposition sums them).
 */
public final class Histogram {
  static final double[] LATENCY_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
      10, 30, 60, 120};

  private final double[] upperBounds;
  private final LongAdder[] counts;
  private final LongAdder sumNanos = new LongAdder();

  public Histogram() {
    this(LATENCY_BUCKETS);
  }

  Histogram(double[] upperBounds) {
    this.upperBounds = upperBounds;
    this.counts = new LongAdder[upperBounds.length + 1];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  public void observeNanos(long nanos) {
    double seconds = nanos / 1e9;
    int i = 0;
    while (i < upperBounds.length && seconds > upperBounds[i]) {
      i++;
    }
    counts[i].increment();
    sumNanos.add(nanos);
  }

  /** Appends {@code name_bucket/_sum/_count} lines; {@code labels} is {@code k="v",} or empty. */
  void write(StringBuilder sb, String name, String labels) {
    long cumulative = 0;
    for (int i = 0; i < counts.length; i++) {
      cumulative += counts[i].sum();
      String le = i < upperBounds.length ? format(upperBounds[i]) : "+Inf";
      sb.append(name).append("_bucket{").append(labels).append("le=\"").append(le).append("\"} ")
          .append(cumulative).append('\n');
    }
    String plain = labels.isEmpty() ? "" : "{" + labels.substring(0, labels.length() - 1) + "}";
    sb.append(name).append("_sum").append(plain).append(' ').append(sumNanos.sum() / 1e9).append('\n');
    sb.append(name).append("_count").append(plain).append(' ').append(cumulative).append('\n');
  }

  long count() {
    long c = 0;
    for (LongAdder a : counts) {
      c += a.sum();
    }
    return c;
  }

  private static String format(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
