package io.promgate.tsdb.objstore;

import io.promgate.model.Querier;
import io.promgate.model.Queryable;
import io.promgate.tsdb.block.Block;
import io.promgate.tsdb.block.BlockMeta;
import io.promgate.tsdb.query.MergeQuerier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * <p>Rejected: downloading whole blocks (chunks are most of the bytes and most queries read a sliver) and
 * Thanos' binary index-header (smaller, but a second format to maintain; the v2 index reader we have
 * already loads only the TOC, sampled symbols and the postings offset table).
 */
public final class BucketStore {
  private static final Logger LOG = LoggerFactory.getLogger(BucketStore.class);

  private final S3Client s3;
  private final String bucket;
  private final Path cacheDir;
  private volatile List<BlockMeta> metas = List.of();
  private final Map<String, Block> open = new ConcurrentHashMap<>();

  public BucketStore(S3Client s3, String bucket, Path cacheDir) throws IOException {
    this.s3 = s3;
    this.bucket = bucket;
    this.cacheDir = cacheDir;
    Files.createDirectories(cacheDir);
  }

  /** Re-reads the list of blocks in the bucket; blocks without meta.json (partial uploads) are ignored. */
  public synchronized int sync() {
    List<BlockMeta> found = new ArrayList<>();
    String token = null;
    do {
      ListObjectsV2Response r = s3.listObjectsV2(ListObjectsV2Request.builder().bucket(bucket).delimiter("/")
          .continuationToken(token).build());
      for (CommonPrefix p : r.commonPrefixes()) {
        String ulid = p.prefix().substring(0, p.prefix().length() - 1);
        try {
          String json = s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(ulid + "/meta.json").build())
              .asString(StandardCharsets.UTF_8);
          found.add(BlockMeta.fromJson(json));
        } catch (NoSuchKeyException e) {
          LOG.debug("bucket {}: {} has no meta.json yet", bucket, ulid);
        }
      }
      token = r.isTruncated() ? r.nextContinuationToken() : null;
    } while (token != null);
    found.sort(Comparator.comparingLong(BlockMeta::minTime));
    metas = List.copyOf(found);
    open.keySet().retainAll(found.stream().map(BlockMeta::ulid).toList());
    return found.size();
  }

  /** Block metas known from the last sync. */
  public List<BlockMeta> blocks() {
    return metas;
  }

  /** One tenant's blocks in the bucket over the store's SPI. */
  public Queryable queryable(String tenant) {
    return (mint, maxt) -> {
      List<Querier> qs = new ArrayList<>();
      for (BlockMeta m : metas) {
        if (tenant.equals(m.externalLabels().get("tenant_id")) && m.minTime() <= maxt && m.maxTime() > mint) {
          qs.add(block(m).querier(mint, maxt));
        }
      }
      return new MergeQuerier(qs);
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
          s3.getObject(GetObjectRequest.builder().bucket(bucket).key(id + "/index").build(),
              ResponseTransformer.toFile(tmp));
          Files.move(tmp, index, StandardCopyOption.ATOMIC_MOVE);
        }
        List<String> names = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket)
            .prefix(id + "/chunks/").build()).contents()) {
          names.add(o.key().substring(o.key().lastIndexOf('/') + 1));
          sizes.add(o.size());
        }
        long[] sz = sizes.stream().mapToLong(Long::longValue).toArray();
        return Block.of(m, index, new S3ChunkSource(s3, bucket, id, names, sz));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open block " + id + " from bucket " + bucket, e);
      }
    });
  }
}
