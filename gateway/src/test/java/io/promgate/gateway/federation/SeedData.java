package io.promgate.gateway.federation;

import io.promgate.gateway.it.RealPrometheus;
import io.promgate.gateway.it.RemoteWrite;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Deterministic test series sampled every 15s: counters (one with a reset), gauges, a classic histogram,
 * and a series that ends early. Written to Prometheus in time order, in 20-minute slices, because a fresh
 * Prometheus 2.42 head refuses samples more than an hour older than its newest one.
 */
final class SeedData {
  static final long STEP = 15_000;

  record Series(Map<String, String> labels, long[] t, double[] v) {}

  final List<Series> all = new ArrayList<>();

  SeedData(long startMs, long endMs, long seed) {
    Random r = new Random(seed);
    int n = (int) ((endMs - startMs) / STEP) + 1;
    for (String inst : new String[] {"i1", "i2"}) {
      for (String code : new String[] {"200", "500"}) {
        double rate = 0.5 + r.nextInt(40) / 4.0;
        double[] v = new double[n];
        double c = r.nextInt(100);
        for (int i = 0; i < n; i++) {
          c += rate * 15 * (0.5 + r.nextDouble());
          if (inst.equals("i2") && code.equals("500") && i == n / 2 + 7) {
            c = 3; // a counter reset, well inside the data
          }
          v[i] = Math.floor(c);
        }
        add(Map.of("__name__", "http_requests_total", "job", "api", "instance", inst, "code", code), startMs, v);
      }
    }
    for (String room : new String[] {"kitchen", "hall", "attic"}) {
      double[] v = new double[n];
      double phase = r.nextDouble() * 6;
      for (int i = 0; i < n; i++) {
        v[i] = Math.round((18 + room.length() + 4 * Math.sin(phase + i / 37.0)) * 100) / 100.0;
      }
      add(Map.of("__name__", "temperature_celsius", "room", room, "job", "sensors"), startMs, v);
    }
    String[] les = {"0.1", "0.5", "1", "+Inf"};
    double[] cum = new double[les.length];
    double[][] vs = new double[les.length][n];
    for (int i = 0; i < n; i++) {
      double add = 0;
      for (int b = 0; b < les.length; b++) {
        add += r.nextInt(5);
        cum[b] += add;
        vs[b][i] = cum[b];
      }
    }
    for (int b = 0; b < les.length; b++) {
      add(Map.of("__name__", "req_duration_seconds_bucket", "job", "api", "le", les[b]), startMs, vs[b]);
    }
    int half = n / 3;
    double[] e = new double[half];
    for (int i = 0; i < half; i++) {
      e[i] = i % 7;
    }
    add(Map.of("__name__", "ephemeral_jobs", "job", "batch"), startMs, e);
  }

  private void add(Map<String, String> labels, long start, double[] v) {
    long[] t = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      t[i] = start + i * STEP;
    }
    all.add(new Series(new LinkedHashMap<>(labels), t, v));
  }

  /** Writes the samples with {@code from <= t < to}, in time-ordered slices, with extra labels. */
  void writeTo(RealPrometheus p, long from, long to, Map<String, String> extra) throws Exception {
    long sliceStart = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (Series s : all) {
      if (s.t().length > 0) {
        sliceStart = Math.min(sliceStart, s.t()[0]);
        last = Math.max(last, s.t()[s.t().length - 1]);
      }
    }
    sliceStart = Math.max(sliceStart, from);
    to = Math.min(to, last + 1);
    for (long a = sliceStart; a < to; a += 20 * 60_000) {
      long b = Math.min(to, a + 20 * 60_000);
      RemoteWrite rw = new RemoteWrite();
      int count = 0;
      for (Series s : all) {
        List<Long> ts = new ArrayList<>();
        List<Double> vs = new ArrayList<>();
        for (int i = 0; i < s.t().length; i++) {
          if (s.t()[i] >= a && s.t()[i] < b) {
            ts.add(s.t()[i]);
            vs.add(s.v()[i]);
          }
        }
        if (!ts.isEmpty()) {
          Map<String, String> l = new LinkedHashMap<>(s.labels());
          l.putAll(extra);
          rw.add(new RemoteWrite.TestSeries(l, ts.stream().mapToLong(Long::longValue).toArray(),
              vs.stream().mapToDouble(Double::doubleValue).toArray()));
          count++;
        }
      }
      if (count > 0) {
        p.remoteWrite(rw);
      }
    }
  }
}
