package io.promgate.gateway.federation;


import java.util.Map;

/** An HA pair's counter: the full copy, and the same data with a 10-minute gap ({@code [end-40m, end-30m)}). */
final class HaData {
  final SeedData full;
  final SeedData gapped;

  HaData(long start, long end) {
    full = build(start, end, Long.MAX_VALUE, Long.MAX_VALUE);
    gapped = build(start, end, end - 40 * 60_000, end - 30 * 60_000);
  }

  private static SeedData build(long start, long end, long gapFrom, long gapTo) {
    SeedData d = new SeedData(start, start, 0);
    d.all.clear();
    int n = (int) ((end - start) / SeedData.STEP) + 1;
    java.util.List<Long> ts = new java.util.ArrayList<>();
    java.util.List<Double> vs = new java.util.ArrayList<>();
    double c = 0;
    java.util.Random r = new java.util.Random(7);
    for (int i = 0; i < n; i++) {
      long t = start + i * SeedData.STEP;
      c += 1 + r.nextInt(9);
      if (t >= gapFrom && t < gapTo) {
        continue;
      }
      ts.add(t);
      vs.add(c);
    }
    d.all.add(new SeedData.Series(Map.of("__name__", "ha_requests_total", "job", "ha"),
        ts.stream().mapToLong(Long::longValue).toArray(), vs.stream().mapToDouble(Double::doubleValue).toArray()));
    return d;
  }

}
