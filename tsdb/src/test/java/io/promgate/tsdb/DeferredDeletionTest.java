package io.promgate.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Querier;
import io.promgate.model.SelectHints;
import io.promgate.model.SeriesSet;
import io.promgate.tsdb.block.Block;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction and retention never delete a block directory under an open querier: the block leaves the
 * block list at once (new queries do not see it), its files stay until the last querier that read it is
 * closed, and the next maintenance pass deletes them (Prometheus' pending readers).
 */
class DeferredDeletionTest {
  static final long H = 3600_000L;
  static final StorageOptions OPTS = StorageOptions.DEFAULT.withHeadWindow(Duration.ofHours(1));
  static final List<LabelMatcher> ALL = List.of(LabelMatcher.of(LabelMatcher.Type.RE, "__name__", ".+"));

  @TempDir
  Path dir;

  final AtomicLong now = new AtomicLong(BlockTestData.T0);
  final Clock clock = new Clock() {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(now.get());
    }
  };

  @Test
  void compactedSourcesStayUntilTheQueriersReadingThemClose() throws Exception {
    long t0 = BlockTestData.T0;
    Map<String, TreeMap<Long, Double>> expected = new TreeMap<>();
    try (Storage s = Storage.open(dir, OPTS, BlockOptions.DEFAULT, clock)) {
      BlockTestData data = new BlockTestData(10, 7);
      data.write(s, "t", t0, t0 + 6 * H, expected);
      s.runMaintenance(); // 0-2 and 2-4 cut; nothing to compact yet
      List<Block> sources = s.blocks("t");
      assertThat(sources).hasSize(2);

      Querier q = s.queryable("t").querier(Long.MIN_VALUE, Long.MAX_VALUE);
      SeriesSet held = q.select(true, SelectHints.ofRange(Long.MIN_VALUE, Long.MAX_VALUE), ALL); // acquires 0-2, 2-4
      assertThat(sources).allSatisfy(b -> assertThat(b.readers()).isEqualTo(1));

      data.write(s, "t", t0 + 6 * H, t0 + 10 * H, expected);
      s.runMaintenance(); // cuts 4-6, 6-8 and compacts 0-2, 2-4, 4-6 into 0-6
      assertThat(s.blocks("t")).extracting(b -> b.meta().level()).containsExactly(2, 1);
      assertThat(sources).allSatisfy(b -> assertThat(Files.exists(b.dir())).as("%s under a reader", b).isTrue());
      // The open querier still reads the sources it holds, and a select now reads the compacted block.
      assertThat(BlockTestData.drain(held)).isNotEmpty();
      assertThat(BlockTestData.drain(q.select(true, SelectHints.ofRange(Long.MIN_VALUE, Long.MAX_VALUE), ALL)))
          .isEqualTo(expected);
      s.runMaintenance();
      assertThat(sources).allSatisfy(b -> assertThat(Files.exists(b.dir())).isTrue());

      q.close();
      q.close(); // closing twice releases once
      assertThat(sources).allSatisfy(b -> assertThat(b.readers()).isZero());
      s.runMaintenance();
      assertThat(sources).allSatisfy(b -> assertThat(Files.exists(b.dir())).as("%s after close", b).isFalse());
      assertThat(BlockTestData.readAll(s.queryable("t"), Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(expected);
    }
  }

  @Test
  void expiredBlocksStayUntilTheQueriersReadingThemClose() throws Exception {
    long t0 = BlockTestData.T0;
    try (Storage s = Storage.open(dir, OPTS, BlockOptions.DEFAULT.withRetention(Duration.ofHours(5)), clock)) {
      new BlockTestData(10, 8).write(s, "t", t0, t0 + 6 * H, null);
      now.set(t0 + 6 * H);
      s.runMaintenance(); // 0-2 and 2-4; retention 5h from 6h: nothing expired
      List<Block> before = s.blocks("t");
      assertThat(before).hasSize(2);
      Block oldest = before.get(0);
      try (Querier q = s.queryable("t").querier(t0, t0 + H)) {
        assertThat(q.labelNames(List.of())).contains("__name__"); // holds 0-2 only
        assertThat(oldest.readers()).isEqualTo(1);
        assertThat(before.get(1).readers()).isZero();
        now.set(t0 + 7 * H); // 0-2 ended 5h ago
        s.runMaintenance();
        assertThat(s.blocks("t")).containsExactly(before.get(1));
        assertThat(Files.exists(oldest.dir())).isTrue();
        assertThat(s.queryable("t").querier(t0, t0 + H).labelNames(List.of())).isEmpty();
      }
      s.runMaintenance();
      assertThat(Files.exists(oldest.dir())).isFalse();
      assertThat(Files.exists(before.get(1).dir())).isTrue();
    }
  }

  @Test
  void retiredBlocksWaitingForReadersAreDeletedAtCloseOrNextOpen() throws Exception {
    long t0 = BlockTestData.T0;
    Block oldest;
    try (Storage s = Storage.open(dir, OPTS, BlockOptions.DEFAULT.withRetention(Duration.ofHours(5)), clock)) {
      new BlockTestData(5, 9).write(s, "t", t0, t0 + 6 * H, null);
      now.set(t0 + 6 * H);
      s.runMaintenance();
      oldest = s.blocks("t").get(0);
      Querier q = s.queryable("t").querier(t0, t0 + H);
      q.labelNames(List.of());
      now.set(t0 + 7 * H);
      s.runMaintenance();
      assertThat(Files.exists(oldest.dir())).isTrue();
      q.close();
    }
    assertThat(Files.exists(oldest.dir())).as("deleted when the store closed").isFalse();
  }
}
