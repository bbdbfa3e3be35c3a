package io.promgate.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.model.Labels;
import io.promgate.tsdb.head.Head;
import io.promgate.tsdb.head.PreparedAppend;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Measures heap per active series in the head for a realistic label set (6 labels, shared names and
 * values, a unique instance/cpu combination) with half an hour of 15 s samples (120 samples, one full
 * chunk). Prints the figure; the bound only catches gross regressions.
 */
class HeadMemoryTest {
  static final int SERIES = 20_000;
  static final int SAMPLES = 120;

  static Labels labels(int i) {
    return Labels.of("__name__", "node_metric_" + (i % 100), "job", "node" + (i % 5),
        "instance", "10.0." + (i / 1000 % 256) + "." + (i % 250) + ":9100", "cpu", Integer.toString(i % 64),
        "mode", new String[] {"user", "system", "idle", "iowait"}[i % 4], "env", "prod");
  }

  @Test
  void bytesPerActiveSeries() {
    long before = usedHeap();
    Head head = new Head(new Head.Options(Long.MAX_VALUE / 4, 0));
    List<SeriesSamples> batch = new ArrayList<>();
    long t0 = 1_700_000_000_000L;
    for (int step = 0; step < SAMPLES; step += 20) {
      batch.clear();
      for (int i = 0; i < SERIES; i++) {
        long[] ts = new long[20];
        double[] vs = new double[20];
        for (int k = 0; k < 20; k++) {
          ts[k] = t0 + (step + k) * 15_000L + (i % 7);
          vs[k] = (step + k) * (i % 13) * 1.5;
        }
        batch.add(new SeriesSamples(labels(i), ts, vs));
      }
      PreparedAppend p = head.prepare(batch, List.of());
      head.commit(p);
    }
    batch.clear();
    long after = usedHeap();
    assertThat(head.numSeries()).isEqualTo(SERIES);
    long perSeries = (after - before) / SERIES;
    System.out.printf("head memory: %d bytes per active series (%d series, %d samples each, %.2f bytes/sample incl. index)%n",
        perSeries, SERIES, SAMPLES, (after - before) / (double) SERIES / SAMPLES);
    assertThat(perSeries).isBetween(100L, 4096L);
    assertThat(head.numSeries()).isPositive(); // keeps the head reachable until here
  }

  static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }
}
