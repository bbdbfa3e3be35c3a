package io.promgate.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.SampleIterator;
import io.promgate.model.SelectHints;
import io.promgate.model.Series;
import io.promgate.model.SeriesSets;
import io.promgate.model.ValueType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 safety: a child JVM appends from several threads and reports each acknowledged append; we SIGKILL
 * it at a random moment, reopen the store (replay, tail repair) and check that every acknowledged sample is
 * there with its exact value. Three rounds on the same directory, each continuing after the last.
 */
class StorageCrashTest {
  @TempDir
  Path dir;

  @Test
  void everyAcknowledgedSampleSurvivesKillMinus9() throws Exception {
    Random rnd = new Random();
    List<String[]> acked = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      long base = (round + 1) * 1_000_000_000L;
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
          CrashWriterMain.class.getName(), dir.toString(), Long.toString(base), "6")
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      List<String[]> lines = new CopyOnWriteArrayList<>();
      int killAfter = 50 + rnd.nextInt(400);
      CountDownLatch enough = new CountDownLatch(1);
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            if (line.startsWith("ACK ")) {
              lines.add(line.split(" "));
              if (lines.size() >= killAfter) {
                enough.countDown();
              }
            }
          }
        } catch (Exception ignored) {
          // the pipe breaks when the child dies
        }
        enough.countDown();
      });
      reader.start();
      assertThat(enough.await(40, TimeUnit.SECONDS)).as("child made progress").isTrue();
      p.destroyForcibly(); // SIGKILL on Linux
      p.waitFor(10, TimeUnit.SECONDS);
      reader.join(5000);
      assertThat(lines.size()).as("acks in round %d", round).isGreaterThanOrEqualTo(killAfter);
      acked.addAll(lines);

      try (Storage s = Storage.open(dir, StorageOptions.DEFAULT.withWalSegmentBytes(64 << 10), Clock.systemUTC())) {
        Map<String, Double> stored = new HashMap<>();
        for (String tenant : List.of("tenant0", "tenant1")) {
          for (Series series : SeriesSets.toList(s.queryable(tenant).querier(Long.MIN_VALUE, Long.MAX_VALUE)
              .select(true, SelectHints.ofRange(Long.MIN_VALUE, Long.MAX_VALUE),
                  List.of(LabelMatcher.eq(Labels.METRIC_NAME, "crash"))))) {
            SampleIterator it = series.iterator();
            while (it.next() == ValueType.FLOAT) {
              stored.put(tenant + " " + series.labels().get("th") + " " + it.timestamp(), it.value());
            }
          }
        }
        long checked = 0;
        for (String[] a : acked) {
          long t0 = Long.parseLong(a[3]);
          int th = Integer.parseInt(a[2]);
          for (int i = 0; i < Integer.parseInt(a[4]); i++) {
            long t = t0 + i * CrashWriterMain.STEP;
            assertThat(stored.get(a[1] + " " + th + " " + t)).as("acknowledged sample %s/%d@%d", a[1], th, t)
                .isEqualTo(CrashWriterMain.value(t, th));
            checked++;
          }
        }
        assertThat(checked).isGreaterThan(0);
      }
    }
  }
}
