package io.promgate.gateway.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.promgate.gateway.metrics.SelfMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The extents of range results, bounded by bytes (Caffeine, weighed by each extent's size), with the
 * freshness rule and write invalidation.
 *
 * <p>Invariants: an extent never holds a point later than {@code now - maxFreshness} at the time it was
 * stored (later data may still arrive); an extent holds only points of clean answers (no warnings, no
 * partial responses, no errors); an extent is keyed by tenant, so nothing is shared across tenants.
 *
 * <p>Late writes: {@link #invalidate} drops the extents a write older than {@code now - maxFreshness} may
 * change (all of the tenant's extents holding points at or after its oldest sample: a point depends on data
 * at or before it, through ranges and subqueries of any length). A per-tenant generation keeps an answer
 * computed before such a write from being stored after it.
 */
public final class ResultsCache implements SelfMetrics.MetricsSource {
  record SlotKey(RangeKey key, long slot) {}

  private final Cache<SlotKey, Extent> extents;
  private final Clock clock;
  private final long maxFreshnessMs;
  private final long extentMs;
  private final long maxBytes;
  private final Map<String, AtomicLong> generations = new ConcurrentHashMap<>();
  final LongAdder hits = new LongAdder();
  final LongAdder partials = new LongAdder();
  final LongAdder misses = new LongAdder();
  final LongAdder bypasses = new LongAdder();
  final LongAdder extentHits = new LongAdder();
  final LongAdder extentMisses = new LongAdder();
  final LongAdder evictions = new LongAdder();
  final LongAdder invalidations = new LongAdder();

  public ResultsCache(long maxBytes, Duration maxFreshness, Duration extent, Clock clock) {
    this.clock = clock;
    this.maxFreshnessMs = maxFreshness.toMillis();
    this.extentMs = extent.toMillis();
    this.maxBytes = maxBytes;
    this.extents = Caffeine.newBuilder().maximumWeight(maxBytes)
        .weigher((SlotKey k, Extent e) -> e.weight())
        .executor(Runnable::run) // eviction in the caller: exact byte accounting, no background thread
        .removalListener((SlotKey k, Extent e, RemovalCause c) -> {
          if (c.wasEvicted()) {
            evictions.increment();
          }
        })
        .build();
  }

  long now() {
    return clock.millis();
  }

  /** The last evaluation time whose points may be cached now. */
  long cutoff() {
    return clock.millis() - maxFreshnessMs;
  }

  ExtentGrid grid(RangeKey key) {
    return ExtentGrid.of(key.stepMs(), key.phaseMs(), extentMs);
  }

  Extent get(RangeKey key, long slot) {
    Extent e = extents.getIfPresent(new SlotKey(key, slot));
    if (e == null) {
      extentMisses.increment();
    } else {
      extentHits.increment();
    }
    return e;
  }

  /** Sum of the generations of the key's tenants: changes whenever one of them saw a late write. */
  long generation(RangeKey key) {
    long g = 0;
    for (String t : key.tenants().split("\\|")) {
      AtomicLong a = generations.get(t);
      g += a == null ? 0 : a.get();
    }
    return g;
  }

  /**
   * Stores the points of a clean answer over the evaluation times {@code [fromT, toT]}: the part not newer
   * than the freshness cutoff, slot by slot, joined with what a slot already holds when they touch.
   *
   * @param generation {@link #generation} read before the answer was requested
   */
  void store(RangeKey key, long fromT, long toT, List<SeriesPoints> series, long generation) {
    ExtentGrid g = grid(key);
    long last = Math.min(toT, g.floor(cutoff()));
    if (last < fromT || generation(key) != generation) {
      return;
    }
    long step = key.stepMs();
    for (long slot = g.slotOf(fromT); slot <= g.slotOf(last); slot++) {
      long a = Math.max(fromT, g.slotFirst(slot));
      long b = Math.min(last, g.slotLast(slot));
      SlotKey sk = new SlotKey(key, slot);
      Extent old = extents.getIfPresent(sk);
      List<Stitcher.Piece> pieces = new ArrayList<>(3);
      long first = a;
      long end = b;
      if (old != null && old.firstT() <= b + step && a <= old.lastT() + step) {
        if (a >= old.firstT() && b <= old.lastT()) {
          continue; // nothing new
        }
        if (a >= old.firstT()) {
          // Growing forward, as every refresh of a dashboard does: no copy of what the slot holds.
          extents.put(sk, old.append(old.lastT() + step, b, series));
          continue;
        }
        if (a < old.firstT()) {
          pieces.add(new Stitcher.Piece(series, a, old.firstT() - step));
        }
        pieces.add(new Stitcher.Piece(old.series(), old.firstT(), old.lastT()));
        if (b > old.lastT()) {
          pieces.add(new Stitcher.Piece(series, old.lastT() + step, b));
        }
        first = Math.min(a, old.firstT());
        end = Math.max(b, old.lastT());
      } else {
        pieces.add(new Stitcher.Piece(series, a, b));
      }
      extents.put(sk, Extent.of(first, end, Stitcher.stitch(pieces)));
    }
  }

  /**
   * A write reached the bundled store for {@code tenant} with samples in {@code [mint, maxt]} (ms). Writes
   * newer than {@code now - maxFreshness} cannot touch cached points and cost nothing here; older ones
   * (backfill, out-of-order) drop the tenant's extents holding points at or after {@code mint}.
   */
  public void invalidate(String tenant, long mint, long maxt) {
    if (mint > cutoff()) {
      return;
    }
    generations.computeIfAbsent(tenant, t -> new AtomicLong()).incrementAndGet();
    invalidations.increment();
    extents.asMap().entrySet().removeIf(e -> e.getKey().key().readsTenant(tenant) && e.getValue().lastT() >= mint);
  }

  /** Bytes held (the weights of all extents). */
  public long bytes() {
    extents.cleanUp();
    return extents.policy().eviction().map(ev -> ev.weightedSize().orElse(0)).orElse(0L);
  }

  public long entries() {
    extents.cleanUp();
    return extents.estimatedSize();
  }

  public long evictions() {
    return evictions.sum();
  }

  @Override
  public void writeTo(StringBuilder sb) {
    sb.append("# HELP promgate_cache_requests_total Range queries by how the results cache served them.\n")
        .append("# TYPE promgate_cache_requests_total counter\n")
        .append("promgate_cache_requests_total{result=\"hit\"} ").append(hits.sum()).append('\n')
        .append("promgate_cache_requests_total{result=\"partial\"} ").append(partials.sum()).append('\n')
        .append("promgate_cache_requests_total{result=\"miss\"} ").append(misses.sum()).append('\n')
        .append("promgate_cache_requests_total{result=\"bypass\"} ").append(bypasses.sum()).append('\n');
    sb.append("# HELP promgate_cache_extent_lookups_total Extent lookups, by hit or miss.\n")
        .append("# TYPE promgate_cache_extent_lookups_total counter\n")
        .append("promgate_cache_extent_lookups_total{result=\"hit\"} ").append(extentHits.sum()).append('\n')
        .append("promgate_cache_extent_lookups_total{result=\"miss\"} ").append(extentMisses.sum()).append('\n');
    sb.append("# HELP promgate_cache_evictions_total Extents evicted to stay under cache.max-bytes.\n")
        .append("# TYPE promgate_cache_evictions_total counter\n")
        .append("promgate_cache_evictions_total ").append(evictions.sum()).append('\n');
    sb.append("# HELP promgate_cache_invalidations_total Late writes that dropped a tenant's extents.\n")
        .append("# TYPE promgate_cache_invalidations_total counter\n")
        .append("promgate_cache_invalidations_total ").append(invalidations.sum()).append('\n');
    sb.append("# HELP promgate_cache_bytes Bytes held by the results cache.\n# TYPE promgate_cache_bytes gauge\n")
        .append("promgate_cache_bytes ").append(bytes()).append('\n');
    sb.append("# HELP promgate_cache_max_bytes cache.max-bytes.\n# TYPE promgate_cache_max_bytes gauge\n")
        .append("promgate_cache_max_bytes ").append(maxBytes).append('\n');
    sb.append("# HELP promgate_cache_extents Extents held by the results cache.\n# TYPE promgate_cache_extents gauge\n")
        .append("promgate_cache_extents ").append(entries()).append('\n');
  }
}
