package io.promgate.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.tsdb.block.Block;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real files damaged on disk: a store with a corrupt block (bad index CRC, missing chunk segment, broken or
 * missing meta.json) or a torn WAL tail starts anyway, moves the block to {@code <tenant>/quarantine/},
 * keeps serving everything else and counts what it repaired.
 */
class CorruptionRecoveryTest {
  static final long H = 3600_000L;
  static final long T0 = BlockTestData.T0;
  static final StorageOptions OPTS = StorageOptions.DEFAULT.withHeadWindow(Duration.ofHours(1))
      .withWalSegmentBytes(16 << 10); // several segments, also with compressed records

  @TempDir
  Path dir;

  /**
   * Writes 4h of data for each tenant: one 2h block each (one per tenant, so that compaction does not merge
   * them), the rest in the head; returns the block dirs.
   */
  private List<Path> oneBlockPerTenant(List<String> tenants, Map<String, TreeMap<Long, Double>> expected)
      throws Exception {
    try (Storage s = Storage.open(dir, OPTS, BlockOptions.DEFAULT, BlocksTest.clockAt(T0 + 4 * H))) {
      for (String t : tenants) {
        new BlockTestData(20, 7).write(s, t, T0, T0 + 4 * H, expected);
      }
      s.runMaintenance();
      return tenants.stream().map(t -> {
        assertThat(s.blocks(t)).hasSize(1);
        return s.blocks(t).get(0).dir();
      }).toList();
    }
  }

  @Test
  void corruptBlocksAreQuarantinedAndTheRestIsServed() throws Exception {
    Map<String, TreeMap<Long, Double>> expected = new TreeMap<>();
    List<String> tenants = List.of("a", "b", "c", "d");
    List<Path> blocks = oneBlockPerTenant(tenants, expected);
    // a: a byte of the index' symbol table flipped (its CRC no longer matches).
    try (RandomAccessFile f = new RandomAccessFile(blocks.get(0).resolve("index").toFile(), "rw")) {
      f.seek(20);
      int b = f.read();
      f.seek(20);
      f.write(b ^ 0x5a);
    }
    // b: the chunk segment deleted.
    Files.delete(blocks.get(1).resolve("chunks").resolve("000001"));
    // c: meta.json cut in half.
    Path meta = blocks.get(2).resolve("meta.json");
    byte[] m = Files.readAllBytes(meta);
    Files.write(meta, java.util.Arrays.copyOf(m, m.length / 2));
    // d stays intact.

    try (Storage s = Storage.open(dir, OPTS, BlockOptions.DEFAULT, BlocksTest.clockAt(T0 + 4 * H))) {
      assertThat(s.quarantinedBlocks()).isEqualTo(3);
      for (int i = 0; i < 3; i++) {
        String t = tenants.get(i);
        assertThat(s.blocks(t)).as(t).isEmpty();
        assertThat(blocks.get(i)).doesNotExist();
        assertThat(dir.resolve(t).resolve("quarantine").resolve(blocks.get(i).getFileName())).isDirectory();
        // The head part of the damaged tenants is still served, and they take writes.
        assertThat(BlockTestData.readAll(s.queryable(t), T0 + 2 * H, Long.MAX_VALUE)).isNotEmpty();
        s.append(t, new BlockTestData(20, 7).scrape(T0 + 4 * H), List.of()).get();
      }
      // Every tenant got the same series, so expected is also exactly what d holds.
      assertThat(s.blocks("d")).extracting(Block::dir).containsExactly(blocks.get(3));
      assertThat(BlockTestData.readAll(s.queryable("d"), Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(expected);
    }
    try (Storage s = Storage.open(dir, OPTS, BlockOptions.DEFAULT, BlocksTest.clockAt(T0 + 4 * H))) {
      assertThat(s.quarantinedBlocks()).as("quarantined once, not again at every start").isZero();
    }
  }

  @Test
  void blockWithoutMetaJsonIsQuarantined() throws Exception {
    List<Path> blocks = oneBlockPerTenant(List.of("a"), new TreeMap<>());
    Files.delete(blocks.get(0).resolve("meta.json"));
    try (Storage s = Storage.open(dir, OPTS, BlockOptions.DEFAULT, BlocksTest.clockAt(T0 + 4 * H))) {
      assertThat(s.quarantinedBlocks()).isEqualTo(1);
      assertThat(s.blocks("a")).isEmpty();
      assertThat(dir.resolve("a").resolve("quarantine").resolve(blocks.get(0).getFileName())).isDirectory();
    }
  }

  @Test
  void garbledWalTailIsCutCountedAndTheStoreStarts() throws Exception {
    BlockTestData data = new BlockTestData(10, 8);
    Map<String, TreeMap<Long, Double>> expected = new TreeMap<>();
    try (Storage s = Storage.open(dir, StorageOptions.DEFAULT, BlockOptions.DEFAULT, BlocksTest.clockAt(T0))) {
      data.write(s, "t1", T0, T0 + 10 * BlockTestData.STEP, expected);
    }
    Path seg = dir.resolve("t1").resolve(TenantStore.WAL_DIR).resolve("00000000");
    long size = Files.size(seg);
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.seek(size);
      f.write(new byte[] {1, 0, 0, 9, 9, 9, 9, 9, 9, 9, 9}); // a record header promising more than follows
    }
    try (Storage s = Storage.open(dir, StorageOptions.DEFAULT, BlockOptions.DEFAULT, BlocksTest.clockAt(T0))) {
      assertThat(s.walCorruptions()).isEqualTo(1);
      assertThat(Files.size(seg)).isEqualTo(size);
      assertThat(BlockTestData.readAll(s.queryable("t1"), Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(expected);
      s.append("t1", data.scrape(T0 + 10 * BlockTestData.STEP), List.of()).get();
    }
    try (Storage s = Storage.open(dir, StorageOptions.DEFAULT, BlockOptions.DEFAULT, BlocksTest.clockAt(T0))) {
      assertThat(s.walCorruptions()).isZero();
    }
  }

  /**
   * 4h of {@code n} series into tenant t: a 2h block is cut and the WAL checkpointed (the series records now
   * live only in the checkpoint, the samples after 2h in the segments after it). With {@code keepOld} the
   * segments the checkpoint replaced are put back, as after a crash between writing the checkpoint and
   * deleting them. Returns the checkpoint.
   */
  private Path checkpointed(BlockTestData data, Map<String, TreeMap<Long, Double>> expected, boolean keepOld)
      throws Exception {
    Path wal = dir.resolve("t").resolve(TenantStore.WAL_DIR);
    try (Storage s = Storage.open(dir, OPTS, BlockOptions.DEFAULT, BlocksTest.clockAt(T0 + 4 * H))) {
      data.write(s, "t", T0, T0 + 4 * H, expected);
    }
    Path backup = dir.resolve("wal-backup");
    Files.createDirectories(backup);
    try (Stream<Path> files = Files.list(wal)) {
      for (Path p : files.toList()) {
        Files.copy(p, backup.resolve(p.getFileName()));
      }
    }
    try (Storage s = Storage.open(dir, OPTS, BlockOptions.DEFAULT, BlocksTest.clockAt(T0 + 4 * H))) {
      s.runMaintenance();
      assertThat(s.blocks("t")).hasSize(1);
    }
    Path cp;
    try (Stream<Path> files = Files.list(wal)) {
      cp = files.filter(p -> p.getFileName().toString().startsWith("checkpoint.")).findFirst().orElseThrow();
    }
    int n = Integer.parseInt(cp.getFileName().toString().substring("checkpoint.".length()));
    assertThat(n).as("segments holding only persisted samples were dropped").isPositive();
    if (keepOld) {
      try (Stream<Path> files = Files.list(backup)) {
        for (Path p : files.toList()) {
          String name = p.getFileName().toString();
          if (name.matches("\\d{8}") && Integer.parseInt(name) < n) {
            Files.copy(p, wal.resolve(name));
          }
        }
      }
    }
    return cp;
  }

  private static void flip(Path file, long at) throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x5a);
    }
  }

