package io.promgate.tsdb.objstore;

import io.promgate.model.Querier;
import io.promgate.model.Queryable;
import io.promgate.tsdb.block.Block;
import io.promgate.tsdb.block.BlockMeta;
import io.promgate.tsdb.block.BlockWriter;
import io.promgate.tsdb.query.MergeQuerier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Serves blocks straight from the bucket, like a small Thanos Store Gateway: {@link #sync()} lists the
 * bucket's {@code <ulid>/meta.json}; a block is opened on first use by downloading its index into the
 * local cache directory (then memory-mapped like a local block), and its chunks are read with ranged GETs.
 * Blocks belong to the tenant named by their {@code tenant_id} external label.
 *
 * <p>A sync fetches meta.json only for blocks it has not seen (a meta never changes), so syncing every
 * maintenance pass costs one LIST. Blocks that left the bucket (deleted by a Thanos compactor after it
 * merged them) are retired like local blocks: their cached index is deleted once no reader holds them.
 * A block whose sources are all in a bigger block of the bucket is skipped (the compactor's output exists
 * and its inputs await deletion), as is a block whose sources the caller holds locally.
 *
 * <p>Rejected: downloading whole blocks (chunks are most of the bytes and most queries read a sliver) and
 * Thanos' binary index-header (smaller, but a second format to maintain; the v2 index reader we have
 * already loads only the TOC, sampled symbols and the postings offset table).
 */
public final class BucketStore {
  private static final Logger LOG = LoggerFactory.getLogger(BucketStore.class);

  private final S3Client s3;
  private final String bucket;
  private final String prefix;
  private final Path cacheDir;
  private volatile List<BlockMeta> metas = List.of();
  private final Map<String, Block> open = new ConcurrentHashMap<>();
  private final List<Block> retired = new ArrayList<>(); // guarded by this

  public BucketStore(S3Client s3, String bucket, Path cacheDir) throws IOException {
    this(s3, bucket, "", cacheDir);
  }

  public BucketStore(S3Client s3, String bucket, String prefix, Path cacheDir) throws IOException {
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = BlockShipper.keyPrefix(prefix);
    this.cacheDir = cacheDir;
    Files.createDirectories(cacheDir);
  }

