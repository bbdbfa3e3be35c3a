package io.promgate.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.tsdb.io.DiskQuota;
import io.promgate.tsdb.io.WritableFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, simulated through {@link WritableFiles}: appends fail with {@link StorageUnavailableException}
 * (the gateway's 503), nothing acknowledged is lost, the store takes writes again once space returns
 * (without a restart), and the WAL replays to exactly the acknowledged samples.
 */
class DiskFullTest {
  static final long H = 3600_000L;
  static final long T0 = BlockTestData.T0;

  @TempDir
  Path dir;

  @AfterEach
  void clear() {
    WritableFiles.clearFaults(dir);
  }

  /** Appends scrape by scrape until one fails; returns the acknowledged samples per series. */
  private static long appendUntilFull(Storage s, BlockTestData data, long from,
      Map<String, TreeMap<Long, Double>> acked) throws InterruptedException {
    for (long t = from; ; t += BlockTestData.STEP) {
      List<SeriesSamples> scrape = data.scrape(t);
      try {
        s.append("t1", scrape, List.of()).get();
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(StorageUnavailableException.class)
            .hasMessageContaining("No space left on device");
        return t;
      }
      record(scrape, acked);
    }
  }

  private static void record(List<SeriesSamples> scrape, Map<String, TreeMap<Long, Double>> acked) {
    for (SeriesSamples ss : scrape) {
      TreeMap<Long, Double> m = acked.computeIfAbsent(ss.labels().toString(), k -> new TreeMap<>());
      for (int i = 0; i < ss.size(); i++) {
        m.put(ss.timestamps()[i], ss.values()[i]);
      }
    }
  }

  @Test
  void fullDiskRefusesWritesKeepsAcknowledgedOnesAndRecoversWithoutRestart() throws Exception {
    // Small segments so that the disk also fills up in the middle of a segment rollover.
    StorageOptions opts = StorageOptions.DEFAULT.withWalSegmentBytes(8 << 10);
    DiskQuota disk = DiskQuota.withFreeBytes(40_000);
    WritableFiles.injectFaults(dir, disk);
    BlockTestData data = new BlockTestData(20, 3);
    Map<String, TreeMap<Long, Double>> acked = new TreeMap<>();
    long next;
    try (Storage s = Storage.open(dir, opts, BlockOptions.DEFAULT, BlocksTest.clockAt(T0))) {
      next = appendUntilFull(s, data, T0, acked);
      assertThat(acked).isNotEmpty();
      // Still full: refused again, and refused writes are not readable.
      assertThat(s.append("t1", data.scrape(next), List.of())).failsWithin(Duration.ofSeconds(10));
      assertThat(BlockTestData.readAll(s.queryable("t1"), Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(acked);
      assertThat(s.writeFailures()).isEqualTo(2);

      // Space returns: the same store takes writes again, a rollover included.
      disk.setFreeBytes(1 << 20);
      for (long t = next; t < next + 200 * BlockTestData.STEP; t += BlockTestData.STEP) {
        List<SeriesSamples> scrape = data.scrape(t);
        s.append("t1", scrape, List.of()).get();
        record(scrape, acked);
      }
      assertThat(BlockTestData.readAll(s.queryable("t1"), Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(acked);
      // And full again, to leave a WAL whose last write failed.
      disk.setFreeBytes(100);
      appendUntilFull(s, data, next + 200 * BlockTestData.STEP, acked);
    }
    WritableFiles.clearFaults(dir);
    try (Storage s = Storage.open(dir, opts, BlockOptions.DEFAULT, BlocksTest.clockAt(T0))) {
      assertThat(BlockTestData.readAll(s.queryable("t1"), Long.MIN_VALUE, Long.MAX_VALUE))
          .as("the WAL replays to exactly the acknowledged samples").isEqualTo(acked);
      assertThat(s.walCorruptions()).as("failed writes were cut off at once, not left for the replay").isZero();
    }
  }

  @Test
  void failedFsyncIsNeverAcknowledgedAndTheReplayHasEverythingThatWas() throws Exception {
    DiskQuota disk = DiskQuota.unlimited();
    WritableFiles.injectFaults(dir, disk);
    BlockTestData data = new BlockTestData(5, 4);
    Map<String, TreeMap<Long, Double>> acked = new TreeMap<>();
    try (Storage s = Storage.open(dir, StorageOptions.DEFAULT, BlockOptions.DEFAULT, BlocksTest.clockAt(T0))) {
      List<SeriesSamples> first = data.scrape(T0);
      s.append("t1", first, List.of()).get();
      record(first, acked);
      disk.failFsync(true);
      assertThat(s.append("t1", data.scrape(T0 + BlockTestData.STEP), List.of()))
          .failsWithin(Duration.ofSeconds(10)).withThrowableThat().withCauseInstanceOf(StorageUnavailableException.class);
      disk.failFsync(false);
      // After a failed fsync the kernel may have dropped the dirty pages: the WAL stays refused (503) rather
      // than acknowledge later writes on top of a hole; a restart replays what is really on disk.
      assertThat(s.append("t1", data.scrape(T0 + 2 * BlockTestData.STEP), List.of()))
          .failsWithin(Duration.ofSeconds(10));
    }
    WritableFiles.clearFaults(dir);
    try (Storage s = Storage.open(dir, StorageOptions.DEFAULT, BlockOptions.DEFAULT, BlocksTest.clockAt(T0))) {
      Map<String, TreeMap<Long, Double>> got = BlockTestData.readAll(s.queryable("t1"), Long.MIN_VALUE, Long.MAX_VALUE);
      got.forEach((k, v) -> assertThat(v).containsAllEntriesOf(acked.get(k)));
      List<SeriesSamples> retry = data.scrape(T0 + BlockTestData.STEP);
      s.append("t1", retry, List.of()).get();
    }
  }

  /**
   * A block cut that fails on a full disk must be retried for the same range: before the fix the head's
   * start stayed past that range, the next cut wrote the following range and truncated the head and WAL
   * beyond samples that no block held.
   */
  @Test
  void blockCutOnFullDiskLosesNothingAndIsRetried() throws Exception {
    StorageOptions opts = StorageOptions.DEFAULT.withHeadWindow(Duration.ofHours(1)).withWalSegmentBytes(64 << 10);
    BlockTestData data = new BlockTestData(10, 5);
    Map<String, TreeMap<Long, Double>> expected = new TreeMap<>();
    DiskQuota disk = DiskQuota.unlimited();
    WritableFiles.injectFaults(dir, disk);
    try (Storage s = Storage.open(dir, opts, BlockOptions.DEFAULT, BlocksTest.clockAt(T0 + 4 * H))) {
      data.write(s, "t1", T0, T0 + 4 * H, expected); // one complete 2h range: [T0, T0+2h)
      disk.setFreeBytes(1000);
      s.runMaintenance(); // fails, logged
      assertThat(s.blocks("t1")).isEmpty();
      assertThat(dir.resolve("t1").toFile().list((d, n) -> n.endsWith(".tmp"))).as("half block removed").isEmpty();
      disk.setFreeBytes(Long.MAX_VALUE / 2);
      data.write(s, "t1", T0 + 4 * H, T0 + 6 * H, expected); // now [T0+2h, T0+4h) is complete too
      s.runMaintenance();
      assertThat(s.blocks("t1")).extracting(b -> b.meta().minTime() - T0).containsExactly(0L, 2 * H);
      assertThat(BlockTestData.readAll(s.queryable("t1"), Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(expected);
    }
    WritableFiles.clearFaults(dir);
    try (Storage s = Storage.open(dir, opts, BlockOptions.DEFAULT, BlocksTest.clockAt(T0 + 6 * H))) {
      assertThat(BlockTestData.readAll(s.queryable("t1"), Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(expected);
    }
  }
}
