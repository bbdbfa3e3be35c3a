package io.promgate.tsdb;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.Querier;
import io.promgate.model.chunk.XorChunk;
import io.promgate.tsdb.block.Block;
import io.promgate.tsdb.block.BlockMeta;
import io.promgate.tsdb.head.ChunkSeries;
import io.promgate.tsdb.head.Head;
import io.promgate.tsdb.head.PreparedAppend;
import io.promgate.tsdb.objstore.BlockShipper;
import io.promgate.tsdb.objstore.BucketStore;
import io.promgate.tsdb.query.MergeQuerier;
import io.promgate.tsdb.wal.Wal;
import io.promgate.tsdb.wal.WalRecords;
import io.promgate.tsdb.wal.WalVisitor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tenant's head and WAL. The append lock makes "validate against the head, write the WAL, apply to the
 * head" one step, so the WAL holds exactly the accepted samples in head order and a replay rebuilds the
 * same head; the fsync wait happens after the lock is released, which is what lets appends group-commit.
 * Nothing reaches the head unless its WAL write succeeded. Blocks ({@link TenantBlocks}) are opened before
 * the WAL is replayed, so the replay skips what they already hold.
 */
final class TenantStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TenantStore.class);
  static final String WAL_DIR = "wal-promgate";

  private final String tenant;
  private final Head head;
  private final Wal wal;
  private final TenantBlocks blocks;
  private final ReentrantLock appendLock = new ReentrantLock();
  private volatile boolean closed;

  private TenantStore(String tenant, Head head, Wal wal, TenantBlocks blocks) {
    this.tenant = tenant;
    this.head = head;
    this.wal = wal;
    this.blocks = blocks;
  }

  static TenantStore open(String tenant, Path dir, StorageOptions options) throws IOException {
    return open(tenant, dir, options, BlockOptions.DEFAULT, Clock.systemUTC());
  }

  /** Opens blocks first: their newest maxTime tells the WAL replay which samples are persisted already. */
  static TenantStore open(String tenant, Path dir, StorageOptions options, BlockOptions blockOptions,
      Clock clock) throws IOException {
    TenantBlocks blocks = TenantBlocks.open(tenant, dir, blockOptions, clock);
    Head head = new Head(new Head.Options(options.headWindow().toMillis(), options.maxSeriesPerTenant()));
    head.setMinValidTime(blocks.watermark());
    long started = System.nanoTime();
    long[] counts = new long[3];
    int[] maxRef = {-1};
    Path quarantine = dir.resolve(TenantBlocks.QUARANTINE_DIR);
    Wal wal = Wal.open(dir.resolve(WAL_DIR), quarantine, options.walSegmentBytes(), new WalVisitor() {
      @Override
      public void series(int ref, Labels labels) {
        head.replaySeries(ref, labels);
        counts[0]++;
      }

      @Override
      public void sample(int ref, long t, double v) {
        maxRef[0] = Math.max(maxRef[0], ref);
        if (head.replaySample(ref, t, v)) {
          counts[1]++;
        } else {
          counts[2]++;
        }
      }

      @Override
      public void metadata(MetricMetadata m) {
        head.replayMetadata(m);
      }
    });
    head.reserveRefs(maxRef[0] + 1);
    if (counts[0] > 0 || counts[2] > 0) {
      LOG.info("tenant {}: replayed WAL in {} ms: {} series records, {} samples{}", tenant,
          (System.nanoTime() - started) / 1_000_000, counts[0], counts[1],
          counts[2] > 0 ? ", " + counts[2] + " samples skipped (unknown series or out of order)" : "");
    }
    if (blocks.watermark() != Long.MIN_VALUE) {
      head.truncateBefore(blocks.watermark()); // series whose samples are all in blocks
    }
    return new TenantStore(tenant, head, wal, blocks);
  }

  CompletableFuture<AppendResult> append(List<SeriesSamples> series, List<MetricMetadata> metadata) {
    AppendResult result;
    long pos;
    wal.announce(); // counted while waiting for the lock: the next fsync should include us
    appendLock.lock();
    try {
      if (closed) {
        return CompletableFuture.failedFuture(
            new StorageUnavailableException("store is shutting down", null));
      }
      PreparedAppend p = head.prepare(series, metadata);
      pos = wal.write(WalRecords.encode(p));
      head.commit(p);
      result = p.result();
    } catch (IOException e) {
      return CompletableFuture.failedFuture(
          new StorageUnavailableException("cannot write the WAL of tenant " + tenant + ": " + e.getMessage(), e));
    } finally {
      appendLock.unlock();
      wal.withdraw();
    }
    return wal.sync(pos).handle((ok, err) -> {
      if (err != null) {
        throw new StorageUnavailableException("cannot fsync the WAL of tenant " + tenant + ": " + err.getMessage(), err);
      }
      return result;
    });
  }

  /** See {@link Wal#announce}. */
  void announce() {
    wal.announce();
  }

  void withdraw() {
    wal.withdraw();
  }

  Head head() {
    return head;
  }

  Wal wal() {
    return wal;
  }

  TenantBlocks blocks() {
    return blocks;
  }

  /** Runs an action serialized with appends (head state that appends also touch). */
  void locked(Runnable action) {
    appendLock.lock();
    try {
      action.run();
    } finally {
      appendLock.unlock();
    }
  }

  /**
   * Head and blocks over [mint, maxt]; series in several are merged by timestamp. The head is read first
   * and the block list resolved after it (see {@link TenantBlocks#querier}), so a concurrent cut cannot
   * hide a range.
   */
  Querier querier(long mint, long maxt) {
    return new MergeQuerier(List.of(head.querier(mint, maxt), blocks.querier(mint, maxt)));
  }

  /**
   * Raw chunks of matching series over [mint, maxt] from head and blocks, sorted by labels, each series'
   * chunks by time. Head chunks that end before the newest block's end are dropped: during a cut the
   * same chunk can briefly be in both (head read first, as in {@link #querier}).
   */
  List<ChunkSeries> selectChunks(long mint, long maxt, List<LabelMatcher> matchers) {
    List<ChunkSeries> fromHead = head.querier(mint, maxt).selectChunks(matchers);
    long watermark = blocks.watermark();
    TreeMap<Labels, List<XorChunk>> merged = new TreeMap<>();
    try (TenantBlocks.Lease lease = blocks.acquire(mint, maxt)) {
      for (Block b : lease.blocks()) {
        for (ChunkSeries cs : b.selectChunks(matchers, mint, maxt)) {
          merged.computeIfAbsent(cs.labels(), k -> new ArrayList<>()).addAll(cs.chunks());
        }
      }
    }
    for (ChunkSeries cs : fromHead) {
      for (XorChunk c : cs.chunks()) {
        if (c.maxTime() >= watermark) {
          merged.computeIfAbsent(cs.labels(), k -> new ArrayList<>()).add(c);
        }
      }
    }
    List<ChunkSeries> out = new ArrayList<>(merged.size());
    merged.forEach((l, cs) -> {
      cs.sort(Comparator.comparingLong(XorChunk::minTime));
      out.add(new ChunkSeries(l, cs));
    });
    return out;
  }

  /**
   * One maintenance pass: cut complete head ranges into blocks, upload them, compact, apply retention.
   * With object storage, blocks are compacted away or expired only once their data is uploaded (and, with
   * a bucket reader, listed by it: {@link TenantBlocks#applyRetention}).
   */
  void maintain(BlockShipper shipper, BucketStore bucket) throws IOException {
    if (closed) {
      return;
    }
    blocks.cut(this);
    Predicate<BlockMeta> eligible = m -> true;
    Set<String> uploaded = null;
    Set<String> inBucket = null;
    if (shipper != null) {
      Set<String> up;
      try {
        up = blocks.ship(shipper);
      } catch (IOException | RuntimeException e) {
        // The bucket is down or refuses us: compaction and retention go on with what is uploaded already.
        LOG.warn("tenant {}: cannot upload blocks (retried next pass): {}", tenant, e.toString());
        up = BlockShipper.uploaded(blocks.dir());
      }
      Set<String> uploadedNow = up;
      uploaded = up;
      eligible = m -> TenantBlocks.isUploaded(m, uploadedNow);
      if (bucket != null && !bucket.sources(tenant).containsAll(up)) {
        try {
          bucket.sync(); // picks up what was just uploaded, so retention can hand it over
        } catch (RuntimeException e) {
          LOG.warn("tenant {}: cannot list the bucket: {}", tenant, e.toString());
        }
      }
    }
    if (bucket != null) {
      inBucket = bucket.sources(tenant);
    }
    while (blocks.compactOnce(eligible)) {
      // keep going: a compaction can enable the next level
    }
    blocks.applyRetention(walBytes(), uploaded, inBucket);
  }

  long walBytes() throws IOException {
    try (Stream<Path> s = Files.list(wal.dir())) {
      long sum = 0;
      for (Path p : s.toList()) {
        sum += Files.size(p);
      }
      return sum;
    }
  }

  /** Drops head data before mint (after it is persisted in a block). */
  int truncateBefore(long mint) {
    appendLock.lock();
    try {
      return head.truncateBefore(mint);
    } finally {
      appendLock.unlock();
    }
  }

  @Override
  public void close() throws IOException {
    appendLock.lock();
    try {
      closed = true;
    } finally {
      appendLock.unlock();
    }
    try {
      blocks.deleteUnused(null); // readers are gone by now (the servers stopped first)
    } finally {
      wal.close();
    }
  }
}
