package io.promgate.tsdb.head;

import io.promgate.model.Labels;
import io.promgate.model.Querier;
import io.promgate.model.Queryable;
import io.promgate.model.StaleNaN;
import io.promgate.tsdb.MetricMetadata;
import io.promgate.tsdb.RejectReason;
import io.promgate.tsdb.SeriesSamples;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory head of one tenant: series registry, inverted index, per-series XOR chunks and metadata.
 *
 * <p>Invariant: appends ({@link #prepare}, {@link #commit}, replay and truncation) are serialized by the
 * caller (the tenant's append lock), so validation in {@code prepare} and application in {@code commit}
 * see the same state, and the WAL order equals the head order. Queries run concurrently with appends: the
 * index has its own read/write lock and each series guards its chunks with its monitor. Series refs are
 * dense and increasing, which keeps postings sorted and lets the series table be a plain array.
 *
 * <p>Rules copied from Prometheus' head appender: a sample older than the series' newest is out of order; the
 * same timestamp with the same value bits is silently accepted (a retried write), with other bits it is a
 * duplicate; a sample more than the head window before the tenant's newest sample is out of bounds.
 */
public final class Head implements Queryable {
  /**
   * @param windowMillis samples older than newest-minus-window are rejected as too old
   * @param maxSeries active series limit, 0 for none
   */
  public record Options(long windowMillis, int maxSeries) {
    public static final Options DEFAULT = new Options(4 * 3600_000L, 0);
  }

  private final Options options;
  private final PostingsIndex index = new PostingsIndex();
  private final Map<Labels, MemSeries> byLabels = new ConcurrentHashMap<>();
  private final Map<String, String> symbols = new HashMap<>(); // touched under the append lock only
  private final MetadataStore metadata = new MetadataStore();
  private volatile MemSeries[] table = new MemSeries[1024];
  private int nextRef = 1;
  private volatile long minTime = Long.MAX_VALUE;
  private volatile long maxTime = Long.MIN_VALUE;
  /** Samples before this are persisted in blocks; older appends are too old (Prometheus' minValidTime). */
  private volatile long minValidTime = Long.MIN_VALUE;
  private int epoch;

  public Head(Options options) {
    this.options = options;
  }

  public Options options() {
    return options;
  }

  // ---- append path (serialized by the caller) ----

  /**
   * Validates a batch; nothing is visible until {@link #commit}. New series are registered already.
   *
   * <p>The per-sample path is kept small (new series and refused samples are handled by methods of their
   * own), which keeps its JIT compilation cheap: with them inlined it was one of the costliest compilations
   * while the ingest benchmark ran.
   */
  public PreparedAppend prepare(List<SeriesSamples> batch, List<MetricMetadata> meta) {
    PreparedAppend p = new PreparedAppend(batch.size()); // remote write: mostly one sample per series
    int e = ++epoch;
    long newest = maxTime;
    long persisted = minValidTime;
    for (SeriesSamples s : batch) {
      if (s.size() == 0) {
        continue;
      }
      SeriesHint hint = s.hint();
      MemSeries ms = hint == null ? null : hint.seriesIn(this);
      if (ms == null) {
        ms = byLabels.get(s.labels());
        if (hint != null) {
          hint.series = ms;
        }
      }
      if (ms == null) {
        ms = newSeries(s, p, newest, persisted);
        if (ms == null) {
          continue;
        }
        if (hint != null) {
          hint.series = ms;
        }
      }
      if (ms.pendingEpoch != e) { // first time in this batch
        ms.pendingEpoch = e;
        ms.pendingT = ms.lastTimestamp();
        ms.pendingV = ms.lastValue();
        if (!ms.logged) {
          p.newSeries.add(ms); // new, or created by an append whose WAL write failed
        }
      }
      long[] ts = s.timestamps();
      double[] vs = s.values();
      for (int i = 0; i < ts.length; i++) {
        long t = ts[i];
        double v = vs[i];
        if ((newest == Long.MIN_VALUE || t >= newest - options.windowMillis()) && t >= persisted
            && t > ms.pendingT) {
          p.accept(ms, t, v);
          ms.pendingT = t;
          ms.pendingV = v;
          newest = Math.max(newest, t);
        } else {
          refuse(p, ms, t, v, newest, persisted);
        }
      }
    }
    for (MetricMetadata m : meta) {
      if (metadata.isNew(m) && !p.metadata.contains(m)) {
        p.metadata.add(m);
      }
    }
    return p;
  }

  /**
   * The series for labels the head does not have: created, or null when the samples are refused (all too
   * old, or the series limit reached). As Prometheus checks the bounds before creating a series: no empty
   * series for refused samples.
   */
  private MemSeries newSeries(SeriesSamples s, PreparedAppend p, long newest, long persisted) {
    if (newest != Long.MIN_VALUE && allTooOld(s, newest - options.windowMillis())) {
      p.reject(RejectReason.TOO_OLD, s.size(), "samples for new series " + s.labels()
          + " are all older than the head window (newest sample " + newest + ")");
      return null;
    }
    if (persisted != Long.MIN_VALUE && allTooOld(s, persisted)) {
      p.reject(RejectReason.TOO_OLD, s.size(), "samples for new series " + s.labels()
          + " are all before " + persisted + ", a range already persisted in a block");
      return null;
    }
    if (options.maxSeries() > 0 && byLabels.size() >= options.maxSeries()) {
      p.reject(RejectReason.SERIES_LIMIT, s.size(), "per-tenant limit of " + options.maxSeries()
          + " active series exceeded, series " + s.labels() + " not created");
      return null;
    }
    return create(nextRef, s.labels());
  }

  /** A sample that is not newer than the series' newest, or out of bounds: refused or a retried duplicate. */
  private void refuse(PreparedAppend p, MemSeries ms, long t, double v, long newest, long persisted) {
    if (newest != Long.MIN_VALUE && t < newest - options.windowMillis()) {
      p.reject(RejectReason.TOO_OLD, 1, "sample at " + t + " for series " + ms.labels()
          + " is older than the head window (newest sample " + newest + ")");
    } else if (t < persisted) {
      p.reject(RejectReason.TOO_OLD, 1, "sample at " + t + " for series " + ms.labels()
          + " is before " + persisted + ", a range already persisted in a block");
    } else if (t < ms.pendingT) {
      p.reject(RejectReason.OUT_OF_ORDER, 1, "sample at " + t + " for series " + ms.labels()
          + " is older than its newest sample at " + ms.pendingT);
    } else if (Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(ms.pendingV)) { // t == pendingT
      p.duplicatesIgnored++;
    } else {
      p.reject(RejectReason.DUPLICATE, 1, "sample at " + t + " for series " + ms.labels()
          + " has value " + fmt(v) + " but " + fmt(ms.pendingV) + " is stored");
    }
  }

  private static boolean allTooOld(SeriesSamples s, long minValid) {
    for (long t : s.timestamps()) {
      if (t >= minValid) {
        return false;
      }
    }
    return true;
  }

  private static String fmt(double v) {
    return StaleNaN.is(v) ? "StaleNaN" : Double.toString(v);
  }

  /** Applies a prepared append; call only after its WAL records are written. */
  public void commit(PreparedAppend p) {
    for (MemSeries s : p.newSeries) {
      s.logged = true;
    }
    long min = minTime;
    long max = maxTime;
    for (int i = 0; i < p.n; i++) {
      long t = p.ts[i];
      p.series[i].append(t, p.vs[i]);
      min = Math.min(min, t);
      max = Math.max(max, t);
    }
    minTime = min;
    maxTime = max;
    for (MetricMetadata m : p.metadata) {
      metadata.put(m);
    }
  }

  /** Replay: a series record. Later records for the same labels keep the first ref's series. */
  public void replaySeries(int ref, Labels labels) {
    MemSeries existing = byLabels.get(labels);
    if (existing != null) {
      if (existing.ref() != ref) {
        aliases.put(ref, existing);
      }
      return;
    }
    create(ref, labels).logged = true;
  }

  private final Map<Integer, MemSeries> aliases = new HashMap<>();

  /** Replay: a sample the WAL holds as accepted; returns false when it no longer fits (unknown series). */
  public boolean replaySample(int ref, long t, double v) {
    MemSeries s = ref < table.length ? table[ref] : null;
    if (s == null) {
      s = aliases.get(ref);
    }
    if (s == null || t <= s.lastTimestamp() || t < minValidTime) {
      return false;
    }
    s.append(t, v);
    minTime = Math.min(minTime, t);
    maxTime = Math.max(maxTime, t);
    return true;
  }

  public void replayMetadata(MetricMetadata m) {
    metadata.put(m);
  }

  private MemSeries create(int ref, Labels labels) {
    String[] pairs = new String[labels.size() * 2];
    boolean canonical = true;
    for (int i = 0; i < labels.size(); i++) {
      pairs[2 * i] = symbols.computeIfAbsent(labels.name(i), k -> k);
      pairs[2 * i + 1] = symbols.computeIfAbsent(labels.value(i), k -> k);
      canonical &= pairs[2 * i] == labels.name(i) && pairs[2 * i + 1] == labels.value(i);
    }
    // A caller that interns its labels (the remote-write decoder caches them per label set) hands us the
    // same instance on every append: keeping it saves a copy and makes the lookup above an identity hit.
    MemSeries s = new MemSeries(this, ref, canonical ? labels : Labels.fromSortedPairs(pairs));
    MemSeries[] t = table;
    if (ref >= t.length) {
      t = Arrays.copyOf(t, Math.max(ref + 1, t.length * 2));
    }
    t[ref] = s;
    table = t; // published before the index write lock is released below
    byLabels.put(s.labels(), s);
    index.add(ref, s.labels());
    nextRef = Math.max(nextRef, ref + 1);
    return s;
  }

  /**
   * Drops samples before {@code mint} (after they were persisted elsewhere, e.g. in a block) and series left
   * empty. Serialized with appends by the caller.
   */
  public int truncateBefore(long mint) {
    BitSet gone = new BitSet();
    Map<Integer, Labels> goneLabels = new HashMap<>();
    MemSeries[] t = table;
    for (MemSeries s : byLabels.values()) {
      if (s.truncateBefore(mint)) {
        gone.set(s.ref());
        goneLabels.put(s.ref(), s.labels());
      }
    }
    if (gone.isEmpty()) {
      long min = Long.MAX_VALUE;
      for (MemSeries s : byLabels.values()) {
        min = Math.min(min, s.minTime());
      }
      minTime = min;
      return 0;
    }
    index.remove(gone, goneLabels);
    for (int ref = gone.nextSetBit(0); ref >= 0; ref = gone.nextSetBit(ref + 1)) {
      t[ref].removed = true;
      byLabels.remove(t[ref].labels());
      t[ref] = null;
    }
    long min = Long.MAX_VALUE;
    for (MemSeries s : byLabels.values()) {
      min = Math.min(min, s.minTime());
    }
    minTime = min;
    return gone.cardinality();
  }

  /**
   * Raises the time before which samples are rejected (they are in blocks now). Call with the append lock
   * held, before truncating, and before WAL replay so that replay skips what blocks already hold.
   */
  public void setMinValidTime(long t) {
    minValidTime = Math.max(minValidTime, t);
  }

  public long minValidTime() {
    return minValidTime;
  }

  /**
   * Moves the start back to {@code t} after a block for the range starting there could not be written
   * (the samples are still here and in the WAL). Call with the append lock held.
   */
  public void undoMinValidTime(long t) {
    minValidTime = t;
  }

  /**
   * Every WAL ref the head resolves, with its labels (aliases from replay included), for a WAL checkpoint
   * that must keep later samples resolvable. Serialized with appends by the caller.
   */
  public void forEachSeriesRef(java.util.function.ObjIntConsumer<Labels> action) {
    for (MemSeries s : byLabels.values()) {
      action.accept(s.labels(), s.ref());
    }
    aliases.forEach((ref, s) -> action.accept(s.labels(), ref));
  }

  // ---- read path (concurrent) ----

  @Override
  public HeadQuerier querier(long mint, long maxt) {
    return new HeadQuerier(this, mint, maxt);
  }

  PostingsIndex index() {
    return index;
  }

  /** Series for a set of refs, skipping refs removed meanwhile. */
  List<MemSeries> series(BitSet refs) {
    MemSeries[] t = table;
    List<MemSeries> out = new ArrayList<>(refs.cardinality());
    for (int ref = refs.nextSetBit(0); ref >= 0 && ref < t.length; ref = refs.nextSetBit(ref + 1)) {
      MemSeries s = t[ref];
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  public MetadataStore metadata() {
    return metadata;
  }

  public int numSeries() {
    return byLabels.size();
  }

  /** Oldest sample timestamp, Long.MAX_VALUE when empty. */
  public long minTime() {
    return minTime;
  }

  /** Newest sample timestamp, Long.MIN_VALUE when empty. */
  public long maxTime() {
    return maxTime;
  }

  public boolean overlaps(long mint, long maxt) {
    return minTime <= maxt && maxTime >= mint;
  }

  /** Next ref the head would hand out; the WAL replay continues from here. */
  public int nextRef() {
    return nextRef;
  }

  /**
   * Replay: never hand out refs below {@code next}. After a lost series record (a corrupt checkpoint) the
   * WAL still holds samples under refs the head does not know; a new series reusing such a ref would, once
   * a later checkpoint names it, adopt those old samples at the next replay.
   */
  public void reserveRefs(int next) {
    nextRef = Math.max(nextRef, next);
  }
}
