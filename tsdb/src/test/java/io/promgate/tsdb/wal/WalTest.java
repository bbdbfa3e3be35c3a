package io.promgate.tsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.model.Labels;
import io.promgate.tsdb.MetricMetadata;
import io.promgate.tsdb.SeriesSamples;
import io.promgate.tsdb.head.Head;
import io.promgate.tsdb.head.PreparedAppend;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalTest {
  @TempDir
  Path dir;

  /** Records what a replay delivers, as text lines. */
  static final class Recorder implements WalVisitor {
    final List<String> lines = new ArrayList<>();

    @Override
    public void series(int ref, Labels labels) {
      lines.add("series " + ref + " " + labels);
    }

    @Override
    public void sample(int ref, long t, double v) {
      lines.add("sample " + ref + " " + t + " " + Long.toHexString(Double.doubleToRawLongBits(v)));
    }

    @Override
    public void metadata(MetricMetadata m) {
      lines.add("meta " + m);
    }
  }

  /** Writes n appends of one new series with 3 samples each through a real head; returns expected lines. */
  static List<String> writeAppends(Wal wal, Head head, int from, int n) throws Exception {
    List<String> expected = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      Labels l = Labels.of("__name__", "m", "i", Integer.toString(i));
      PreparedAppend p = head.prepare(List.of(new SeriesSamples(l, new long[] {i, i + 1, i + 2},
          new double[] {i * 0.5, Double.NaN, -i})), List.of(new MetricMetadata("m" + i, "gauge", "help " + i, "")));
      long pos = wal.write(WalRecords.encode(p));
      head.commit(p);
      if (i == from + n - 1) {
        wal.sync(pos).get(10, TimeUnit.SECONDS); // one fsync covers all earlier writes
      }
      int ref = p.sampleRef(0);
      expected.add("series " + ref + " " + l);
      for (int k = 0; k < 3; k++) {
        expected.add("sample " + ref + " " + (i + k) + " "
            + Long.toHexString(Double.doubleToRawLongBits(p.sampleValue(k))));
      }
      expected.add("meta " + new MetricMetadata("m" + i, "gauge", "help " + i, ""));
    }
    return expected;
  }

  @Test
  void replaysEverythingAcrossSegments() throws Exception {
    Path w = dir.resolve("wal-promgate");
    Head head = new Head(new Head.Options(Long.MAX_VALUE / 4, 0));
    List<String> expected;
    try (Wal wal = Wal.open(w, 4096, new Recorder())) {
      expected = writeAppends(wal, head, 0, 200);
    }
    assertThat(Wal.segments(w)).hasSizeGreaterThan(3);
    Recorder r = new Recorder();
    Wal.open(w, 4096, r).close();
    assertThat(r.lines).containsExactlyElementsOf(expected);
  }

  @Test
  void tornTailIsTruncatedAndWritingContinues() throws Exception {
    Path w = dir.resolve("wal-promgate");
    Head head = new Head(new Head.Options(Long.MAX_VALUE / 4, 0));
    List<String> expected;
    try (Wal wal = Wal.open(w, 1 << 20, new Recorder())) {
      expected = writeAppends(wal, head, 0, 10);
    }
    Path seg = w.resolve("00000000");
    long size = Files.size(seg);
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.setLength(size - 5); // tears the last metadata record
    }
    Recorder r = new Recorder();
    try (Wal wal = Wal.open(w, 1 << 20, r)) {
      assertThat(r.lines).containsExactlyElementsOf(expected.subList(0, expected.size() - 1));
      assertThat(Files.size(seg)).isLessThan(size - 5);
      expected = new ArrayList<>(r.lines);
      expected.addAll(writeAppends(wal, head, 100, 3));
    }
    Recorder again = new Recorder();
    Wal.open(w, 1 << 20, again).close();
    assertThat(again.lines).containsExactlyElementsOf(expected);
  }

  @Test
  void garbledRecordStopsReplayThereAndDropsLaterSegments() throws Exception {
    Path w = dir.resolve("wal-promgate");
    Head head = new Head(new Head.Options(Long.MAX_VALUE / 4, 0));
    List<String> expected;
    try (Wal wal = Wal.open(w, 4096, new Recorder())) {
      expected = writeAppends(wal, head, 0, 100);
    }
    List<Integer> segs = Wal.segments(w);
    assertThat(segs.size()).isGreaterThan(2);
    // Flip one byte in the middle of the second segment.
    Path second = w.resolve(Wal.name(segs.get(1)));
    Recorder firstOnly = new Recorder();
    WalReader.replay(w.resolve(Wal.name(segs.get(0))), firstOnly);
    byte[] b = Files.readAllBytes(second);
    b[b.length / 2] ^= 0x5a;
    Files.write(second, b);

    Recorder r = new Recorder();
    Wal.open(w, 4096, r).close();
    assertThat(r.lines.size()).isGreaterThan(firstOnly.lines.size()).isLessThan(expected.size());
    assertThat(r.lines).isEqualTo(expected.subList(0, r.lines.size()));
    assertThat(Wal.segments(w)).containsExactly(segs.get(0), segs.get(1));
  }

  @Test
  void garbageOnlyFileReplaysAsEmpty() throws Exception {
    Path w = dir.resolve("wal-promgate");
    Files.createDirectories(w);
    Files.write(w.resolve("00000000"), new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    Recorder r = new Recorder();
    Wal.open(w, 4096, r).close();
    assertThat(r.lines).isEmpty();
    assertThat(Files.size(w.resolve("00000000"))).isZero();
  }

  @Test
  void concurrentWritersShareFsyncs() throws Exception {
    Path w = dir.resolve("wal-promgate");
    int threads = 16;
    int perThread = 100;
    try (Wal wal = Wal.open(w, 1 << 20, new Recorder())) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> fs = new ArrayList<>();
      for (int th = 0; th < threads; th++) {
        fs.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            WalRecords.Out out = new WalRecords.Out(32);
            int start = out.begin(WalRecords.METADATA);
            out.uvarint(0);
            out.end(start);
            long pos = wal.write(out.toByteArray());
            CompletableFuture<Void> f = wal.sync(pos);
            f.get(10, TimeUnit.SECONDS);
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertThat(wal.fsyncCount()).isGreaterThan(0).isLessThan(threads * perThread);
    }
  }

  @Test
  void writesFailAfterClose() throws IOException {
    Wal wal = Wal.open(dir.resolve("wal-promgate"), 4096, new Recorder());
    wal.close();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> wal.write(new byte[] {1}))
        .isInstanceOf(IOException.class).hasMessageContaining("closing");
  }

  @Test
  void syncAfterCloseCompletesForWrittenPositions() throws Exception {
    Wal wal = Wal.open(dir.resolve("wal-promgate"), 4096, new Recorder());
    WalRecords.Out out = new WalRecords.Out(32);
    int start = out.begin(WalRecords.METADATA);
    out.uvarint(0);
    out.end(start);
    long pos = wal.write(out.toByteArray());
    wal.close();
    assertThat(wal.sync(pos).get(5, TimeUnit.SECONDS)).isNull();
  }
}
