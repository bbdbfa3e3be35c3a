package io.promgate.gateway.cache;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The points of one series in one piece of a range result, as the backend wrote them: {@code data} holds
 * each point's JSON text ({@code [1700000000,"1.5"]} or a histogram point) followed by a comma, so a run
 * of points is one contiguous byte range and stitching copies bytes instead of formatting numbers again
 * (the answer stays byte-identical to the backend's).
 *
 * <p>Appending is cheap: a dashboard's refresh adds a point or two to the newest extent, and copying a
 * day of points each time to do so was most of a cached refresh's cost. A {@code Points} is an immutable
 * view of the first {@code n} entries of arrays that may be longer; {@code fill}, shared by every view of
 * the same arrays, says how many entries are taken. {@link #append} writes past the end only after
 * claiming that room with a CAS from its own length, so at most one view ever grows in place and no view
 * ever sees its own entries change; any other append (an older view, no room left) copies into new arrays
 * with a quarter of slack. The slack is counted in {@link #bytes}, so the cache's byte bound stays honest.
 */
final class Points {
  static final Points EMPTY = new Points(new long[0], new int[] {0}, new byte[0], 0, new AtomicInteger());

  private final long[] ts;
  /** {@code ts.length + 1} entries: point i is {@code [offsets[i], offsets[i+1]-1)}, then its comma. */
  private final int[] offsets;
  private final byte[] data;
  private final int n;
  private final AtomicInteger fill;

  private Points(long[] ts, int[] offsets, byte[] data, int n, AtomicInteger fill) {
    this.ts = ts;
    this.offsets = offsets;
    this.data = data;
    this.n = n;
    this.fill = fill;
  }

  int size() {
    return n;
  }

  long ts(int i) {
    return ts[i];
  }

  /** Where point {@code i}'s text starts in {@link #data}; {@code offset(size())} is the end of the last comma. */
  int offset(int i) {
    return offsets[i];
  }

  byte[] data() {
    return data;
  }

  /** Index of the first point at or after {@code t}. */
  int lowerBound(long t) {
    int i = Arrays.binarySearch(ts, 0, n, t);
    return i >= 0 ? i : -i - 1;
  }

  /** Memory held, slack included. */
  long bytes() {
    return data.length + 12L * ts.length + 48;
  }

  /**
   * These points followed by points {@code [lo, hi)} of {@code p}, all of which must be later than this
   * one's last. In place when this view is the longest of its arrays and they have room, else copied.
   */
  Points append(Points p, int lo, int hi) {
    if (lo >= hi) {
      return this;
    }
    if (n == 0) {
      Builder b = new Builder();
      b.addRange(p, lo, hi);
      return b.build();
    }
    int count = hi - lo;
    int len = p.offsets[hi] - p.offsets[lo];
    int at = offsets[n];
    if (n + count <= ts.length && at + len <= data.length && fill.compareAndSet(n, n + count)) {
      copy(p, lo, hi, ts, offsets, data, n);
      return new Points(ts, offsets, data, n + count, fill);
    }
    int cap = n + count + (n + count) / 4 + 4;
    long[] nts = Arrays.copyOf(ts, cap);
    int[] noff = Arrays.copyOf(offsets, cap + 1);
    byte[] ndata = Arrays.copyOf(data, Math.max(at + len, (int) Math.min(Integer.MAX_VALUE - 8,
        (long) (at + len) * cap / (n + count))));
    copy(p, lo, hi, nts, noff, ndata, n);
    return new Points(nts, noff, ndata, n + count, new AtomicInteger(n + count));
  }

  /** Copies points {@code [lo, hi)} of {@code p} into the arrays after their first {@code n} entries. */
  private static void copy(Points p, int lo, int hi, long[] ts, int[] offsets, byte[] data, int n) {
    int from = p.offsets[lo];
    int base = offsets[n] - from;
    System.arraycopy(p.data, from, data, offsets[n], p.offsets[hi] - from);
    System.arraycopy(p.ts, lo, ts, n, hi - lo);
    for (int i = 1; i <= hi - lo; i++) {
      offsets[n + i] = p.offsets[lo + i] + base;
    }
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
      ensure(p.offsets[hi] - p.offsets[lo]);
      copy(p, lo, hi, ts, offsets, data, n);
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
          Arrays.copyOf(data, offsets[n]), n, new AtomicInteger(n));
    }
  }
}
