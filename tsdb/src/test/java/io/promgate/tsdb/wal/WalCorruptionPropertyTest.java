package io.promgate.tsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.tsdb.head.Head;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever happens to a WAL segment (cut anywhere, even at a record boundary, a bit flipped anywhere, garbage
 * appended, a middle segment lost), opening it never fails and replays exactly a prefix of what was
 * written: the records before the first damage. Writing then continues after that prefix.
 */
class WalCorruptionPropertyTest {
  @TempDir
  Path dir;

  @Test
  void anyDamageReplaysAPrefixAndNeverFailsToOpen() throws Exception {
    Path clean = dir.resolve("clean");
    List<String> written;
    try (Wal wal = Wal.open(clean, 2048, new WalTest.Recorder())) {
      written = WalTest.writeAppends(wal, new Head(new Head.Options(Long.MAX_VALUE / 4, 0)), 0, 40);
    }
    List<Integer> segments = Wal.segments(clean);
    Random rnd = new Random(11);
    for (int run = 0; run < 50; run++) {
      Path w = dir.resolve("run" + run);
      Files.createDirectories(w);
      for (int s : segments) {
        Files.copy(clean.resolve(Wal.name(s)), w.resolve(Wal.name(s)));
      }
      int seg = segments.get(rnd.nextInt(segments.size()));
      Path victim = w.resolve(Wal.name(seg));
      byte[] b = Files.readAllBytes(victim);
      if (rnd.nextInt(8) == 0 && segments.size() > 2) { // a lost segment in the middle
        Files.delete(w.resolve(Wal.name(segments.get(1 + rnd.nextInt(segments.size() - 2)))));
        WalTest.Recorder r = new WalTest.Recorder();
        Wal.open(w, 2048, r).close();
        assertPrefix(written, r.lines, run);
        continue;
      }
      switch (rnd.nextInt(3)) {
        case 0 -> b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length + 1));
        case 1 -> {
          if (b.length > 0) {
            b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
          }
        }
        default -> {
          byte[] junk = new byte[1 + rnd.nextInt(64)];
          rnd.nextBytes(junk);
          byte[] longer = java.util.Arrays.copyOf(b, b.length + junk.length);
          System.arraycopy(junk, 0, longer, b.length, junk.length);
          b = longer;
        }
      }
      Files.write(victim, b);

      WalTest.Recorder r = new WalTest.Recorder();
      Wal.open(w, 2048, r).close();
      assertPrefix(written, r.lines, run);
      // a second open sees the repaired log unchanged, plus whatever is appended after the repair
      List<String> expected = new java.util.ArrayList<>(r.lines);
      try (Wal wal = Wal.open(w, 2048, new WalTest.Recorder())) {
        expected.addAll(WalTest.writeAppends(wal, new Head(new Head.Options(Long.MAX_VALUE / 4, 0)), 1000, 1));
      }
      WalTest.Recorder again = new WalTest.Recorder();
      Wal.open(w, 2048, again).close();
      assertThat(again.lines.size()).isEqualTo(expected.size());
      assertThat(again.lines.subList(0, r.lines.size())).isEqualTo(r.lines);
    }
  }

  private static void assertPrefix(List<String> written, List<String> replayed, int run) {
    assertThat(replayed.size()).as("run %d", run).isLessThanOrEqualTo(written.size());
    assertThat(replayed).as("run %d", run).isEqualTo(written.subList(0, replayed.size()));
  }
}
