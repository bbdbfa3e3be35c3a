package io.promgate.tsdb;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.Queryable;
import io.promgate.model.SampleIterator;
import io.promgate.model.SelectHints;
import io.promgate.model.Series;
import io.promgate.model.SeriesSets;
import io.promgate.model.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Realistic-looking test data scraped every 15 s, deterministic per seed: request counters (integer
 * increments, rare resets), CPU-seconds counters (centisecond steps, so inexact binary fractions), memory
 * gauges (page-sized steps now and then) and {@code up} (1, rarely 0), with job/instance/code labels.
 */
public final class BlockTestData {
  /** Aligned to 162h so that every compaction range (2h, 6h, 18h, 54h, 162h) starts here. */
  public static final long T0 = Math.floorDiv(1_700_000_000_000L, 162 * 3600_000L) * 162 * 3600_000L;
  public static final long STEP = 15_000;

  private final List<Labels> series = new ArrayList<>();
  private final double[] last;
  /** 0 request counter (integer increments), 1 CPU seconds counter (centiseconds), 2 memory gauge, 3 up. */
  private final int[] kind;
  private final Random rnd;

  public BlockTestData(int n, long seed) {
    rnd = new Random(seed);
    last = new double[n];
    kind = new int[n];
    String[] jobs = {"api", "db", "cache", "worker", "gateway"};
    String[] names = {"http_requests_total", "process_cpu_seconds_total", "process_resident_memory_bytes", "up"};
    for (int i = 0; i < n; i++) {
      kind[i] = i % 4;
      series.add(Labels.of("__name__", names[kind[i]], "job", jobs[i % jobs.length], "instance",
          "host-" + (i / 15) + ":9100", "code", Integer.toString(200 + (i % 5) * 100), "idx", Integer.toString(i)));
      last[i] = switch (kind[i]) {
        case 0 -> rnd.nextInt(100_000);
        case 1 -> rnd.nextInt(10_000) / 100.0;
        case 2 -> 4096.0 * (10_000 + rnd.nextInt(100_000));
        default -> 1;
      };
    }
  }

  public List<Labels> series() {
    return series;
  }

  /** One scrape of every series at t. */
  public List<SeriesSamples> scrape(long t) {
    List<SeriesSamples> out = new ArrayList<>(series.size());
    for (int i = 0; i < series.size(); i++) {
      double v = switch (kind[i]) {
        case 0 -> rnd.nextInt(5000) == 0 ? 0 : last[i] + rnd.nextInt(12);
        case 1 -> Math.round(last[i] * 100 + rnd.nextInt(4)) / 100.0;
        case 2 -> rnd.nextInt(5) == 0 ? Math.max(4096, last[i] + 4096.0 * (rnd.nextInt(201) - 100)) : last[i];
        default -> rnd.nextInt(2000) == 0 ? 0 : 1;
      };
      last[i] = v;
      out.add(new SeriesSamples(series.get(i), new long[] {t}, new double[] {v}));
    }
    return out;
  }

  /** Appends scrapes at [from, to) every STEP, 20 scrapes per request; records them in {@code expected}. */
  public void write(Storage s, String tenant, long from, long to, Map<String, TreeMap<Long, Double>> expected)
      throws Exception {
    for (long t = from; t < to; ) {
      List<SeriesSamples> batch = new ArrayList<>();
      for (int k = 0; k < 20 && t < to; k++, t += STEP) {
        for (SeriesSamples ss : scrape(t)) {
          batch.add(ss);
          if (expected != null) {
            expected.computeIfAbsent(ss.labels().toString(), x -> new TreeMap<>()).put(t, ss.values()[0]);
          }
        }
      }
      AppendResult r = s.append(tenant, batch, List.of()).get(30, TimeUnit.SECONDS);
      if (!r.allAccepted()) {
        throw new AssertionError("rejected before " + t + ": " + r);
      }
    }
  }

  /** Everything a queryable holds, by series key. Checks that timestamps strictly increase. */
  public static Map<String, TreeMap<Long, Double>> readAll(Queryable q, long mint, long maxt) {
    return readAll(q, mint, maxt, Labels::toString);
  }

  public static Map<String, TreeMap<Long, Double>> readAll(Queryable q, long mint, long maxt,
      java.util.function.Function<Labels, String> key) {
    try (io.promgate.model.Querier querier = q.querier(mint, maxt)) {
      return drain(querier.select(true, SelectHints.ofRange(mint, maxt),
          List.of(LabelMatcher.of(LabelMatcher.Type.RE, "__name__", ".+"))), key);
    }
  }

  /** Every sample of a series set, by series key. Checks that timestamps strictly increase. */
  public static Map<String, TreeMap<Long, Double>> drain(io.promgate.model.SeriesSet set) {
    return drain(set, Labels::toString);
  }

  static Map<String, TreeMap<Long, Double>> drain(io.promgate.model.SeriesSet set,
      java.util.function.Function<Labels, String> key) {
    Map<String, TreeMap<Long, Double>> out = new TreeMap<>();
    for (Series s : SeriesSets.toList(set)) {
      TreeMap<Long, Double> m = new TreeMap<>();
      SampleIterator it = s.iterator();
      long prev = Long.MIN_VALUE;
      while (it.next() == ValueType.FLOAT) {
        if (it.timestamp() <= prev) {
          throw new AssertionError(s.labels() + ": timestamp " + it.timestamp() + " after " + prev);
        }
        prev = it.timestamp();
        m.put(it.timestamp(), it.value());
      }
      if (out.put(key.apply(s.labels()), m) != null) {
        throw new AssertionError("series returned twice: " + s.labels());
      }
    }
    return out;
  }
}
