package io.promgate.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest through the whole store (head + WAL + fsync before acknowledgement) from concurrent senders, each
 * sending remote-write sized batches (2,000 samples). Prints samples/s and the fsyncs group commit needed;
 * asserts only that every sample was accepted.
 */
class IngestThroughputTest {
  @TempDir
  Path dir;

  @Test
  void concurrentSendersWithFsyncBeforeAck() throws Exception {
    int senders = 4;
    int seriesPerSender = 5_000;
    int rounds = 10;
    int batchSeries = 200; // × 10 samples = 2,000 samples per request
    try (Storage s = Storage.open(dir, StorageOptions.DEFAULT, Clock.systemUTC())) {
      ExecutorService pool = Executors.newFixedThreadPool(senders);
      long start = System.nanoTime();
      List<Future<Long>> fs = new ArrayList<>();
      for (int th = 0; th < senders; th++) {
        int id = th;
        fs.add(pool.submit(() -> {
          long ok = 0;
          for (int r = 0; r < rounds; r++) {
            for (int from = 0; from < seriesPerSender; from += batchSeries) {
              List<SeriesSamples> batch = new ArrayList<>(batchSeries);
              for (int i = from; i < from + batchSeries; i++) {
                long[] ts = new long[10];
                double[] vs = new double[10];
                for (int k = 0; k < 10; k++) {
                  ts[k] = 1_700_000_000_000L + (r * 10 + k) * 15_000L;
                  vs[k] = r * 10 + k + i;
                }
                batch.add(new SeriesSamples(HeadMemoryTest.labels(id * seriesPerSender + i), ts, vs));
              }
              ok += s.append("bench", batch, List.of()).get(60, TimeUnit.SECONDS).accepted();
            }
          }
          return ok;
        }));
      }
      long total = 0;
      for (Future<Long> f : fs) {
        total += f.get(120, TimeUnit.SECONDS);
      }
      double secs = (System.nanoTime() - start) / 1e9;
      pool.shutdown();
      long requests = (long) senders * rounds * seriesPerSender / batchSeries;
      System.out.printf("ingest: %d samples in %.2f s = %.0f samples/s, %d requests, %d fsyncs%n",
          total, secs, total / secs, requests, s.fsyncCount());
      assertThat(total).isEqualTo((long) senders * seriesPerSender * rounds * 10);
    }
  }
}
