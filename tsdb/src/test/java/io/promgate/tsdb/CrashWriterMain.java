package io.promgate.tsdb;

import io.promgate.model.Labels;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Child process of {@link StorageCrashTest}: appends from several threads forever and prints one
 * {@code ACK tenant thread t count} line per acknowledged append, after the acknowledgement. The parent
 * kills it with SIGKILL at a random moment.
 */
public final class CrashWriterMain {
  static final int SAMPLES = 5;
  static final long STEP = 10;

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    long base = Long.parseLong(args[1]);
    int threads = Integer.parseInt(args[2]);
    PrintStream out = new PrintStream(System.out, false);
    Storage s = Storage.open(root, StorageOptions.DEFAULT.withWalSegmentBytes(64 << 10), Clock.systemUTC());
    out.println("READY");
    out.flush();
    for (int th = 0; th < threads; th++) {
      int id = th;
      Thread t = new Thread(() -> {
        String tenant = "tenant" + (id % 2);
        Labels l = Labels.of("__name__", "crash", "th", Integer.toString(id));
        long ts = base;
        while (true) {
          long[] tss = new long[SAMPLES];
          double[] vs = new double[SAMPLES];
          for (int i = 0; i < SAMPLES; i++) {
            tss[i] = ts + i * STEP;
            vs[i] = value(tss[i], id);
          }
          try {
            AppendResult r = s.append(tenant, List.of(new SeriesSamples(l, tss, vs)), List.of()).get(30, TimeUnit.SECONDS);
            if (!r.allAccepted()) {
              throw new IllegalStateException("rejected: " + r);
            }
          } catch (Exception e) {
            e.printStackTrace();
            System.exit(3);
          }
          synchronized (out) {
            out.println("ACK " + tenant + " " + id + " " + ts + " " + SAMPLES);
            out.flush();
          }
          ts += SAMPLES * STEP;
        }
      });
      t.start();
    }
    Thread.sleep(Long.MAX_VALUE);
  }

  static double value(long t, int thread) {
    return t * 0.25 + thread;
  }
}
