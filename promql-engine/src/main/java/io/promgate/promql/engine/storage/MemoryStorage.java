package io.promgate.promql.engine.storage;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.merge.ArraySeries;
import io.promgate.model.Querier;
import io.promgate.model.Queryable;
import io.promgate.model.SelectHints;
import io.promgate.model.Series;
import io.promgate.model.SeriesSet;
import io.promgate.model.SeriesSets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A simple in-memory float store for tests, the promqltest runner and benchmarks: series kept as sorted
 * primitive arrays, indexed by metric name. Load first, then query: appends must not run concurrently with
 * queries; concurrent queries are safe.
 */
public final class MemoryStorage implements Queryable {
  private static final class Data {
    final Labels labels;
    long[] t = new long[16];
    double[] f = new double[16];
    int n;
    boolean sorted = true;

    Data(Labels labels) {
      this.labels = labels;
    }

    void add(long ts, double v) {
      if (n == t.length) {
        t = Arrays.copyOf(t, n * 2);
        f = Arrays.copyOf(f, n * 2);
      }
      if (n > 0 && ts <= t[n - 1]) {
        sorted = false;
      }
      t[n] = ts;
      f[n] = v;
      n++;
    }

    /** Sorts by time; a later append at the same timestamp wins. */
    void seal() {
      if (sorted) {
        return;
      }
      Integer[] idx = new Integer[n];
      for (int i = 0; i < n; i++) {
        idx[i] = i;
      }
      Arrays.sort(idx, (a, b) -> Long.compare(t[a], t[b]));
      long[] nt = new long[n];
      double[] nf = new double[n];
      int m = 0;
      for (int k = 0; k < n; k++) {
        int i = idx[k];
        if (m > 0 && nt[m - 1] == t[i]) {
          nf[m - 1] = f[i];
        } else {
          nt[m] = t[i];
          nf[m] = f[i];
          m++;
        }
      }
      t = nt;
      f = nf;
      n = m;
      sorted = true;
    }
  }

  private final Map<Labels, Data> series = new HashMap<>();
  private final Map<String, List<Data>> byName = new HashMap<>();

  public void append(Labels labels, long timestampMillis, double value) {
    Data d = series.get(labels);
    if (d == null) {
      d = new Data(labels);
      series.put(labels, d);
      byName.computeIfAbsent(labels.metricName(), k -> new ArrayList<>()).add(d);
    }
    d.add(timestampMillis, value);
  }

  public void clear() {
    series.clear();
    byName.clear();
  }

  public int seriesCount() {
    return series.size();
  }

  @Override
  public Querier querier(long mint, long maxt) {
    synchronized (this) {
      for (Data d : series.values()) {
        d.seal();
      }
    }
    return new Querier() {
      @Override
      public SeriesSet select(boolean sortSeries, SelectHints hints, List<LabelMatcher> matchers) {
        List<Series> out = new ArrayList<>();
        for (Data d : candidates(matchers)) {
          if (matchesAll(d.labels, matchers) && d.n > 0) {
            out.add(new ArraySeries(d.labels, d.t, d.f, d.n));
          }
        }
        if (sortSeries) {
          out.sort((a, b) -> a.labels().compareTo(b.labels()));
        }
        return SeriesSets.of(out);
      }

      @Override
      public List<String> labelValues(String name, List<LabelMatcher> matchers) {
        TreeSet<String> values = new TreeSet<>();
        for (Data d : candidates(matchers)) {
          if (matchesAll(d.labels, matchers) && d.labels.has(name)) {
            values.add(d.labels.get(name));
          }
        }
        return new ArrayList<>(values);
      }

      @Override
      public List<String> labelNames(List<LabelMatcher> matchers) {
        TreeSet<String> names = new TreeSet<>();
        for (Data d : candidates(matchers)) {
          if (matchesAll(d.labels, matchers)) {
            d.labels.forEach((n, v) -> names.add(n));
          }
        }
        return new ArrayList<>(names);
      }
    };
  }

  private Iterable<Data> candidates(List<LabelMatcher> matchers) {
    for (LabelMatcher m : matchers) {
      if (m.type() == LabelMatcher.Type.EQ && m.name().equals(Labels.METRIC_NAME)) {
        return byName.getOrDefault(m.value(), List.of());
      }
    }
    return series.values();
  }

  private static boolean matchesAll(Labels labels, List<LabelMatcher> matchers) {
    for (LabelMatcher m : matchers) {
      if (!m.matches(labels.get(m.name()))) {
        return false;
      }
    }
    return true;
  }
}
