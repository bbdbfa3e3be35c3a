package io.promgate.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.SampleIterator;
import io.promgate.model.SelectHints;
import io.promgate.model.Series;
import io.promgate.model.SeriesSets;
import io.promgate.model.ValueType;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queries race appends: every query must see, for each writer, at least everything acknowledged before the
 * query started (read-your-acknowledged-writes), samples strictly increasing, and no exception.
 */
class ConcurrentReadWriteTest {
  @TempDir
  Path dir;

  @Test
  void readersSeeEveryAcknowledgedSampleWhileWritersAppend() throws Exception {
    int writers = 3;
    int readers = 2;
    try (Storage s = Storage.open(dir, StorageOptions.DEFAULT, Clock.systemUTC())) {
      ConcurrentHashMap<Integer, Long> ackedUpTo = new ConcurrentHashMap<>();
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(writers + readers);
      List<Future<Integer>> fs = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int id = w;
        fs.add(pool.submit(() -> {
          for (int i = 1; i <= 400; i++) {
            List<SeriesSamples> batch = new ArrayList<>();
            // a new series every 10 appends keeps the index growing while it is read
            batch.add(SeriesSamples.of(Labels.of("__name__", "m", "w", "" + id), i * 1000L, i));
            batch.add(SeriesSamples.of(Labels.of("__name__", "n", "w", "" + id, "k", "" + i / 10), i * 1000L, i));
            s.append("t", batch, List.of()).get(30, TimeUnit.SECONDS);
            ackedUpTo.put(id, i * 1000L);
          }
          return 0;
        }));
      }
      for (int r = 0; r < readers; r++) {
        fs.add(pool.submit(() -> {
          int queries = 0;
          while (!stop.get()) {
            var snapshot = new java.util.HashMap<>(ackedUpTo);
            List<Series> got = SeriesSets.toList(s.queryable("t").querier(0, Long.MAX_VALUE)
                .select(true, SelectHints.ofRange(0, Long.MAX_VALUE), List.of(LabelMatcher.eq("__name__", "m"))));
            for (Series series : got) {
              int w = Integer.parseInt(series.labels().get("w"));
              long last = Long.MIN_VALUE;
              SampleIterator it = series.iterator();
              while (it.next() == ValueType.FLOAT) {
                assertThat(it.timestamp()).isGreaterThan(last);
                last = it.timestamp();
              }
              assertThat(last).isGreaterThanOrEqualTo(snapshot.getOrDefault(w, Long.MIN_VALUE));
            }
            assertThat(got.size()).isGreaterThanOrEqualTo(snapshot.size());
            s.queryable("t").querier(0, Long.MAX_VALUE).labelValues("k", List.of(LabelMatcher.eq("__name__", "n")));
            queries++;
          }
          return queries;
        }));
      }
      for (int w = 0; w < writers; w++) {
        fs.get(w).get(60, TimeUnit.SECONDS);
      }
      stop.set(true);
      int queries = 0;
      for (int r = writers; r < fs.size(); r++) {
        queries += fs.get(r).get(30, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertThat(queries).isPositive();
      assertThat(s.queryable("t").querier(0, Long.MAX_VALUE).labelValues("k", List.of())).hasSize(41);
    }
  }
}
