package io.promgate.tsdb;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.Querier;
import io.promgate.model.SelectHints;
import io.promgate.model.SeriesSet;
import io.promgate.model.ValueType;
import io.promgate.model.chunk.XorAppender;
import io.promgate.model.chunk.XorChunk;
import io.promgate.model.chunk.XorIterator;
import io.promgate.tsdb.block.Block;
import io.promgate.tsdb.block.BlockMeta;
import io.promgate.tsdb.block.BlockWriter;
import io.promgate.tsdb.block.CrashPoint;
import io.promgate.tsdb.block.Ulid;
import io.promgate.tsdb.compact.CompactionPlanner;
import io.promgate.tsdb.compact.RetentionPolicy;
import io.promgate.tsdb.head.ChunkSeries;
import io.promgate.tsdb.head.Head;
import io.promgate.tsdb.objstore.BlockShipper;
import io.promgate.tsdb.objstore.BucketStore;
import io.promgate.tsdb.query.MergeQuerier;
import io.promgate.tsdb.wal.Wal;
import io.promgate.tsdb.wal.WalCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persisted blocks of one tenant and their life cycle: cutting the head into blocks, compaction and
 * retention. One maintenance step at a time (this object's monitor); queries read the volatile block list.
 *
 * <p>Order of durability, the invariant every crash test checks: a block directory is complete and renamed
 * before the head forgets its samples and before the WAL drops a segment; the WAL replay skips samples older
 * than the newest block's maxTime (head minValidTime), so a crash between those steps neither loses nor
 * duplicates a sample. Compacted source blocks are named as parents in the new block's meta, so a crash
 * before they are deleted is repaired at the next open (Prometheus does the same).
 */
final class TenantBlocks {
  private static final Logger LOG = LoggerFactory.getLogger(TenantBlocks.class);
  static final String QUARANTINE_DIR = "quarantine";

  private final String tenant;
  private final Path dir;
  private final BlockOptions options;
  private final Clock clock;
  private volatile List<Block> blocks; // sorted by minTime
  private volatile BucketStore bucket;
  /** Blocks taken out of {@link #blocks} whose directories wait for their last reader; guarded by this. */
  private final List<Block> retired = new ArrayList<>();
  private int quarantined;

  private TenantBlocks(String tenant, Path dir, BlockOptions options, Clock clock, List<Block> blocks) {
    this.tenant = tenant;
    this.dir = dir;
    this.options = options;
    this.clock = clock;
    this.blocks = blocks;
  }

  /** Opens the blocks under a tenant directory, deleting leftovers of crashed writes and compactions. */
  static TenantBlocks open(String tenant, Path dir, BlockOptions options, Clock clock) throws IOException {
    Files.createDirectories(dir);
    // An empty Prometheus WAL directory: promtool tsdb dump (and Prometheus' read-only DB) insist on
    // opening <dir>/wal; empty, it reads as an empty head. Our own WAL is wal-promgate/.
    Files.createDirectories(dir.resolve("wal"));
    List<Block> found = new ArrayList<>();
    int quarantined = 0;
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.sorted().toList()) {
        String name = p.getFileName().toString();
        if (!Files.isDirectory(p)) {
          continue;
        }
        if (name.endsWith(".tmp") && Ulid.isValid(name.substring(0, name.length() - 4))) {
          LOG.info("tenant {}: deleting unfinished block {}", tenant, name);
          BlockWriter.deleteRecursively(p);
        } else if (Ulid.isValid(name)) {
          try {
            found.add(openChecked(p));
          } catch (IOException | RuntimeException e) {
            quarantine(tenant, dir, p, e);
            quarantined++;
          }
        }
      }
    }
    Set<String> parents = new HashSet<>();
    for (Block b : found) {
      parents.addAll(b.meta().parents());
    }
    List<Block> live = new ArrayList<>();
    for (Block b : found) {
      if (parents.contains(b.meta().ulid())) {
        LOG.info("tenant {}: deleting block {}, already compacted into a newer block", tenant, b.meta().ulid());
        BlockWriter.deleteRecursively(b.dir());
      } else {
        live.add(b);
      }
    }
    live.sort(Comparator.comparingLong(b -> b.meta().minTime()));
    TenantBlocks tb = new TenantBlocks(tenant, dir, options, clock, List.copyOf(live));
    tb.quarantined = quarantined;
    return tb;
  }

  /**
   * Opens a block and checks what is cheap to check at start: meta.json parses, the index' tables match
   * their CRCs (the reader checks them), and chunk segments exist when the block has chunks, numbered
   * from 000001 without a gap. Chunk CRCs are checked when chunks are read.
   */
  private static Block openChecked(Path p) throws IOException {
    if (!Files.exists(p.resolve("meta.json"))) {
      // A block directory appears only by a rename after meta.json was fsynced; without it, it is damaged.
      throw new IOException("meta.json is missing");
    }
    Block b = Block.open(p);
    if (b.meta().numChunks() > 0) {
      List<String> segs;
      try (Stream<Path> s = Files.isDirectory(p.resolve("chunks")) ? Files.list(p.resolve("chunks")) : Stream.empty()) {
        segs = s.map(x -> x.getFileName().toString()).filter(n -> n.matches("\\d{6}")).sorted().toList();
      }
      for (int i = 0; i < Math.max(1, segs.size()); i++) {
        String want = String.format("%06d", i + 1);
        if (i >= segs.size() || !segs.get(i).equals(want)) {
          throw new IOException("chunk segment chunks/" + want + " is missing (meta.json counts "
              + b.meta().numChunks() + " chunks)");
        }
      }
    }
    return b;
  }

  /**
   * Moves a block that cannot be opened to {@code <tenant>/quarantine/<ulid>}: the store starts without it
   * (its range reads as a gap, the WAL may still hold part of it) and an operator can inspect or delete it.
   * Deleting it ourselves would destroy what a repair tool might still recover; leaving it in place would
   * fail every start.
   */
  private static void quarantine(String tenant, Path dir, Path block, Exception why) throws IOException {
    Path qdir = dir.resolve(QUARANTINE_DIR);
    Files.createDirectories(qdir);
    Path target = qdir.resolve(block.getFileName().toString());
    if (Files.exists(target)) {
      target = qdir.resolve(block.getFileName() + "." + System.currentTimeMillis());
    }
    Files.move(block, target, StandardCopyOption.ATOMIC_MOVE);
    BlockWriter.fsyncDir(dir);
    LOG.error("tenant {}: block {} is corrupt ({}); moved it to {} and starting without it", tenant,
        block.getFileName(), why.toString(), target);
  }

  /** Blocks moved to quarantine when this tenant was opened. */
  int quarantined() {
    return quarantined;
  }

  List<Block> blocks() {
    return blocks;
  }

  Path dir() {
    return dir;
  }

  /** End (exclusive) of the newest block; the head must not accept or replay anything older. */
  long watermark() {
    long w = Long.MIN_VALUE;
    for (Block b : blocks) {
      w = Math.max(w, b.meta().maxTime());
    }
    return w;
  }

  /**
   * The blocks over [mint, maxt], resolved when a select or label call arrives rather than now: a caller
   * that reads the head first and the blocks second can never miss a range that moved from one to the other
   * in between (a block is published before the head drops its samples). Every block read is held until
   * the querier is closed, so compaction and retention defer deleting it (see {@link Block}).
   */
  Querier querier(long mint, long maxt) {
    return new Querier() {
      private final List<Lease> held = new ArrayList<>();

      private MergeQuerier current() {
        Lease lease = acquire(mint, maxt);
        synchronized (held) {
          held.add(lease);
        }
        List<Querier> qs = new ArrayList<>();
        for (Block b : lease.blocks()) {
          qs.add(b.querier(mint, maxt));
        }
        return new MergeQuerier(qs);
      }

      @Override
      public SeriesSet select(boolean sortSeries, SelectHints hints, List<LabelMatcher> matchers) {
        return current().select(sortSeries, hints, matchers);
      }

      @Override
      public List<String> labelValues(String name, List<LabelMatcher> matchers) {
        return current().labelValues(name, matchers);
      }

      @Override
      public List<String> labelNames(List<LabelMatcher> matchers) {
        return current().labelNames(matchers);
      }

      @Override
      public void close() {
        synchronized (held) {
          held.forEach(Lease::close);
          held.clear();
        }
      }
    };
  }

  /** Blocks held for reading until closed: local blocks, then bucket blocks no local block covers. */
  record Lease(List<Block> blocks) implements AutoCloseable {
    @Override
    public void close() {
      blocks.forEach(Block::release);
    }
  }

  /**
   * Acquires the blocks overlapping [mint, maxt]. A block retired between reading the list and acquiring
   * it is only retired after its replacement list was published, so the retry reads a list without it.
   * Bucket blocks are those whose sources no local block holds: a block deleted here by retention is read
   * from the bucket from the moment it leaves the local list (retention waits until the bucket has it).
   */
  Lease acquire(long mint, long maxt) {
    while (true) {
      List<Block> current = blocks;
      List<Block> got = new ArrayList<>();
      boolean ok = true;
      for (Block b : current) {
        if (b.overlaps(mint, maxt)) {
          if (!b.acquire()) {
            ok = false;
            break;
          }
          got.add(b);
        }
      }
      if (ok) {
        BucketStore bs = bucket;
        if (bs != null) {
          Set<String> covered = new HashSet<>();
          current.forEach(b -> covered.addAll(b.meta().sources()));
          got.addAll(bs.acquire(tenant, mint, maxt, covered));
        }
        return new Lease(got);
      }
      got.forEach(Block::release);
      Thread.onSpinWait();
    }
  }

  /** Serves, besides local blocks, this tenant's blocks in the bucket ({@code storage.object-store}). */
  void serveFrom(BucketStore bucket) {
    this.bucket = bucket;
  }

  long sizeBytes() {
    long s = 0;
    for (Block b : blocks) {
      s += b.sizeBytes();
    }
    return s;
  }

  // ---- cut ----

  /**
   * Writes every complete block range of the head as a block. A range [start, start + D) is complete once
   * its end is more than the head window before the newest sample: no sample for it can be accepted any
   * more. (Prometheus cuts when the head spans 1.5 block ranges, with an append window of half a range;
   * ours is the configurable head window, so the rule is stated in terms of it.)
   */
  synchronized int cut(TenantStore ts) throws IOException {
    Head head = ts.head();
    long d = options.blockDuration().toMillis();
    int written = 0;
    while (true) {
      long hmin = head.minTime();
      long hmax = head.maxTime();
      if (hmin == Long.MAX_VALUE || hmax == Long.MIN_VALUE) {
        break;
      }
      long start = Math.floorDiv(Math.max(hmin, head.minValidTime()), d) * d;
      long end = start + d;
      if (end > hmax - head.options().windowMillis()) {
        break;
      }
      long previousMinValid = head.minValidTime();
      ts.locked(() -> head.setMinValidTime(end));
      List<ChunkSeries> series = trim(head.querier(start, end - 1).selectChunks(List.of()), start, end);
      if (!series.isEmpty()) {
        String ulid = Ulid.next(clock.millis());
        BlockMeta meta = new BlockMeta(ulid, start, end, 0, 0, 0, 1, List.of(ulid), List.of(), externalLabels());
        Path p;
        try {
          p = BlockWriter.write(dir, meta, series);
        } catch (IOException | RuntimeException e) {
          // E.g. a full disk. The range stays in the head and the WAL; the next pass must cut this same
          // range again, so the head's start must not stay moved past it (a later cut would otherwise
          // truncate the head and the WAL beyond samples that no block holds).
          ts.locked(() -> head.undoMinValidTime(previousMinValid));
          throw e;
        }
        CrashPoint.hit("after-block-rename");
        Block b = Block.open(p);
        List<Block> next = new ArrayList<>(blocks);
        next.add(b);
        next.sort(Comparator.comparingLong(x -> x.meta().minTime()));
        blocks = List.copyOf(next);
        written++;
        LOG.info("tenant {}: wrote block {} [{}, {}): {} series, {} samples", tenant, ulid, start, end,
            b.meta().numSeries(), b.meta().numSamples());
      }
      ts.truncateBefore(end);
      truncateWal(ts, end);
    }
    return written;
  }

  private Map<String, String> externalLabels() {
    Map<String, String> l = new TreeMap<>(options.externalLabels());
    l.put("tenant_id", tenant);
    return l;
  }

  /** Keeps only samples in [start, end); chunks crossing a bound are re-encoded (rare: only unaligned ranges). */
  static List<ChunkSeries> trim(List<ChunkSeries> in, long start, long end) {
    List<ChunkSeries> out = new ArrayList<>(in.size());
    for (ChunkSeries s : in) {
      List<XorChunk> cs = new ArrayList<>(s.chunks().size());
      for (XorChunk c : s.chunks()) {
        if (c.minTime() >= start && c.maxTime() < end) {
          cs.add(c);
        } else if (c.maxTime() >= start && c.minTime() < end) {
          XorAppender a = new XorAppender();
          XorIterator it = c.iterator();
          while (it.next() != ValueType.NONE) {
            if (it.timestamp() >= start && it.timestamp() < end) {
              a.append(it.timestamp(), it.value());
            }
          }
          if (a.numSamples() > 0) {
            cs.add(a.toChunk());
          }
        }
      }
      if (!cs.isEmpty()) {
        out.add(new ChunkSeries(s.labels(), cs));
      }
    }
    return out;
  }

  private static void truncateWal(TenantStore ts, long watermark) throws IOException {
    Wal wal = ts.wal();
    int current = wal.roll();
    int keep = WalCheckpoint.firstNeeded(wal, current, watermark);
    if (wal.segmentsBefore(keep).isEmpty()) {
      return;
    }
    WalCheckpoint.Builder b = new WalCheckpoint.Builder();
    ts.locked(() -> {
      ts.head().forEachSeriesRef(b::series);
      ts.head().metadata().query(null, -1).values().forEach(l -> l.forEach(b::metadata));
    });
    WalCheckpoint.write(wal, keep, b);
  }

  // ---- compaction ----

  /** Runs one compaction if the planner finds one; returns whether it did. */
  synchronized boolean compactOnce(Predicate<BlockMeta> eligible) throws IOException {
    List<Block> current = blocks;
    List<BlockMeta> metas = current.stream().map(Block::meta).filter(eligible).toList();
    List<BlockMeta> plan = CompactionPlanner.plan(metas, options.compactionRanges());
    if (plan.size() < 2) {
      return false;
    }
    Set<String> ids = new HashSet<>();
    plan.forEach(m -> ids.add(m.ulid()));
    List<Block> sources = current.stream().filter(b -> ids.contains(b.meta().ulid()))
        .sorted(Comparator.comparingLong(b -> b.meta().minTime())).toList();
    // Labels and series refs of every source; chunk data is read series by series while writing.
    TreeMap<Labels, List<int[]>> merged = new TreeMap<>();
    TreeSet<String> allSources = new TreeSet<>();
    int level = 0;
    for (int b = 0; b < sources.size(); b++) { // sorted by minTime, non-overlapping: chunks stay in order
      Block block = sources.get(b);
      for (int ref : block.seriesRefs()) {
        merged.computeIfAbsent(block.seriesLabels(ref), k -> new ArrayList<>(sources.size())).add(new int[] {b, ref});
      }
      allSources.addAll(block.meta().sources());
      level = Math.max(level, block.meta().level());
    }
    List<Labels> labels = new ArrayList<>(merged.keySet());
    List<List<int[]>> parts = new ArrayList<>(merged.values());
    merged = null;
    BlockWriter.SeriesSource series = new BlockWriter.SeriesSource() {
      @Override
      public int size() {
        return labels.size();
      }

      @Override
      public Labels labels(int i) {
        return labels.get(i);
      }

      @Override
      public List<XorChunk> chunks(int i) throws IOException {
        List<XorChunk> out = new ArrayList<>();
        for (int[] p : parts.get(i)) {
          out.addAll(sources.get(p[0]).seriesChunks(p[1]));
        }
        return out;
      }
    };
    String ulid = Ulid.next(clock.millis());
    BlockMeta meta = new BlockMeta(ulid, sources.get(0).meta().minTime(),
        sources.get(sources.size() - 1).meta().maxTime(), 0, 0, 0, level + 1, new ArrayList<>(allSources),
        sources.stream().map(b -> b.meta().ulid()).toList(), externalLabels());
    Block nb = Block.open(BlockWriter.write(dir, meta, series));
    CrashPoint.hit("compaction-after-rename");
    List<Block> next = new ArrayList<>(current);
    next.removeAll(sources);
    next.add(nb);
    next.sort(Comparator.comparingLong(x -> x.meta().minTime()));
    blocks = List.copyOf(next);
    LOG.info("tenant {}: compacted {} blocks into {} [{}, {}) level {}", tenant, sources.size(), ulid,
        meta.minTime(), meta.maxTime(), meta.level());
    retire(sources);
    deleteUnused("compaction-after-first-delete");
    return true;
  }

  // ---- deferred deletion ----

  /** Call after publishing a block list without {@code gone}: they are deleted once no reader holds them. */
  private void retire(List<Block> gone) {
    for (Block b : gone) {
      b.retire();
      retired.add(b);
    }
  }

  /**
   * Deletes the directories of retired blocks that no reader holds any more; the others wait for a later
   * pass. A crash before that is harmless: compacted sources are named as parents and deleted at the next
   * open, expired blocks expire again.
   */
  synchronized int deleteUnused(String crashPointAfterFirst) throws IOException {
    int n = 0;
    for (var it = retired.iterator(); it.hasNext(); ) {
      Block b = it.next();
      if (b.unused()) {
        BlockWriter.deleteRecursively(b.dir());
        it.remove();
        if (n++ == 0 && crashPointAfterFirst != null) {
          CrashPoint.hit(crashPointAfterFirst);
        }
      } else {
        LOG.debug("tenant {}: block {} deleted later, {} readers hold it", tenant, b.meta().ulid(), b.readers());
      }
    }
    return n;
  }

  /** Retired blocks whose directories still wait for readers (tests, status). */
  synchronized int pendingDeletions() {
    return retired.size();
  }

  // ---- upload ----

  /** Uploads new blocks; returns the ULIDs known to be in the bucket. */
  synchronized Set<String> ship(BlockShipper shipper) throws IOException {
    shipper.ship(dir, blocks);
    return BlockShipper.uploaded(dir);
  }

  /** Whether a block's data is in the bucket: uploaded itself, or every block it was compacted from. */
  static boolean isUploaded(BlockMeta m, Set<String> uploaded) {
    return uploaded.contains(m.ulid()) || uploaded.containsAll(m.sources());
  }

  // ---- retention ----

  /**
   * Deletes blocks beyond time or size retention; returns how many. With object storage, a block leaves the
   * disk only once it is uploaded ({@code uploaded}, null without shipping) and the bucket reader lists it
   * ({@code inBucket}: sources of the tenant's bucket blocks, null without one), so its data never has a
   * moment when neither serves it; until then retention keeps it (as Thanos' shipper requires).
   */
  synchronized int applyRetention(long walBytes, Set<String> uploaded, Set<String> inBucket) throws IOException {
    List<Block> current = blocks;
    Map<String, Long> sizes = new TreeMap<>();
    current.forEach(b -> sizes.put(b.meta().ulid(), b.sizeBytes()));
    Set<String> expired = RetentionPolicy.expired(current.stream().map(Block::meta).toList(), clock.millis(),
        options.retention().toMillis(), options.retentionBytes(), walBytes, m -> sizes.get(m.ulid()));
    List<Block> gone = new ArrayList<>();
    for (Block b : current) {
      if (!expired.contains(b.meta().ulid())) {
        continue;
      }
      if (uploaded != null && !isUploaded(b.meta(), uploaded)) {
        LOG.info("tenant {}: retention keeps block {} until it is uploaded", tenant, b.meta().ulid());
      } else if (inBucket != null && !inBucket.containsAll(b.meta().sources())) {
        LOG.info("tenant {}: retention keeps block {} until the bucket lists it", tenant, b.meta().ulid());
      } else {
        gone.add(b);
      }
    }
    if (!gone.isEmpty()) {
      List<Block> next = new ArrayList<>(current);
      next.removeAll(gone);
      blocks = List.copyOf(next);
      for (Block b : gone) {
        LOG.info("tenant {}: retention deletes block {} [{}, {})", tenant, b.meta().ulid(), b.meta().minTime(),
            b.meta().maxTime());
      }
      retire(gone);
    }
    deleteUnused(null);
    return gone.size();
  }
}