  private static Map<String, TreeMap<Long, Double>> before(Map<String, TreeMap<Long, Double>> m, long t) {
    Map<String, TreeMap<Long, Double>> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, new TreeMap<>(v.headMap(t))));
    return out;
  }

  @Test
  void corruptCheckpointWithCompleteOlderStateLosesNothing() throws Exception {
    BlockTestData data = new BlockTestData(20, 11);
    Map<String, TreeMap<Long, Double>> expected = new TreeMap<>();
    Path cp = checkpointed(data, expected, true);
    flip(cp, 12);
    try (Storage s = Storage.open(dir, OPTS, BlockOptions.DEFAULT, BlocksTest.clockAt(T0 + 4 * H))) {
      assertThat(s.walCorruptions()).isEqualTo(1);
      assertThat(cp).doesNotExist();
      assertThat(dir.resolve("t").resolve("quarantine").resolve("wal-" + cp.getFileName())).isRegularFile();
      assertThat(BlockTestData.readAll(s.queryable("t"), Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(expected);
      data.write(s, "t", T0 + 4 * H, T0 + 4 * H + 20 * BlockTestData.STEP, expected);
    }
    try (Storage s = Storage.open(dir, OPTS, BlockOptions.DEFAULT, BlocksTest.clockAt(T0 + 4 * H))) {
      assertThat(s.walCorruptions()).isZero();
      assertThat(BlockTestData.readAll(s.queryable("t"), Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(expected);
    }
  }

  /**
   * Without the older state the series records of the damaged part are gone, and with them the head samples
   * of those series (see WalCheckpoint#replayLatest); the records before the damage, the blocks and
   * everything written after the restart are kept, and the store takes writes and restarts cleanly.
   */
  @Test
  void corruptCheckpointIsQuarantinedAndWhatIsReadableIsReplayed() throws Exception {
    // 1100 series: two series records in the checkpoint (1000 each at most); the second one gets damaged.
    BlockTestData data = new BlockTestData(1100, 12);
    Map<String, TreeMap<Long, Double>> expected = new TreeMap<>();
    Path cp = checkpointed(data, expected, false);
    long size = Files.size(cp);
    flip(cp, size - 40);
    Map<String, TreeMap<Long, Double>> got;
    try (Storage s = Storage.open(dir, OPTS, BlockOptions.DEFAULT, BlocksTest.clockAt(T0 + 4 * H))) {
      assertThat(s.walCorruptions()).isEqualTo(1);
      assertThat(Files.size(cp)).as("the readable part, written again for the next start").isBetween(1L, size - 40);
      assertThat(dir.resolve("t").resolve("quarantine").resolve("wal-" + cp.getFileName())).isRegularFile();
      got = BlockTestData.readAll(s.queryable("t"), Long.MIN_VALUE, Long.MAX_VALUE);
      // Every sample served is right, the block part is whole, and the first record's 1000 series kept
      // their head samples too.
      assertThat(got.keySet()).isEqualTo(expected.keySet());
      int whole = 0;
      for (Map.Entry<String, TreeMap<Long, Double>> e : got.entrySet()) {
        TreeMap<Long, Double> want = expected.get(e.getKey());
        assertThat(e.getValue().headMap(T0 + 2 * H)).isEqualTo(want.headMap(T0 + 2 * H));
        if (e.getValue().equals(want)) {
          whole++;
        } else {
          assertThat(e.getValue()).isEqualTo(want.headMap(T0 + 2 * H));
        }
      }
      assertThat(whole).isEqualTo(1000);
      data.write(s, "t", T0 + 4 * H, T0 + 4 * H + 20 * BlockTestData.STEP, null);
    }
    try (Storage s = Storage.open(dir, OPTS, BlockOptions.DEFAULT, BlocksTest.clockAt(T0 + 4 * H))) {
      assertThat(s.walCorruptions()).isZero();
      assertThat(before(BlockTestData.readAll(s.queryable("t"), Long.MIN_VALUE, T0 + 4 * H - 1), T0 + 4 * H))
          .isEqualTo(got);
    }
  }

  /**
   * Series created after a lost checkpoint must not reuse refs that the WAL still holds samples for: once a
   * later checkpoint names such a ref, the next replay would give the new series the old series' samples.
   */
  @Test
  void newSeriesAfterALostCheckpointDoNotAdoptOldSamples() throws Exception {
    BlockTestData data = new BlockTestData(20, 13);
    Path cp = checkpointed(data, new TreeMap<>(), false);
    flip(cp, 12);
    Map<String, TreeMap<Long, Double>> fresh = new TreeMap<>();
    try (TenantStore ts = TenantStore.open("t", dir.resolve("t"), OPTS, BlockOptions.DEFAULT,
        BlocksTest.clockAt(T0 + 4 * H))) {
      assertThat(ts.wal().corruptionsRepaired()).isEqualTo(1);
      List<SeriesSamples> batch = new java.util.ArrayList<>();
      for (int i = 0; i < 20; i++) {
        io.promgate.model.Labels l = io.promgate.model.Labels.of("__name__", "fresh", "idx", Integer.toString(i));
        batch.add(new SeriesSamples(l, new long[] {T0 + 4 * H}, new double[] {i}));
        fresh.put(l.toString(), new TreeMap<>(Map.of(T0 + 4 * H, (double) i)));
      }
      assertThat(ts.append(batch, List.of()).get().allAccepted()).isTrue();
      // A later checkpoint that keeps the segments with the old samples names the new series.
      ts.wal().roll();
      io.promgate.tsdb.wal.WalCheckpoint.Builder b = new io.promgate.tsdb.wal.WalCheckpoint.Builder();
      ts.head().forEachSeriesRef(b::series);
      io.promgate.tsdb.wal.WalCheckpoint.write(ts.wal(), Integer.parseInt(cp.getFileName().toString()
          .substring("checkpoint.".length())), b);
    }
    try (Storage s = Storage.open(dir, OPTS, BlockOptions.DEFAULT, BlocksTest.clockAt(T0 + 4 * H))) {
      Map<String, TreeMap<Long, Double>> got = BlockTestData.readAll(s.queryable("t"), T0 + 2 * H, Long.MAX_VALUE);
      got.keySet().removeIf(k -> !k.contains("fresh"));
      assertThat(got).isEqualTo(fresh);
    }
  }
}
