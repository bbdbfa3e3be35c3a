package io.promgate.tsdb;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Child process of {@link BlockCrashTest}: writes {@code hours} of test data (every append acknowledged),
 * then runs block maintenance with {@code -Dpromgate.crashpoint=<step>} set, which halts the JVM at that
 * step. Exits 0 when the step was never reached.
 */
public final class BlockCrashMain {
  static final int SERIES = 30;
  static final long SEED = 11;

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    int hours = Integer.parseInt(args[1]);
    try (Storage s = open(root)) {
      new BlockTestData(SERIES, SEED).write(s, "t", BlockTestData.T0, BlockTestData.T0 + hours * 3600_000L, null);
      s.runMaintenance();
    }
    System.exit(0);
  }

  static Storage open(Path root) throws Exception {
    // 16 KiB: several WAL segments (the checkpoint step needs closed ones), also with compressed records.
    return Storage.open(root, StorageOptions.DEFAULT.withHeadWindow(Duration.ofHours(1)).withWalSegmentBytes(16 << 10),
        BlockOptions.DEFAULT, Clock.fixed(Instant.ofEpochMilli(BlockTestData.T0), ZoneOffset.UTC));
  }
}
