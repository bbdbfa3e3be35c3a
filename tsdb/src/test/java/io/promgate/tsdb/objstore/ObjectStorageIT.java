package io.promgate.tsdb.objstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.tsdb.BlockOptions;
import io.promgate.tsdb.BlockTestData;
import io.promgate.tsdb.SeriesSamples;
import io.promgate.tsdb.Storage;
import io.promgate.tsdb.StorageOptions;
import io.promgate.tsdb.block.BlockMeta;
import io.promgate.tsdb.block.BlockWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blocks go to an S3 API server (s3proxy) in Thanos' layout and are served back from the bucket alone:
 * write, cut, upload, then delete the local store entirely and read the old data through
 * {@link BucketStore} (index downloaded to a cache, chunks by ranged GETs), per tenant.
 */
class ObjectStorageIT {
  static final long H = 3600_000L;
  static final long T0 = BlockTestData.T0;

  @TempDir
  Path dir;

  @Test
  void uploadedBlocksAreServedFromTheBucketAfterTheLocalStoreIsGone() throws Exception {
    try (S3ProxyServer server = S3ProxyServer.start(dir)) {
      ObjectStoreOptions o = new ObjectStoreOptions("promgate-blocks", server.endpoint, "", S3ProxyServer.ACCESS,
          S3ProxyServer.SECRET, true);
      Map<String, TreeMap<Long, Double>> expectedA = new TreeMap<>();
      Map<String, TreeMap<Long, Double>> expectedB = new TreeMap<>();
      long persistedEnd;
      try (S3Client s3 = o.newClient()) {
        s3.createBucket(b -> b.bucket(o.bucket()));
        Path root = dir.resolve("store");
        try (Storage s = Storage.open(root, StorageOptions.DEFAULT.withHeadWindow(Duration.ofHours(1)),
            BlockOptions.DEFAULT, Clock.fixed(Instant.ofEpochMilli(T0), ZoneOffset.UTC))) {
          s.uploadTo(new BlockShipper(s3, o.bucket()));
          new BlockTestData(20, 1).write(s, "a", T0, T0 + 9 * H, null);
          new BlockTestData(7, 2).write(s, "b", T0, T0 + 5 * H, null);
          s.runMaintenance();
          // a: blocks 0-2, 2-4, 4-6 cut; 0-6 compacted locally only after upload of its sources
          assertThat(s.blocks("a")).isNotEmpty();
          persistedEnd = s.blocks("a").get(s.blocks("a").size() - 1).meta().maxTime();
          assertThat(persistedEnd).isEqualTo(T0 + 6 * H);
          expectedA.putAll(BlockTestData.readAll(s.queryable("a"), Long.MIN_VALUE, persistedEnd - 1));
          expectedB.putAll(BlockTestData.readAll(s.queryable("b"), Long.MIN_VALUE, T0 + 2 * H - 1));
          assertThat(BlockShipper.uploaded(root.resolve("a"))).hasSize(3);
        }
        TreeSet<String> keys = new TreeSet<>();
        for (S3Object obj : s3.listObjectsV2Paginator(b -> b.bucket(o.bucket())).contents()) {
          keys.add(obj.key());
        }
        assertThat(keys).hasSize(4 * 3);
        assertThat(keys).allMatch(k -> k.matches("[0-9A-Z]{26}/(meta\\.json|index|chunks/000001)"));
        BlockWriter.deleteRecursively(root); // the local store is gone
      }

      // "Restart": a fresh client and an empty cache directory.
      try (S3Client s3 = o.newClient()) {
        BucketStore store = new BucketStore(s3, o.bucket(), dir.resolve("cache"));
        assertThat(store.sync()).isEqualTo(4);
        assertThat(store.blocks()).allSatisfy(m -> assertThat(m.level()).isEqualTo(1));
        assertThat(store.blocks().stream().map(BlockMeta::externalLabels).map(l -> l.get("tenant_id")))
            .containsExactlyInAnyOrder("a", "a", "a", "b");
        Map<String, TreeMap<Long, Double>> fromBucket = BlockTestData.readAll(store.queryable("a"), Long.MIN_VALUE,
            Long.MAX_VALUE);
        assertThat(fromBucket).isEqualTo(expectedA);
        assertThat(fromBucket.values().stream().mapToInt(Map::size).sum()).isEqualTo(20 * 6 * 240);
        assertThat(BlockTestData.readAll(store.queryable("b"), Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(expectedB);
        assertThat(BlockTestData.readAll(store.queryable("c"), Long.MIN_VALUE, Long.MAX_VALUE)).isEmpty();
        // A narrow range reads only what it needs, from the cached index and ranged chunk reads.
        Map<String, TreeMap<Long, Double>> slice = BlockTestData.readAll(store.queryable("a"), T0 + 3 * H, T0 + 3 * H + 60_000);
        assertThat(slice).hasSize(20).allSatisfy((k, v) -> assertThat(v).hasSize(5));
        try (var cached = Files.walk(dir.resolve("cache"))) {
          assertThat(cached.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
              .containsOnly("index");
        }
        assertThat(store.queryable("a").querier(T0, T0 + H).labelValues("job", List.of())).hasSize(5);
      }
    }
  }

  /**
   * Local retention hands blocks over to the bucket: while the bucket is missing nothing expired is deleted
   * (not uploaded), once it exists the expired blocks are uploaded, listed, then deleted locally (only after
   * a querier holding them closes), and every sample stays readable through the store, after a restart
   * with an empty index cache too; keys live under the configured prefix.
   */
  @Test
  void retentionDeletesLocalBlocksOnlyOnceTheBucketServesThem() throws Exception {
    try (S3ProxyServer server = S3ProxyServer.start(dir)) {
      ObjectStoreOptions o = new ObjectStoreOptions("later", server.endpoint, "", S3ProxyServer.ACCESS,
          S3ProxyServer.SECRET, true, "/tenants/blocks/");
      long[] now = {T0 + 10 * H};
      Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return Instant.ofEpochMilli(now[0]);
        }
      };
      Path root = dir.resolve("store");
      StorageOptions so = StorageOptions.DEFAULT.withHeadWindow(Duration.ofHours(1));
      BlockOptions bo = BlockOptions.DEFAULT.withRetention(Duration.ofHours(3));
      Map<String, TreeMap<Long, Double>> expected = new TreeMap<>();
      try (Storage s = Storage.open(root, so, bo, clock)) {
        s.useObjectStore(ObjectStore.open(o, dir.resolve("cache")));
        new BlockTestData(10, 3).write(s, "a", T0, T0 + 10 * H, expected);
        s.runMaintenance(); // cuts 0-2 .. 6-8; 0-2, 2-4, 4-6 expired but the bucket does not exist
        assertThat(s.blocks("a")).hasSize(4);
        assertThat(BlockShipper.uploaded(root.resolve("a"))).isEmpty();

        try (S3Client s3 = o.newClient()) {
          s3.createBucket(b -> b.bucket(o.bucket()));
        }
        List<io.promgate.tsdb.block.Block> local = s.blocks("a");
        io.promgate.model.Querier held = s.queryable("a").querier(T0, T0 + H);
        held.labelNames(List.of()); // holds block 0-2
        s.runMaintenance();
        assertThat(s.blocks("a")).extracting(b -> (b.meta().minTime() - T0) / H).containsExactly(6L);
        assertThat(s.bucketBlocks("a")).hasSize(4);
        assertThat(Files.exists(local.get(0).dir())).as("held by a querier").isTrue();
        assertThat(Files.exists(local.get(1).dir())).isFalse();
        held.close();
        s.runMaintenance();
        assertThat(Files.exists(local.get(0).dir())).isFalse();
        assertThat(BlockTestData.readAll(s.queryable("a"), Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(expected);
      }
      try (S3Client s3 = o.newClient()) {
        assertThat(s3.listObjectsV2Paginator(b -> b.bucket(o.bucket())).contents())
            .allMatch(obj -> obj.key().startsWith("tenants/blocks/")).hasSize(4 * 3);
      }
      BlockWriter.deleteRecursively(dir.resolve("cache"));
      try (Storage s = Storage.open(root, so, bo, clock)) {
        s.useObjectStore(ObjectStore.open(o, dir.resolve("cache")));
        s.syncBucket();
        assertThat(BlockTestData.readAll(s.queryable("a"), Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(expected);
        assertThat(BlockTestData.readAll(s.queryable("a"), T0, T0 + 6 * H - 1))
            .allSatisfy((k, v) -> assertThat(v).hasSize(6 * 240));
      }
      BlockWriter.deleteRecursively(root); // a new disk: the bucket alone still answers for the old data
      try (Storage s = Storage.open(root, so, bo, clock)) {
        s.useObjectStore(ObjectStore.open(o, dir.resolve("cache")));
        s.syncBucket();
        assertThat(s.tenants()).containsExactly("a");
        Map<String, TreeMap<Long, Double>> old = BlockTestData.readAll(s.queryable("a"), Long.MIN_VALUE,
            Long.MAX_VALUE);
        assertThat(old.values().stream().mapToInt(Map::size).sum()).isEqualTo(10 * 8 * 240);
        assertThat(s.selectChunks("a", T0, T0 + 8 * H, List.of(io.promgate.model.LabelMatcher.of(
            io.promgate.model.LabelMatcher.Type.RE, "__name__", ".+")))).hasSize(10);
      }
    }
  }

  @Test
  void optionsNeverShowTheSecretKey() {
    assertThat(new ObjectStoreOptions("b", "", "", "AKID", "very-secret", true).toString())
        .doesNotContain("very-secret").contains("AKID");
  }

  @Test
  void optionsAreValidatedEagerly() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ObjectStoreOptions("", "", "", "", "", true))
        .hasMessageContaining("bucket");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ObjectStoreOptions("b", "minio:9000", "", "", "", true))
        .hasMessageContaining("endpoint");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ObjectStoreOptions("b", "", "", "ak", "", true))
        .hasMessageContaining("access-key");
  }
}
