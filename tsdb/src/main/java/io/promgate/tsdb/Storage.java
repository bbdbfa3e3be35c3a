package io.promgate.tsdb;

import java.util.concurrent.atomic.LongAdder;
import io.promgate.model.LabelMatcher;
import io.promgate.model.Querier;
import io.promgate.model.Queryable;
import io.promgate.model.SeriesSet;
import io.promgate.tsdb.block.Block;
import io.promgate.tsdb.head.ChunkSeries;
import io.promgate.tsdb.head.Head;
import io.promgate.tsdb.head.MetadataStore;
import io.promgate.tsdb.block.BlockMeta;
import io.promgate.tsdb.objstore.BlockShipper;
import io.promgate.tsdb.objstore.BucketStore;
import io.promgate.tsdb.objstore.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * The bundled store: one {@link Head} and WAL per tenant under {@code <root>/<tenant>/}. A write is
 * acknowledged (its future completes) only after the WAL records covering it are fsynced, and it is
 * queryable from the moment it is acknowledged. Tenants are opened (WAL replayed) at start and created on
 * their first write.
 *
 * <p>The WAL lives in {@code <tenant>/wal-promgate/}, not {@code <tenant>/wal/}, because it is not in
 * Prometheus' WAL format and {@code promtool tsdb dump} opens {@code wal/} of a directory it is pointed at.
 */
public final class Storage implements AutoCloseable {
  /** Tenant ids as DESIGN.md allows them; also safe as directory names. */
  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9!_.*'()-]{1,150}");

  private final Path root;
  private final StorageOptions options;
  private final BlockOptions blockOptions;
  private final Clock clock;
  private volatile ScheduledExecutorService maintenance;
  private volatile BlockShipper shipper;
  private volatile BucketStore bucket;
  private volatile ObjectStore objectStore;
  private final Map<String, TenantStore> tenants = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> acceptedSamples = new ConcurrentHashMap<>();
  private final LongAdder writeFailures = new LongAdder();
  private volatile boolean closed;

  private Storage(Path root, StorageOptions options, BlockOptions blockOptions, Clock clock) {
    this.root = root;
    this.options = options;
    this.blockOptions = blockOptions;
    this.clock = clock;
  }

  /** Opens the store at {@code root}, replaying every tenant's WAL. */
  public static Storage open(Path root, StorageOptions options, Clock clock) throws IOException {
    return open(root, options, BlockOptions.DEFAULT, clock);
  }

