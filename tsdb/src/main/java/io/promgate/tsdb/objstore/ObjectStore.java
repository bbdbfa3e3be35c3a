package io.promgate.tsdb.objstore;

import java.io.IOException;
import java.nio.file.Path;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code storage.object-store} put together: one S3 client, the {@link BlockShipper} that uploads a
 * tenant's new blocks and the {@link BucketStore} that serves what is in the bucket (index headers cached
 * under {@code cacheDir}). Owned by the store, which closes it.
 */
public final class ObjectStore implements AutoCloseable {
  private final ObjectStoreOptions options;
  private final S3Client s3;
  private final BlockShipper shipper;
  private final BucketStore bucket;

  private ObjectStore(ObjectStoreOptions options, S3Client s3, BlockShipper shipper, BucketStore bucket) {
    this.options = options;
    this.s3 = s3;
    this.shipper = shipper;
    this.bucket = bucket;
  }

  /** Builds the client; touches no network (the first maintenance pass does). */
  public static ObjectStore open(ObjectStoreOptions options, Path cacheDir) throws IOException {
    S3Client s3 = options.newClient();
    try {
      return new ObjectStore(options, s3, new BlockShipper(s3, options.bucket(), options.prefix()),
          new BucketStore(s3, options.bucket(), options.prefix(), cacheDir));
    } catch (IOException | RuntimeException e) {
      s3.close();
      throw e;
    }
  }

  public ObjectStoreOptions options() {
    return options;
  }

  public BlockShipper shipper() {
    return shipper;
  }

  public BucketStore bucket() {
    return bucket;
  }

  @Override
  public void close() {
    s3.close();
  }
}
