package io.promgate.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.tsdb.block.Block;
import io.promgate.tsdb.block.CrashPoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of block writing and compaction: a child JVM writes acknowledged data and halts (as kill -9
 * would) at a named step of the block life cycle; the store reopened here must hold every sample exactly
 * once, with no half-written block, no overlapping blocks, and keep working (another maintenance pass and
 * reopen change nothing about the data).
 */
class BlockCrashTest {
  static final long H = 3600_000L;

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "after-block-tmp-written, 4",
      "before-block-rename, 4",
      "after-block-rename, 4",
      "after-wal-checkpoint, 4",
      "compaction-after-rename, 10",
      "compaction-after-first-delete, 10",
  })
  void crashAtStepLosesAndDuplicatesNothing(String step, int hours) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-D" + CrashPoint.PROPERTY + "=" + step,
        "-cp", System.getProperty("java.class.path"), BlockCrashMain.class.getName(), dir.toString(),
        Integer.toString(hours)).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("child halted at %s: %s", step, Files.readString(dir.resolve("child.log")))
        .isEqualTo(137);

    Map<String, TreeMap<Long, Double>> expected = new TreeMap<>();
    BlockTestData again = new BlockTestData(BlockCrashMain.SERIES, BlockCrashMain.SEED);
    for (long t = BlockTestData.T0; t < BlockTestData.T0 + hours * H; t += BlockTestData.STEP) {
      for (SeriesSamples ss : again.scrape(t)) {
        expected.computeIfAbsent(ss.labels().toString(), k -> new TreeMap<>()).put(t, ss.values()[0]);
      }
    }
    for (int round = 0; round < 2; round++) {
      try (Storage s = BlockCrashMain.open(dir)) {
        assertThat(BlockTestData.readAll(s.queryable("t"), Long.MIN_VALUE, Long.MAX_VALUE))
            .as("after crash at %s, round %d", step, round).isEqualTo(expected);
        List<Block> blocks = s.blocks("t");
        for (int i = 1; i < blocks.size(); i++) {
          assertThat(blocks.get(i).meta().minTime()).as("blocks do not overlap")
              .isGreaterThanOrEqualTo(blocks.get(i - 1).meta().maxTime());
        }
        try (Stream<Path> files = Files.list(dir.resolve("t"))) {
          assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
        s.runMaintenance();
        assertThat(BlockTestData.readAll(s.queryable("t"), Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(expected);
      }
    }
  }
}