  /**
   * Opens the store at {@code root}: every tenant's blocks, then its WAL. Blocks are cut, compacted and
   * expired by {@link #runMaintenance()}, which {@link #startMaintenance} runs periodically.
   */
  public static Storage open(Path root, StorageOptions options, BlockOptions blockOptions, Clock clock)
      throws IOException {
    Files.createDirectories(root);
    Storage s = new Storage(root, options, blockOptions, clock);
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path d : dirs.filter(d -> Files.isDirectory(d.resolve(TenantStore.WAL_DIR))).sorted().toList()) {
        String tenant = d.getFileName().toString();
        if (validTenant(tenant)) {
          s.tenants.put(tenant, TenantStore.open(tenant, d, options, blockOptions, clock));
        }
      }
    }
    return s;
  }

  static boolean validTenant(String t) {
    return TENANT.matcher(t).matches() && !t.equals(".") && !t.equals("..");
  }

  /**
   * Appends samples and metadata for a tenant. Completes with what was stored and rejected once durable, or
   * exceptionally with {@link StorageUnavailableException} when the store cannot accept writes now (or
   * {@link IllegalArgumentException} for an invalid tenant id). Runs its
   * CPU part on the calling thread (call it from a worker, not an event loop); the completion happens on the
   * WAL's sync thread.
   */
  public CompletableFuture<AppendResult> append(String tenant, List<SeriesSamples> series,
      List<MetricMetadata> metadata) {
    if (closed) {
      return CompletableFuture.failedFuture(new StorageUnavailableException("store is shutting down", null));
    }
    TenantStore t;
    try {
      t = tenant(tenant);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    } catch (UncheckedIOException e) {
      writeFailures.increment();
      return CompletableFuture.failedFuture(new StorageUnavailableException(
          "cannot create storage for tenant " + tenant + ": " + e.getCause().getMessage(), e.getCause()));
    }
    LongAdder accepted = acceptedSamples.computeIfAbsent(tenant, k -> new LongAdder());
    return t.append(series, metadata).whenComplete((r, err) -> {
      if (err != null) {
        writeFailures.increment();
      } else {
        accepted.add(r.accepted());
      }
    });
  }

  /** Appends that failed because the store could not write (full disk, I/O error) since start. */
  public long writeFailures() {
    return writeFailures.sum();
  }

  /**
   * Says an {@link #append} for {@code tenant} is on its way (e.g. a request being decoded), so that the
   * group commit in flight waits a moment for it instead of leaving it to the next fsync. Returns what to
   * run exactly once when the append has been called or given up. A no-op for a tenant without a store yet.
   */
  public Runnable announceAppend(String tenant) {
    TenantStore t = closed ? null : tenants.get(tenant);
    if (t == null) {
      return () -> { };
    }
    t.announce();
    return t::withdraw;
  }

  /** Samples this process accepted for a tenant since it started (WAL replay not counted), for status pages. */
  public long acceptedSamples(String tenant) {
    LongAdder a = acceptedSamples.get(tenant);
    return a == null ? 0 : a.sum();
  }

  private TenantStore tenant(String tenant) {
    if (!validTenant(tenant)) {
      throw new IllegalArgumentException("invalid tenant id: " + tenant);
    }
    return tenants.computeIfAbsent(tenant, id -> {
      try {
        TenantStore ts = TenantStore.open(id, root.resolve(id), options, blockOptions, clock);
        ts.blocks().serveFrom(bucket);
        return ts;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /**
   * Reads one tenant: head, local blocks and, with {@code storage.object-store}, its blocks in the bucket. A
   * tenant without data reads as empty (and becomes visible once it is written).
   */
  public Queryable queryable(String tenant) {
    return (mint, maxt) -> {
      TenantStore t = tenants.get(tenant);
      if (t != null) {
        return t.querier(mint, maxt);
      }
      BucketStore b = bucket;
      return b == null ? EMPTY : b.queryable(tenant).querier(mint, maxt);
    };
  }

  /** The head of a tenant, for readers that want raw chunks (StoreAPI, remote read) or time bounds. */
  public Optional<Head> head(String tenant) {
    return Optional.ofNullable(tenants.get(tenant)).map(TenantStore::head);
  }

  /** {@code /api/v1/metadata} of a tenant; see {@link MetadataStore#query}. */
  public Map<String, List<MetricMetadata>> metadata(String tenant, String metric, int limit) {
    TenantStore t = tenants.get(tenant);
    return t == null ? Map.of() : t.head().metadata().query(metric, limit);
  }

  /**
   * Raw XOR chunks of a tenant's matching series over [mint, maxt], from blocks and head, sorted by labels
   * and each series' chunks by time: what the StoreAPI and remote read with streamed chunks send as they
   * are. Chunks may extend beyond the range (callers trim, as Thanos' clients do).
   */
  public List<ChunkSeries> selectChunks(String tenant, long mint, long maxt, List<LabelMatcher> matchers) {
    TenantStore t = tenants.get(tenant);
    if (t != null) {
      return t.selectChunks(mint, maxt, matchers);
    }
    BucketStore bs = bucket;
    if (bs == null) {
      return List.of();
    }
    List<Block> held = bs.acquire(tenant, mint, maxt, Set.of());
    try {
      List<ChunkSeries> out = new java.util.ArrayList<>();
      for (Block b : held) {
        out.addAll(b.selectChunks(matchers, mint, maxt)); // visible bucket blocks do not overlap
      }
      out.sort(java.util.Comparator.comparing(ChunkSeries::labels));
      return mergeSameLabels(out);
    } finally {
      held.forEach(Block::release);
    }
  }

  private static List<ChunkSeries> mergeSameLabels(List<ChunkSeries> sorted) {
    List<ChunkSeries> out = new java.util.ArrayList<>(sorted.size());
    for (ChunkSeries cs : sorted) {
      ChunkSeries last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && last.labels().equals(cs.labels())) {
        List<io.promgate.model.chunk.XorChunk> all = new java.util.ArrayList<>(last.chunks());
        all.addAll(cs.chunks());
        all.sort(java.util.Comparator.comparingLong(io.promgate.model.chunk.XorChunk::minTime));
        out.set(out.size() - 1, new ChunkSeries(cs.labels(), all));
      } else {
        out.add(cs);
      }
    }
    return out;
  }

  /** Persisted blocks of a tenant, oldest first (for StoreAPI, uploads and tests). */
  public List<Block> blocks(String tenant) {
    TenantStore t = tenants.get(tenant);
    return t == null ? List.of() : t.blocks().blocks();
  }

  /** A tenant's blocks in the bucket as of the last sync, oldest first; empty without an object store. */
  public List<BlockMeta> bucketBlocks(String tenant) {
    BucketStore b = bucket;
    return b == null ? List.of()
        : b.blocks().stream().filter(m -> tenant.equals(m.externalLabels().get("tenant_id"))).toList();
  }

  /**
   * One maintenance pass over all tenants: cut complete head ranges into blocks, compact, apply retention.
   * Failures are logged per tenant and retried on the next pass.
   */
  public void runMaintenance() {
    BucketStore b = bucket;
    if (b != null) {
      try {
        b.sync();
      } catch (RuntimeException ex) {
        // Without a fresh listing retention still works: it only hands over blocks the bucket was seen to hold.
        LoggerFactory.getLogger(Storage.class).warn("object store: cannot list bucket: {}", ex.getMessage());
      }
    }
    for (Map.Entry<String, TenantStore> e : new TreeMap<>(tenants).entrySet()) {
      try {
        e.getValue().maintain(shipper, b);
      } catch (IOException | RuntimeException ex) {
        LoggerFactory.getLogger(Storage.class).error("tenant {}: block maintenance failed", e.getKey(), ex);
      }
    }
  }

  /** Runs {@link #runMaintenance()} every {@code interval} on one background thread until {@link #close()}. */
  public synchronized void startMaintenance(Duration interval) {
    if (maintenance != null) {
      return;
    }
    maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tsdb-maintenance");
      t.setDaemon(true);
      return t;
    });
    maintenance.scheduleWithFixedDelay(this::runMaintenance, interval.toMillis(), interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * Uploads every new level-1 block to object storage from the next maintenance pass on
   * ({@code storage.object-store}); see {@link BlockShipper}.
   */
  public void uploadTo(BlockShipper shipper) {
    this.shipper = shipper;
  }

  /**
   * Serves, besides local blocks, the blocks in a bucket: blocks that retention removed from the disk are read
   * from there, and a tenant whose local data is gone entirely still answers from the bucket.
   */
  public void serveFrom(BucketStore bucket) {
    this.bucket = bucket;
    tenants.values().forEach(t -> t.blocks().serveFrom(bucket));
  }

  /** Lists the bucket now (at start, so old data is served before the first maintenance pass). */
  public void syncBucket() {
    BucketStore b = bucket;
    if (b != null) {
      b.sync();
    }
  }

  /**
   * {@code storage.object-store}: upload new blocks and serve the bucket ({@link #uploadTo},
   * {@link #serveFrom}); the store closes {@code os} when it closes.
   */
  public void useObjectStore(ObjectStore os) {
    this.objectStore = os;
    uploadTo(os.shipper());
    serveFrom(os.bucket());
  }

  public BlockOptions blockOptions() {
    return blockOptions;
  }

  /** Tenants that have a store or blocks in the bucket, sorted. */
  public Set<String> tenants() {
    TreeSet<String> out = new TreeSet<>(tenants.keySet());
    BucketStore b = bucket;
    if (b != null) {
      out.addAll(b.tenants());
    }
    return out;
  }

  public StorageOptions options() {
    return options;
  }

  public Clock clock() {
    return clock;
  }

  public Path root() {
    return root;
  }

  /** Sum of fsyncs over all tenants' WALs (group commit keeps it well below the number of appends). */
  public long fsyncCount() {
    return tenants.values().stream().mapToLong(t -> t.wal().fsyncCount()).sum();
  }

  /** Corrupt blocks moved to {@code <tenant>/quarantine/} when this store was opened (or a tenant created). */
  public long quarantinedBlocks() {
    return tenants.values().stream().mapToLong(t -> t.blocks().quarantined()).sum();
  }

  /**
   * Corrupt or torn WAL places cut off when this store was opened (a torn tail after a crash counts), and
   * corrupt WAL checkpoints moved to {@code <tenant>/quarantine/}.
   */
  public long walCorruptions() {
    return tenants.values().stream().mapToLong(t -> t.wal().corruptionsRepaired()).sum();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    ScheduledExecutorService m = maintenance;
    if (m != null) {
      m.shutdown();
      try {
        m.awaitTermination(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    IOException first = null;
    for (TenantStore t : tenants.values()) {
      try {
        t.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    ObjectStore os = objectStore;
    if (os != null) {
      os.close();
    }
    if (first != null) {
      throw first;
    }
  }

  private static final Querier EMPTY = new Querier() {
    @Override
    public SeriesSet select(boolean sortSeries, io.promgate.model.SelectHints hints,
        List<io.promgate.model.LabelMatcher> matchers) {
      return SeriesSet.empty();
    }

    @Override
    public List<String> labelValues(String name, List<io.promgate.model.LabelMatcher> matchers) {
      return List.of();
    }

    @Override
    public List<String> labelNames(List<io.promgate.model.LabelMatcher> matchers) {
      return List.of();
    }
  };
}