  /** Re-reads the list of blocks in the bucket; blocks without meta.json (partial uploads) are ignored. */
  public synchronized int sync() {
    Map<String, BlockMeta> known = new HashMap<>();
    metas.forEach(m -> known.put(m.ulid(), m));
    List<BlockMeta> found = new ArrayList<>();
    String token = null;
    do {
      ListObjectsV2Response r = s3.listObjectsV2(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix)
          .delimiter("/").continuationToken(token).build());
      for (CommonPrefix p : r.commonPrefixes()) {
        String ulid = p.prefix().substring(prefix.length(), p.prefix().length() - 1);
        BlockMeta m = known.get(ulid);
        if (m == null) {
          try {
            String json = s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(prefix + ulid + "/meta.json")
                .build()).asString(StandardCharsets.UTF_8);
            m = BlockMeta.fromJson(json);
          } catch (NoSuchKeyException e) {
            LOG.debug("bucket {}: {} has no meta.json yet", bucket, ulid);
            continue;
          } catch (RuntimeException e) {
            LOG.warn("bucket {}: skipping {}: unreadable meta.json: {}", bucket, ulid, e.getMessage());
            continue;
          }
        }
        found.add(m);
      }
      token = r.isTruncated() ? r.nextContinuationToken() : null;
    } while (token != null);
    found.sort(Comparator.comparingLong(BlockMeta::minTime));
    metas = List.copyOf(found);
    Set<String> ids = new HashSet<>();
    found.forEach(m -> ids.add(m.ulid()));
    for (String id : List.copyOf(open.keySet())) {
      if (!ids.contains(id)) {
        Block b = open.remove(id);
        if (b != null) {
          b.retire();
          retired.add(b);
        }
      }
    }
    deleteUnusedCache(ids);
    return found.size();
  }

  /** Deletes cached indexes of blocks gone from the bucket that no reader holds. */
  private void deleteUnusedCache(Set<String> inBucket) {
    retired.removeIf(Block::unused);
    Set<String> keep = new HashSet<>(inBucket);
    retired.forEach(b -> keep.add(b.meta().ulid()));
    try (Stream<Path> s = Files.list(cacheDir)) {
      for (Path p : s.toList()) {
        if (!keep.contains(p.getFileName().toString())) {
          BlockWriter.deleteRecursively(p);
        }
      }
    } catch (IOException e) {
      LOG.warn("bucket {}: cannot clean the index cache {}: {}", bucket, cacheDir, e.getMessage());
    }
  }

  /** Block metas known from the last sync. */
  public List<BlockMeta> blocks() {
    return metas;
  }

  /** Tenants with blocks in the bucket (their {@code tenant_id} external label). */
  public Set<String> tenants() {
    Set<String> out = new TreeSet<>();
    for (BlockMeta m : metas) {
      String t = m.externalLabels().get("tenant_id");
      if (t != null) {
        out.add(t);
      }
    }
    return out;
  }

  /** Sources of a tenant's blocks in the bucket: the level-1 blocks whose data the bucket holds. */
  public Set<String> sources(String tenant) {
    Set<String> out = new HashSet<>();
    for (BlockMeta m : metas) {
      if (tenant.equals(m.externalLabels().get("tenant_id"))) {
        out.addAll(m.sources());
      }
    }
    return out;
  }

  /** A tenant's visible bucket blocks over [mint, maxt] (see the class comment), oldest first. */
  public List<BlockMeta> visible(String tenant, long mint, long maxt, Set<String> coveredLocally) {
    List<BlockMeta> own = new ArrayList<>();
    for (BlockMeta m : metas) {
      if (tenant.equals(m.externalLabels().get("tenant_id"))) {
        own.add(m);
      }
    }
    List<BlockMeta> out = new ArrayList<>();
    for (BlockMeta m : own) {
      if (m.minTime() > maxt || m.maxTime() <= mint || coveredLocally.containsAll(m.sources())) {
        continue;
      }
      boolean superseded = false;
      for (BlockMeta n : own) {
        if (n != m && n.sources().size() > m.sources().size() && n.sources().containsAll(m.sources())) {
          superseded = true;
          break;
        }
      }
      if (!superseded) {
        out.add(m);
      }
    }
    return out;
  }

  /**
   * Opens (index download on first use) and acquires a tenant's visible blocks over [mint, maxt]; the caller
   * releases them. A block that left the bucket between listing and opening is only skipped when a newer
   * sync no longer lists it.
   */
  public List<Block> acquire(String tenant, long mint, long maxt, Set<String> coveredLocally) {
    while (true) {
      List<BlockMeta> snapshot = metas;
      List<Block> got = new ArrayList<>();
      boolean retry = false;
      for (BlockMeta m : visible(tenant, mint, maxt, coveredLocally)) {
        Block b;
        try {
          b = block(m);
        } catch (UncheckedIOException | SdkException e) {
          if (metas != snapshot) {
            retry = true;
            break;
          }
          got.forEach(Block::release);
          throw e;
        }
        if (!b.acquire()) {
          retry = true;
          break;
        }
        got.add(b);
      }
      if (!retry) {
        return got;
      }
      got.forEach(Block::release);
      Thread.onSpinWait();
    }
  }

  /** One tenant's blocks in the bucket over the store's SPI; blocks are held until the querier closes. */
  public Queryable queryable(String tenant) {
    return (mint, maxt) -> {
      List<Block> held = acquire(tenant, mint, maxt, Set.of());
      List<Querier> qs = new ArrayList<>();
      for (Block b : held) {
        qs.add(b.querier(mint, maxt));
      }
      MergeQuerier merged = new MergeQuerier(qs);
      java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
      return new Querier() {
        @Override
        public io.promgate.model.SeriesSet select(boolean sort, io.promgate.model.SelectHints hints,
            List<io.promgate.model.LabelMatcher> matchers) {
          return merged.select(sort, hints, matchers);
        }

        @Override
        public List<String> labelValues(String name, List<io.promgate.model.LabelMatcher> matchers) {
          return merged.labelValues(name, matchers);
        }

        @Override
        public List<String> labelNames(List<io.promgate.model.LabelMatcher> matchers) {
          return merged.labelNames(matchers);
        }

        @Override
        public void close() {
          if (closed.compareAndSet(false, true)) {
            merged.close();
            held.forEach(Block::release);
          }
        }
      };
    };
  }

  private Block block(BlockMeta m) {
    return open.computeIfAbsent(m.ulid(), id -> {
      try {
        Path dir = cacheDir.resolve(id);
        Path index = dir.resolve("index");
        if (!Files.exists(index)) {
          Files.createDirectories(dir);
          Path tmp = dir.resolve("index.tmp");
          Files.deleteIfExists(tmp);
          s3.getObject(GetObjectRequest.builder().bucket(bucket).key(prefix + id + "/index").build(),
              ResponseTransformer.toFile(tmp));
          Files.move(tmp, index, StandardCopyOption.ATOMIC_MOVE);
        }
        List<String> names = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket)
            .prefix(prefix + id + "/chunks/").build()).contents()) {
          names.add(o.key().substring(o.key().lastIndexOf('/') + 1));
          sizes.add(o.size());
        }
        long[] sz = sizes.stream().mapToLong(Long::longValue).toArray();
        return Block.of(m, index, new S3ChunkSource(s3, bucket, prefix + id, names, sz));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open block " + id + " from bucket " + bucket, e);
      }
    });
  }
}
