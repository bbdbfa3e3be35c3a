package io.promgate.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.gateway.it.PromgateHarness;
import io.promgate.gateway.it.PromgateProcess;
import io.promgate.gateway.it.RawWrite;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety at the process level (issue 6): the packaged jar receives remote writes from several
 * concurrent senders and is killed with SIGKILL at a random moment, three times. After each restart every
 * sample of every request that was answered 204 must be queryable with its value through
 * {@code /api/v1/query}. Requests cut off by the kill may or may not be stored; neither is an error.
 *
 * <p>Sender {@code s}'s request {@code k} carries {@value #PER_REQUEST} samples of
 * {@code crash_test{sender="s"}} at {@code BASE + (k*PER_REQUEST + j) * 100ms} with value
 * {@code k*PER_REQUEST + j}, so timestamps only grow and every sample is identifiable.
 */
class CrashSafetyIT {
  static final int SENDERS = 4;
  static final int PER_REQUEST = 20;
  static final int ROUNDS = 3;

  @TempDir
  Path work;

  final long base = System.currentTimeMillis() / 1000 * 1000 - 2 * 3600_000L;
  final Map<Integer, Set<Integer>> acked = new ConcurrentHashMap<>();
  final int[] nextRequest = new int[SENDERS];

  @Test
  void everyAcknowledgedSampleSurvivesKill9() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    List<String> args = List.of("--storage-path", work.resolve("data").toString());
    for (int round = 0; round < ROUNDS; round++) {
      PromgateProcess p = PromgateProcess.start(work, args);
      try {
        verify(p, "after restart " + round + " (seed " + seed + ")");
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
          int sender = s;
          Thread t = new Thread(() -> send(p.url(), sender, stop), "sender-" + s);
          t.start();
          threads.add(t);
        }
        Thread.sleep(800 + random.nextInt(2000));
        p.kill9();
        stop.set(true);
        for (Thread t : threads) {
          t.join(30_000);
        }
      } catch (Throwable t) {
        p.kill9();
        throw new AssertionError(t.getMessage() + "\npromgate log:\n" + p.log(), t);
      }
    }
    int total = acked.values().stream().mapToInt(Set::size).sum();
    assertThat(total).as("some requests were acknowledged before the kills").isGreaterThan(SENDERS * ROUNDS);
    try (PromgateProcess p = PromgateProcess.start(work, args)) {
      verify(p, "final restart (seed " + seed + ")");
    }
  }

  private void send(String url, int sender, AtomicBoolean stop) {
    while (!stop.get()) {
      int k = nextRequest[sender]++;
      long[] ts = new long[PER_REQUEST];
      double[] vs = new double[PER_REQUEST];
      for (int j = 0; j < PER_REQUEST; j++) {
        ts[j] = base + (long) (k * PER_REQUEST + j) * 100;
        vs[j] = k * PER_REQUEST + j;
      }
      byte[] body = new RawWrite().add(List.of("__name__", "crash_test", "sender", Integer.toString(sender)), ts, vs)
          .snappy();
      try {
        var r = RawWrite.post(url + "/api/v1/write", "application/x-protobuf", body);
        if (r.statusCode() == 204) {
          acked.computeIfAbsent(sender, x -> ConcurrentHashMap.newKeySet()).add(k);
        } else {
          throw new AssertionError("sender " + sender + " request " + k + ": " + r.statusCode() + " " + r.body());
        }
      } catch (java.io.IOException e) {
        return; // the process was killed: this request is unacknowledged
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }

  private void verify(PromgateProcess p, String when) throws Exception {
    long end = base + (long) (nextRequest[0] + nextRequest[1] + nextRequest[2] + nextRequest[3] + 1) * PER_REQUEST * 100;
    for (Map.Entry<Integer, Set<Integer>> e : acked.entrySet()) {
      String q = "crash_test{sender=\"" + e.getKey() + "\"}[" + ((end - base) / 1000 + 60) + "s]";
      var r = PromgateHarness.get(p.url() + "/api/v1/query?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
          + "&time=" + end / 1000.0);
      String body = new String(r.body(), StandardCharsets.UTF_8);
      assertThat(r.statusCode()).as(body).isEqualTo(200);
      JsonArray result = new JsonObject(body).getJsonObject("data").getJsonArray("result");
      Map<Long, Double> stored = new HashMap<>();
      if (!result.isEmpty()) {
        for (Object o : result.getJsonObject(0).getJsonArray("values")) {
          JsonArray pt = (JsonArray) o;
          stored.put(Math.round(((Number) pt.getValue(0)).doubleValue() * 1000), Double.parseDouble(pt.getString(1)));
        }
      }
      for (int k : e.getValue()) {
        for (int j = 0; j < PER_REQUEST; j++) {
          long ts = base + (long) (k * PER_REQUEST + j) * 100;
          assertThat(stored.get(ts)).as("%s: sender %d request %d sample %d (acknowledged)", when, e.getKey(), k, j)
              .isEqualTo((double) (k * PER_REQUEST + j));
        }
      }
    }
  }
}
