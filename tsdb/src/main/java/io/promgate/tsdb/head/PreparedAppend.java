package io.promgate.tsdb.head;

import io.promgate.tsdb.AppendResult;
import io.promgate.tsdb.MetricMetadata;
import io.promgate.tsdb.RejectReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * An append validated against the head but not applied yet: what the WAL must log (new series, accepted
 * samples, changed metadata) and what the sender is told. Produced by {@link Head#prepare}, applied by
 * {@link Head#commit} after the WAL write succeeded.
 */
public final class PreparedAppend {
  final List<MemSeries> newSeries = new ArrayList<>();
  final List<MetricMetadata> metadata = new ArrayList<>();
  MemSeries[] series;
  long[] ts;
  double[] vs;
  int n;
  long duplicatesIgnored;
  private final Map<RejectReason, Long> rejected = new EnumMap<>(RejectReason.class);
  private final Map<RejectReason, String> examples = new EnumMap<>(RejectReason.class);

  /** With room for {@code expected} accepted samples before the arrays grow. */
  PreparedAppend(int expected) {
    int cap = Math.max(16, expected);
    series = new MemSeries[cap];
    ts = new long[cap];
    vs = new double[cap];
  }

  void accept(MemSeries s, long t, double v) {
    if (n == ts.length) {
      int cap = n * 2;
      series = Arrays.copyOf(series, cap);
      ts = Arrays.copyOf(ts, cap);
      vs = Arrays.copyOf(vs, cap);
    }
    series[n] = s;
    ts[n] = t;
    vs[n] = v;
    n++;
  }

  void reject(RejectReason reason, long count, String example) {
    rejected.merge(reason, count, Long::sum);
    examples.putIfAbsent(reason, example);
  }

  /** Series created by this append that the WAL has not seen yet. */
  public List<MemSeries> newSeries() {
    return newSeries;
  }

  public List<MetricMetadata> metadata() {
    return metadata;
  }

  public int sampleCount() {
    return n;
  }

  public int sampleRef(int i) {
    return series[i].ref();
  }

  public long sampleTimestamp(int i) {
    return ts[i];
  }

  public double sampleValue(int i) {
    return vs[i];
  }

  public AppendResult result() {
    return new AppendResult(n + duplicatesIgnored, rejected, examples);
  }
}
