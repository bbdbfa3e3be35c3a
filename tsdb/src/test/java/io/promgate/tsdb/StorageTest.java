package io.promgate.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.SampleIterator;
import io.promgate.model.SelectHints;
import io.promgate.model.Series;
import io.promgate.model.SeriesSets;
import io.promgate.model.StaleNaN;
import io.promgate.model.ValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageTest {
  @TempDir
  Path dir;

  static Storage open(Path dir) throws Exception {
    return Storage.open(dir, StorageOptions.DEFAULT, Clock.systemUTC());
  }

  static AppendResult append(Storage s, String tenant, SeriesSamples... series) throws Exception {
    return s.append(tenant, List.of(series), List.of()).get(10, TimeUnit.SECONDS);
  }

  static List<String> dump(Storage s, String tenant, LabelMatcher... ms) {
    List<String> out = new ArrayList<>();
    for (Series series : SeriesSets.toList(s.queryable(tenant).querier(Long.MIN_VALUE, Long.MAX_VALUE)
        .select(true, SelectHints.ofRange(Long.MIN_VALUE, Long.MAX_VALUE), List.of(ms)))) {
      SampleIterator it = series.iterator();
      while (it.next() == ValueType.FLOAT) {
        out.add(series.labels() + " " + it.timestamp() + " " + Long.toHexString(Double.doubleToRawLongBits(it.value())));
      }
    }
    return out;
  }

  @Test
  void acknowledgedDataSurvivesRestartPerTenant() throws Exception {
    Labels up = Labels.of("__name__", "up", "job", "a");
    List<String> before;
    try (Storage s = open(dir)) {
      append(s, "t1", new SeriesSamples(up, new long[] {1000, 2000, 3000}, new double[] {1, 0, StaleNaN.VALUE}));
      append(s, "t2", SeriesSamples.of(Labels.of("__name__", "other"), 5000, 7));
      s.append("t1", List.of(), List.of(new MetricMetadata("up", "gauge", "Up.", ""))).get();
      before = dump(s, "t1", LabelMatcher.eq("__name__", "up"));
      assertThat(before).hasSize(3);
      assertThat(dump(s, "t1", LabelMatcher.eq("__name__", "other"))).isEmpty();
    }
    assertThat(Files.isDirectory(dir.resolve("t1/wal-promgate"))).isTrue();
    // wal/ is Prometheus' WAL directory: ours is not there; an empty one exists for promtool tsdb dump.
    try (var w = Files.list(dir.resolve("t1/wal"))) {
      assertThat(w).isEmpty();
    }
    try (Storage s = open(dir)) {
      assertThat(s.tenants()).containsExactly("t1", "t2");
      assertThat(dump(s, "t1", LabelMatcher.eq("__name__", "up"))).isEqualTo(before);
      assertThat(dump(s, "t2", LabelMatcher.eq("__name__", "other"))).hasSize(1);
      assertThat(s.metadata("t1", "", -1)).containsKey("up");
      assertThat(s.metadata("t2", "", -1)).isEmpty();
      // the rules still apply to the replayed head
      AppendResult r = append(s, "t1", SeriesSamples.of(up, 2500, 1));
      assertThat(r.rejected(RejectReason.OUT_OF_ORDER)).isEqualTo(1);
    }
  }

  @Test
  void unknownTenantReadsEmptyAndInvalidTenantIsRefused() throws Exception {
    try (Storage s = open(dir)) {
      assertThat(dump(s, "nobody", LabelMatcher.eq("__name__", "up"))).isEmpty();
      assertThat(s.queryable("nobody").querier(0, 1).labelNames(List.of())).isEmpty();
      CompletableFuture<AppendResult> f = s.append("../evil", List.of(SeriesSamples.of(Labels.of("__name__", "x"), 1, 1)), List.of());
      assertThatThrownBy(f::get).hasCauseInstanceOf(IllegalArgumentException.class);
      assertThat(s.tenants()).isEmpty();
    }
  }

  @Test
  void appendAfterCloseIsUnavailable() throws Exception {
    Storage s = open(dir);
    append(s, "t", SeriesSamples.of(Labels.of("__name__", "x"), 1, 1));
    s.close();
    CompletableFuture<AppendResult> f = s.append("t", List.of(SeriesSamples.of(Labels.of("__name__", "x"), 2, 1)), List.of());
    assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(StorageUnavailableException.class);
  }

  @Test
  void seriesLimitAndWindowComeFromOptions() throws Exception {
    StorageOptions o = StorageOptions.DEFAULT.withMaxSeriesPerTenant(1).withHeadWindow(Duration.ofMinutes(1));
    try (Storage s = Storage.open(dir, o, Clock.systemUTC())) {
      AppendResult r = append(s, "t", SeriesSamples.of(Labels.of("__name__", "a"), 100_000, 1),
          SeriesSamples.of(Labels.of("__name__", "b"), 100_000, 1));
      assertThat(r.rejected(RejectReason.SERIES_LIMIT)).isEqualTo(1);
      r = append(s, "t", SeriesSamples.of(Labels.of("__name__", "a"), 100_000 - 60_001, 1));
      assertThat(r.rejected(RejectReason.OUT_OF_ORDER) + r.rejected(RejectReason.TOO_OLD)).isEqualTo(1);
      assertThat(r.rejected(RejectReason.TOO_OLD)).isEqualTo(1);
    }
  }

  /** Many concurrent appenders: every acknowledged sample is there, before and after a restart. */
  @Test
  void concurrentAppendersGroupCommitAndLoseNothing() throws Exception {
    int threads = 8;
    int writes = 150;
    List<String> acked;
    try (Storage s = open(dir)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<Integer>> fs = new ArrayList<>();
      for (int th = 0; th < threads; th++) {
        int id = th;
        fs.add(pool.submit(() -> {
          int ok = 0;
          for (int i = 0; i < writes; i++) {
            // each thread writes its own series plus one series shared by everybody
            AppendResult r = append(s, "t", SeriesSamples.of(Labels.of("__name__", "w", "th", "" + id), i * 1000L, i),
                SeriesSamples.of(Labels.of("__name__", "shared"), i * 1000L + id, id));
            ok += (int) r.accepted();
          }
          return ok;
        }));
      }
      long accepted = 0;
      for (Future<Integer> f : fs) {
        accepted += f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      acked = dump(s, "t");
      List<String> all = dump(s, "t", LabelMatcher.of(LabelMatcher.Type.RE, "__name__", ".+"));
      assertThat(all.stream().filter(x -> x.contains("\"w\"")).count()).isEqualTo((long) threads * writes);
      // the shared series accepts what arrives in order and rejects the rest: counts must add up
      assertThat(accepted).isEqualTo(all.size());
      assertThat(s.fsyncCount()).isLessThan((long) threads * writes);
      acked = all;
    }
    try (Storage s = open(dir)) {
      assertThat(dump(s, "t", LabelMatcher.of(LabelMatcher.Type.RE, "__name__", ".+"))).isEqualTo(acked);
    }
  }
}
