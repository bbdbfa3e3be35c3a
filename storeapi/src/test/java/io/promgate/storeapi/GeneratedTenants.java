package io.promgate.storeapi;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.Querier;
import io.promgate.model.Queryable;
import io.promgate.model.SampleIterator;
import io.promgate.model.SelectHints;
import io.promgate.model.Series;
import io.promgate.model.SeriesSet;
import io.promgate.model.ValueType;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One tenant with {@code n} generated series that exist only while they are read, so tests and benchmarks
 * can stream many series and observe how far the server has read ({@link #produced}).
 */
final class GeneratedTenants implements TenantQueryables {
  final int series;
  final int samplesPerSeries;
  final AtomicLong produced = new AtomicLong();
  final AtomicInteger openQueriers = new AtomicInteger();

  GeneratedTenants(int series, int samplesPerSeries) {
    this.series = series;
    this.samplesPerSeries = samplesPerSeries;
  }

  static Labels labels(int i) {
    return Labels.fromSortedPairs(new String[] {"__name__", "generated", "instance", String.format("i%07d", i),
        "job", "bench"});
  }

  @Override
  public Queryable forTenant(String tenant) {
    return (mint, maxt) -> {
      openQueriers.incrementAndGet();
      return new Querier() {
        @Override
        public SeriesSet select(boolean sortSeries, SelectHints hints, List<LabelMatcher> matchers) {
          return new SeriesSet() {
            int i = -1;

            @Override
            public boolean next() {
              if (i + 1 >= series) {
                return false;
              }
              i++;
              produced.incrementAndGet();
              return true;
            }

            @Override
            public Series at() {
              Labels l = labels(i);
              return new Series() {
                @Override
                public Labels labels() {
                  return l;
                }

                @Override
                public SampleIterator iterator() {
                  return new Counter(samplesPerSeries);
                }
              };
            }
          };
        }

        @Override
        public List<String> labelValues(String name, List<LabelMatcher> matchers) {
          return List.of();
        }

        @Override
        public List<String> labelNames(List<LabelMatcher> matchers) {
          return List.of("__name__", "instance", "job");
        }

        @Override
        public void close() {
          openQueriers.decrementAndGet();
        }
      };
    };
  }

  @Override
  public Set<String> tenants() {
    return Set.of("anonymous");
  }

  @Override
  public long minTime(String tenant) {
    return 0;
  }

  @Override
  public long maxTime(String tenant) {
    return (samplesPerSeries - 1) * 15_000L;
  }

  /** A counter scraped every 15 s from t=0. */
  static final class Counter implements SampleIterator {
    private final int n;
    private int i = -1;

    Counter(int n) {
      this.n = n;
    }

    @Override
    public ValueType next() {
      return ++i < n ? ValueType.FLOAT : ValueType.NONE;
    }

    @Override
    public ValueType seek(long t) {
      if (i < 0) {
        i = 0;
      }
      while (i < n && i * 15_000L < t) {
        i++;
      }
      return i < n ? ValueType.FLOAT : ValueType.NONE;
    }

    @Override
    public long timestamp() {
      return i * 15_000L;
    }

    @Override
    public double value() {
      return i * 3.0;
    }
  }
}
