package io.promgate.gateway.cache;

import java.util.Arrays;

/**
 * The points of one series in one piece of a range result, as the backend wrote them: {@code data} holds
 * each point's JSON text ({@code [1700000000,"1.5"]} or a histogram point) followed by a comma, so a run
 * of points is one contiguous byte range and stitching copies bytes instead of formatting numbers again
 * (the answer stays byte-identical to the backend's).
 *
 * @param ts the points' timestamps in ms, ascending
 * @param offsets {@code ts.length + 1} offsets into {@code data}: point i is {@code [offsets[i], offsets[i+1]-1)}
 */
record Points(long[] ts, int[] offsets, byte[] data) {
  static final Points EMPTY = new Points(new long[0], new int[] {0}, new byte[0]);

  int size() {
    return ts.length;
  }

  /** Index of the first point at or after {@code t}. */
  int lowerBound(long t) {
    int i = Arrays.binarySearch(ts, t);
    return i >= 0 ? i : -i - 1;
  }

  long bytes() {
    return data.length + 12L * ts.length + 48;
  }

  /** Appends points and builds {@link Points} without per-point objects. */
  static final class Builder {
    private long[] ts = new long[16];
    private int[] offsets = new int[17];
    private byte[] data = new byte[256];
    private int n;

    void add(long t, byte[] src, int from, int len) {
      if (n + 1 >= ts.length) {
        ts = Arrays.copyOf(ts, ts.length * 2);
        offsets = Arrays.copyOf(offsets, offsets.length * 2);
      }
      ensure(len + 1);
      int at = offsets[n];
      System.arraycopy(src, from, data, at, len);
      data[at + len] = ',';
      ts[n] = t;
      offsets[++n] = at + len + 1;
    }

    /** Appends points {@code [lo, hi)} of {@code p}. */
    void addRange(Points p, int lo, int hi) {
      if (lo >= hi) {
        return;
      }
      int count = hi - lo;
      while (n + count >= ts.length) {
        ts = Arrays.copyOf(ts, ts.length * 2);
        offsets = Arrays.copyOf(offsets, offsets.length * 2);
      }
      int from = p.offsets[lo];
      int len = p.offsets[hi] - from;
      ensure(len);
      int base = offsets[n] - from;
      System.arraycopy(p.data, from, data, offsets[n], len);
      System.arraycopy(p.ts, lo, ts, n, count);
      for (int i = 1; i <= count; i++) {
        offsets[n + i] = p.offsets[lo + i] + base;
      }
      n += count;
    }

    private void ensure(int more) {
      int need = offsets[n] + more;
      if (need > data.length) {
        data = Arrays.copyOf(data, Math.max(need, data.length * 2));
      }
    }

    boolean isEmpty() {
      return n == 0;
    }

    Points build() {
      return n == 0 ? EMPTY : new Points(Arrays.copyOf(ts, n), Arrays.copyOf(offsets, n + 1),
          Arrays.copyOf(data, offsets[n]));
    }
  }
}
