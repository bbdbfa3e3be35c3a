package io.promgate.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.model.LabelMatcher;
import io.promgate.tsdb.block.Block;
import io.promgate.tsdb.block.BlockMeta;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cutting the head into blocks, reading head + blocks, restart, compaction and retention. */
class BlocksTest {
  static final long H = 3600_000L;
  static final StorageOptions OPTS = StorageOptions.DEFAULT.withHeadWindow(Duration.ofHours(1)).withWalSegmentBytes(256 << 10);

  @TempDir
  Path dir;

  static Clock clockAt(long millis) {
    return Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
  }

  @Test
  void headIsCutIntoBlocksAndEverySampleIsReadOnceBeforeAndAfterRestart() throws Exception {
    BlockTestData data = new BlockTestData(60, 1);
    Map<String, TreeMap<Long, Double>> expected = new TreeMap<>();
    long t0 = BlockTestData.T0;
    try (Storage s = Storage.open(dir, OPTS, BlockOptions.DEFAULT, clockAt(t0 + 8 * H))) {
      data.write(s, "t1", t0, t0 + 8 * H, expected);
      s.runMaintenance();
      List<Block> blocks = s.blocks("t1");
      assertThat(blocks).extracting(b -> b.meta().minTime() - t0).containsExactly(0L, 2 * H, 4 * H);
      assertThat(blocks).allSatisfy(b -> {
        assertThat(b.meta().maxTime() - b.meta().minTime()).isEqualTo(2 * H);
        assertThat(b.meta().numSeries()).isEqualTo(60);
        assertThat(b.meta().numSamples()).isEqualTo(60 * 2 * H / BlockTestData.STEP);
        assertThat(b.meta().externalLabels()).containsEntry("tenant_id", "t1");
      });
      assertThat(s.head("t1").orElseThrow().minTime()).isGreaterThanOrEqualTo(t0 + 6 * H);
      assertThat(BlockTestData.readAll(s.queryable("t1"), Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(expected);
      // Raw chunks (StoreAPI): blocks then head, in time order, each sample once.
      Map<String, TreeMap<Long, Double>> fromChunks = new TreeMap<>();
      for (io.promgate.tsdb.head.ChunkSeries cs : s.selectChunks("t1", Long.MIN_VALUE, Long.MAX_VALUE,
          List.of(LabelMatcher.of(LabelMatcher.Type.RE, "__name__", ".+")))) {
        TreeMap<Long, Double> m = new TreeMap<>();
        var it = new io.promgate.model.chunk.XorChunksIterator(cs.chunks());
        long prev = Long.MIN_VALUE;
        while (it.next() == io.promgate.model.ValueType.FLOAT) {
          assertThat(it.timestamp()).isGreaterThan(prev);
          prev = it.timestamp();
          m.put(it.timestamp(), it.value());
        }
        fromChunks.put(cs.labels().toString(), m);
      }
      assertThat(fromChunks).isEqualTo(expected);
      // A range that spans block and head only.
      assertThat(BlockTestData.readAll(s.queryable("t1"), t0 + 5 * H, t0 + 7 * H).values().iterator().next()
          .firstKey()).isEqualTo(t0 + 5 * H);
      // Samples older than the newest block are too old now, even if within the head window of a fresh head.
      assertThat(s.queryable("t1").querier(t0, t0 + H).labelValues("job", List.of()))
          .containsExactly("api", "cache", "db", "gateway", "worker");
      assertThat(s.queryable("t1").querier(t0, t0 + H).labelValues("job",
          List.of(LabelMatcher.eq("__name__", "up")))).hasSize(5);
    }
    try (Storage s = Storage.open(dir, OPTS, BlockOptions.DEFAULT, clockAt(t0 + 8 * H))) {
      assertThat(s.blocks("t1")).hasSize(3);
      assertThat(BlockTestData.readAll(s.queryable("t1"), Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(expected);
      AppendResult r = s.append("t1", data.scrape(t0 + 6 * H - BlockTestData.STEP), List.of()).get();
      assertThat(r.rejected(RejectReason.TOO_OLD)).as("samples in a persisted range are too old").isEqualTo(60);
      r = s.append("t1", List.of(SeriesSamples.of(io.promgate.model.Labels.of("__name__", "new_series"),
          t0 + 6 * H - 1, 1)), List.of()).get();
      assertThat(r.rejected(RejectReason.TOO_OLD)).isEqualTo(1);
      assertThat(s.queryable("t1").querier(Long.MIN_VALUE, Long.MAX_VALUE).labelValues("__name__", List.of()))
          .doesNotContain("new_series");
    }
  }

  @Test
  void blocksAreCompacted2hTo6hTo18hAndRetentionDeletesWholeOldBlocks() throws Exception {
    BlockTestData data = new BlockTestData(5, 2);
    Map<String, TreeMap<Long, Double>> expected = new TreeMap<>();
    long t0 = BlockTestData.T0;
    long[] now = {t0};
    Clock clock = new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return Instant.ofEpochMilli(now[0]);
      }
    };
    BlockOptions bo = BlockOptions.DEFAULT.withRetention(Duration.ofDays(30));
    try (Storage s = Storage.open(dir, OPTS, bo, clock)) {
      for (int h = 0; h < 22; h += 2) {
        data.write(s, "t", t0 + h * H, t0 + (h + 2) * H, expected);
        now[0] = t0 + (h + 2) * H;
        s.runMaintenance();
      }
      // Data up to 22h, head window 1h: blocks cut up to 20h. 0..18h compacted (via three 6h blocks) into one
      // 18h block once a newer block exists (Prometheus leaves the newest block alone).
      List<BlockMeta> metas = s.blocks("t").stream().map(Block::meta).toList();
      assertThat(metas).extracting(m -> (m.minTime() - t0) / H + "-" + (m.maxTime() - t0) / H + "@" + m.level())
          .containsExactly("0-18@3", "18-20@1");
      assertThat(metas.get(0).sources()).hasSize(9);
      assertThat(metas.get(0).numSamples()).isEqualTo(5 * 18 * H / BlockTestData.STEP);
      try (Stream<Path> files = Files.list(dir.resolve("t"))) {
        assertThat(files.filter(p -> p.getFileName().toString().length() >= 26)).hasSize(2);
      }
      assertThat(BlockTestData.readAll(s.queryable("t"), Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(expected);
      // The WAL was checkpointed: segments holding only persisted samples are gone.
      try (Stream<Path> files = Files.list(dir.resolve("t/wal-promgate"))) {
        List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
        assertThat(names).anyMatch(n -> n.startsWith("checkpoint."));
        assertThat(names.stream().filter(n -> n.matches("\\d{8}"))).hasSizeLessThanOrEqualTo(3);
        assertThat(names.stream().filter(n -> n.matches("\\d{8}")).findFirst().orElseThrow())
            .isGreaterThanOrEqualTo(names.stream().filter(n -> n.startsWith("checkpoint.")).findFirst().orElseThrow()
                .substring("checkpoint.".length()));
      }

      // Time retention: 30 days after the 18h block ended it goes; the newer one stays.
      now[0] = t0 + 18 * H + 30 * 24 * H - 1;
      s.runMaintenance();
      assertThat(s.blocks("t")).hasSize(2);
      now[0] = t0 + 18 * H + 30 * 24 * H;
      s.runMaintenance();
      assertThat(s.blocks("t")).extracting(b -> (b.meta().minTime() - t0) / H).containsExactly(18L);
    }
  }

  @Test
  void readsDuringCutAndCompactionSeeEverySampleExactlyOnce() throws Exception {
    BlockTestData data = new BlockTestData(10, 6);
    Map<String, TreeMap<Long, Double>> expected = new TreeMap<>();
    long t0 = BlockTestData.T0;
    try (Storage s = Storage.open(dir, OPTS, BlockOptions.DEFAULT, clockAt(t0))) {
      data.write(s, "t", t0, t0 + 12 * H, expected);
      java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
      java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
      Thread reader = new Thread(() -> {
        while (!stop.get()) {
          try {
            // readAll also fails on a repeated timestamp or a series returned twice.
            assertThat(BlockTestData.readAll(s.queryable("t"), Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(expected);
            reads.incrementAndGet();
          } catch (Throwable e) {
            failure.set(e);
            return;
          }
        }
      });
      reader.start();
      s.runMaintenance(); // cuts 5 blocks and compacts the first 3
      stop.set(true);
      reader.join();
      assertThat(failure.get()).isNull();
      assertThat(reads.get()).isPositive();
      assertThat(s.blocks("t")).extracting(b -> b.meta().level()).containsExactly(2, 1, 1);
    }
  }

  @Test
  void backgroundMaintenanceCutsBlocks() throws Exception {
    long t0 = BlockTestData.T0;
    try (Storage s = Storage.open(dir, OPTS, BlockOptions.DEFAULT, clockAt(t0))) {
      new BlockTestData(5, 4).write(s, "t", t0, t0 + 6 * H, null);
      s.startMaintenance(Duration.ofMillis(20));
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (s.blocks("t").size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(s.blocks("t")).hasSize(2);
    }
  }

  @Test
  void sizeRetentionDeletesOldestBlocksFirst() throws Exception {
    BlockTestData data = new BlockTestData(20, 3);
    long t0 = BlockTestData.T0;
    try (Storage s = Storage.open(dir, OPTS, BlockOptions.DEFAULT.withRetention(Duration.ZERO), clockAt(t0))) {
      data.write(s, "t", t0, t0 + 9 * H, null);
      s.runMaintenance();
      List<Block> before = s.blocks("t");
      assertThat(before).hasSize(3); // 0-2, 2-4 compacted? no: newest excluded and 6h range incomplete
      long wal = Files.list(dir.resolve("t/wal-promgate")).mapToLong(p -> p.toFile().length()).sum();
      long limit = wal + before.get(2).sizeBytes() + before.get(1).sizeBytes() + 10;
      try (Storage s2 = reopenWith(s, BlockOptions.DEFAULT.withRetention(Duration.ZERO).withRetentionBytes(limit), t0)) {
        s2.runMaintenance();
        assertThat(s2.blocks("t")).extracting(b -> b.meta().ulid())
            .containsExactly(before.get(1).meta().ulid(), before.get(2).meta().ulid());
      }
    }
  }

  private Storage reopenWith(Storage s, BlockOptions bo, long now) throws Exception {
    s.close();
    return Storage.open(dir, OPTS, bo, clockAt(now));
  }
}
