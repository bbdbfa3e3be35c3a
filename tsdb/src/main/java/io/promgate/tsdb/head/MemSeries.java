package io.promgate.tsdb.head;

import io.promgate.model.Labels;
import io.promgate.model.chunk.XorAppender;
import io.promgate.model.chunk.XorChunk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One series in the head: closed XOR chunks plus the open chunk being appended to.
 *
 * <p>Appends are serialized by the tenant's append lock (see {@link Head}); the monitor of this object only
 * guards the chunk state against concurrent readers, which take a snapshot ({@link #chunks}) and decode it
 * without holding the lock. A chunk is cut at {@value XorChunk#SAMPLES_PER_CHUNK} samples, as Prometheus'
 * default, or when a sample crosses a 2h-aligned boundary, so that blocks (a later issue) can take whole
 * chunks without re-encoding.
 */
public final class MemSeries {
  static final long CHUNK_RANGE_MS = 2 * 60 * 60 * 1000L;
  private static final XorChunk[] NO_CHUNKS = new XorChunk[0];
  private static final int INITIAL_CHUNK_BYTES = 32;

  private final int ref;
  private final Labels labels;
  /** The head holding this series, for {@link SeriesHint}s shared between tenants (fits the padding). */
  final Head owner;
  /** Set (under the tenant lock) when head truncation drops the series, so that hints stop using it. */
  boolean removed;
  private XorChunk[] closed = NO_CHUNKS;
  private XorAppender open;
  /** Last appended sample; read by the append path (under the tenant lock) for ordering checks. */
  private long lastT = Long.MIN_VALUE;
  private double lastV;
  /** Whether the WAL already holds this series' record; touched only under the tenant lock. */
  boolean logged;
  /** Scratch state of {@link Head#prepare}: the newest accepted sample of the batch being validated. */
  int pendingEpoch;
  long pendingT;
  double pendingV;

  MemSeries(Head owner, int ref, Labels labels) {
    this.owner = owner;
    this.ref = ref;
    this.labels = labels;
  }

  public int ref() {
    return ref;
  }

  public Labels labels() {
    return labels;
  }

  long lastTimestamp() {
    return lastT;
  }

  double lastValue() {
    return lastV;
  }

  /** Appends without checks; the caller has validated ordering. */
  synchronized void append(long t, double v) {
    if (open != null && (open.numSamples() >= XorChunk.SAMPLES_PER_CHUNK
        || Math.floorDiv(t, CHUNK_RANGE_MS) != Math.floorDiv(open.minTime(), CHUNK_RANGE_MS))) {
      cut();
    }
    if (open == null) {
      open = new XorAppender(INITIAL_CHUNK_BYTES);
    }
    open.append(t, v);
    lastT = t;
    lastV = v;
  }

  private void cut() {
    XorChunk[] next = Arrays.copyOf(closed, closed.length + 1);
    next[closed.length] = open.toChunk();
    closed = next;
    open = null;
  }

  /** Chunks overlapping [mint, maxt]; the open chunk is copied, so the result never changes afterwards. */
  public synchronized List<XorChunk> chunks(long mint, long maxt) {
    // Closed chunks are in time order, so those ending at or after mint are a suffix: find it from the end,
    // without touching the older chunks (most queries read the last minutes).
    int first = closed.length;
    while (first > 0 && closed[first - 1].maxTime() >= mint) {
      first--;
    }
    List<XorChunk> out = new ArrayList<>(closed.length - first + 1);
    for (int i = first; i < closed.length && closed[i].minTime() <= maxt; i++) {
      out.add(closed[i]);
    }
    if (open != null && open.maxTime() >= mint && open.minTime() <= maxt) {
      out.add(open.toChunk());
    }
    return out;
  }

  public synchronized boolean overlaps(long mint, long maxt) {
    long min = minTime();
    return min != Long.MAX_VALUE && min <= maxt && lastT >= mint;
  }

  public synchronized long minTime() {
    if (closed.length > 0) {
      return closed[0].minTime();
    }
    return open == null ? Long.MAX_VALUE : open.minTime();
  }

  /** Drops closed chunks that end before {@code mint}; returns whether the series is now empty. */
  synchronized boolean truncateBefore(long mint) {
    int keep = 0;
    while (keep < closed.length && closed[keep].maxTime() < mint) {
      keep++;
    }
    if (keep > 0) {
      closed = Arrays.copyOfRange(closed, keep, closed.length);
    }
    if (closed.length == 0 && open != null && open.maxTime() < mint) {
      open = null;
    }
    return closed.length == 0 && open == null;
  }

  /** Approximate heap bytes of the sample data (chunk arrays), for memory accounting. */
  synchronized long chunkBytes() {
    long b = 0;
    for (XorChunk c : closed) {
      b += 16 + c.bytes().length + 32;
    }
    return b + (open == null ? 0 : 16 + open.capacity() + 64);
  }
}
