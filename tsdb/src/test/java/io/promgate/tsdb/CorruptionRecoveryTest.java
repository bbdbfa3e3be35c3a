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
      .withWalSegmentBytes(64 << 10);

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
}
