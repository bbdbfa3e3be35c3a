package io.promgate.storeapi;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.Querier;
import io.promgate.model.Queryable;
import io.promgate.model.SampleIterator;
import io.promgate.model.SelectHints;
import io.promgate.model.Series;
import io.promgate.model.SeriesSet;
import io.promgate.model.SeriesSets;
import io.promgate.model.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A small in-memory multi-tenant store for tests: series are sorted, samples in arrays. */
final class InMemoryTenants implements TenantQueryables {
  record Stored(Labels labels, long[] ts, double[] vs) implements Series {
    @Override
    public SampleIterator iterator() {
      return new ArrayIterator(ts, vs);
    }
  }

  private final Map<String, TreeMap<Labels, Stored>> tenants = new ConcurrentHashMap<>();
  /** Warnings each select of a tenant reports (partial data), by tenant. */
  final Map<String, List<String>> warnings = new ConcurrentHashMap<>();
  /** Queriers opened and not yet closed, to check that the server releases them. */
  final AtomicInteger openQueriers = new AtomicInteger();

  InMemoryTenants add(String tenant, Labels labels, long[] ts, double[] vs) {
    tenants.computeIfAbsent(tenant, t -> new TreeMap<>()).put(labels, new Stored(labels, ts, vs));
    return this;
  }

  /** A series with n samples every 15 s from t0, values from a simple function of the index. */
  InMemoryTenants addSeries(String tenant, Labels labels, long t0, int n) {
    long[] ts = new long[n];
    double[] vs = new double[n];
    for (int i = 0; i < n; i++) {
      ts[i] = t0 + i * 15_000L;
      vs[i] = i % 7 == 0 ? i * 0.5 : i + labels.hashCode() % 100;
    }
    return add(tenant, labels, ts, vs);
  }

  List<Stored> all(String tenant) {
    return new ArrayList<>(tenants.getOrDefault(tenant, new TreeMap<>()).values());
  }

  @Override
  public Queryable forTenant(String tenant) {
    return (mint, maxt) -> {
      openQueriers.incrementAndGet();
      return new MemQuerier(all(tenant), mint, maxt, warnings.getOrDefault(tenant, List.of()));
    };
  }

  @Override
  public Set<String> tenants() {
    return new TreeSet<>(tenants.keySet());
  }

  @Override
  public long minTime(String tenant) {
    return all(tenant).stream().filter(s -> s.ts.length > 0).mapToLong(s -> s.ts[0]).min().orElse(Long.MAX_VALUE);
  }

  @Override
  public long maxTime(String tenant) {
    return all(tenant).stream().filter(s -> s.ts.length > 0).mapToLong(s -> s.ts[s.ts.length - 1]).max()
        .orElse(Long.MIN_VALUE);
  }

  private final class MemQuerier implements Querier {
    private final List<Stored> series;
    private final long mint;
    private final long maxt;
    private final List<String> warnings;
    private boolean closed;

    MemQuerier(List<Stored> series, long mint, long maxt, List<String> warnings) {
      this.series = series;
      this.warnings = warnings;
      this.mint = mint;
      this.maxt = maxt;
    }

    private List<Stored> matching(List<LabelMatcher> matchers) {
      List<Stored> out = new ArrayList<>();
      for (Stored s : series) {
        boolean inRange = Arrays.stream(s.ts).anyMatch(t -> t >= mint && t <= maxt);
        if (inRange && matchers.stream().allMatch(m -> m.matches(s.labels.get(m.name())))) {
          out.add(s);
        }
      }
      return out;
    }

    @Override
    public SeriesSet select(boolean sortSeries, SelectHints hints, List<LabelMatcher> matchers) {
      return SeriesSets.of(matching(matchers), warnings);
    }

    @Override
    public List<String> labelValues(String name, List<LabelMatcher> matchers) {
      TreeSet<String> out = new TreeSet<>();
      for (Stored s : matching(matchers)) {
        if (s.labels.has(name)) {
          out.add(s.labels.get(name));
        }
      }
      return new ArrayList<>(out);
    }

    @Override
    public List<String> labelNames(List<LabelMatcher> matchers) {
      TreeSet<String> out = new TreeSet<>();
      for (Stored s : matching(matchers)) {
        s.labels.forEach((n, v) -> out.add(n));
      }
      return new ArrayList<>(out);
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        openQueriers.decrementAndGet();
      }
    }
  }

  static final class ArrayIterator implements SampleIterator {
    private final long[] ts;
    private final double[] vs;
    private int i = -1;

    ArrayIterator(long[] ts, double[] vs) {
      this.ts = ts;
      this.vs = vs;
    }

    @Override
    public ValueType next() {
      return ++i < ts.length ? ValueType.FLOAT : ValueType.NONE;
    }

    @Override
    public ValueType seek(long t) {
      if (i < 0) {
        i = 0;
      }
      while (i < ts.length && ts[i] < t) {
        i++;
      }
      return i < ts.length ? ValueType.FLOAT : ValueType.NONE;
    }

    @Override
    public long timestamp() {
      return ts[i];
    }

    @Override
    public double value() {
      return vs[i];
    }
  }
}
