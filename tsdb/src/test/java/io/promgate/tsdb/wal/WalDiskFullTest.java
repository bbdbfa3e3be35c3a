package io.promgate.tsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promgate.model.Labels;
import io.promgate.tsdb.SeriesSamples;
import io.promgate.tsdb.head.Head;
import io.promgate.tsdb.head.PreparedAppend;
import io.promgate.tsdb.io.DiskQuota;
import io.promgate.tsdb.io.WritableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk fills up exactly when a segment is full: the rollover's segment-end record cannot be written.
 * Before, that made the WAL refuse every later write until a restart; now the failed rollover is undone
 * and retried by the next write once there is space, and the replay sees every acknowledged record.
 */
class WalDiskFullTest {
  @TempDir
  Path dir;

  @AfterEach
  void clear() {
    WritableFiles.clearFaults(dir);
  }

  @Test
  void fullDiskAtRolloverIsRetriedOnceThereIsSpace() throws Exception {
    DiskQuota disk = DiskQuota.unlimited();
    WritableFiles.injectFaults(dir, disk);
    Path w = dir.resolve("wal-promgate");
    Head head = new Head(new Head.Options(Long.MAX_VALUE / 4, 0));
    List<String> expected = new ArrayList<>();
    int failedAtRollover = 0;
    try (Wal wal = Wal.open(w, 4096, new WalTest.Recorder())) {
      for (int i = 0; i < 400; i++) {
        Labels l = Labels.of("__name__", "m", "i", Integer.toString(i));
        PreparedAppend p = head.prepare(List.of(new SeriesSamples(l, new long[] {i}, new double[] {i})), List.of());
        byte[] frames = WalRecords.encode(p);
        List<Integer> segs = Wal.segments(w);
        long current = Files.size(w.resolve(Wal.name(segs.get(segs.size() - 1))));
        if (current > 0 && current + frames.length > 4096) {
          disk.setFreeBytes(0);
          assertThatThrownBy(() -> wal.write(frames)).isInstanceOf(IOException.class)
              .hasMessageContaining("No space left on device");
          failedAtRollover++;
          disk.setFreeBytes(Long.MAX_VALUE / 4);
        }
        wal.sync(wal.write(frames)).get(10, TimeUnit.SECONDS);
        head.commit(p);
        expected.add("series " + p.sampleRef(0) + " " + l);
        expected.add("sample " + p.sampleRef(0) + " " + i + " " + Long.toHexString(Double.doubleToRawLongBits(i)));
      }
    }
    assertThat(failedAtRollover).isGreaterThan(2);
    WritableFiles.clearFaults(dir);
    WalTest.Recorder r = new WalTest.Recorder();
    Wal.open(w, 4096, r).close();
    assertThat(r.lines).containsExactlyElementsOf(expected);
  }
}
