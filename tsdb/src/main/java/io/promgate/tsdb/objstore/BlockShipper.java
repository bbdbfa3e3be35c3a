package io.promgate.tsdb.objstore;

import io.promgate.tsdb.block.Block;
import io.promgate.tsdb.block.BlockWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Uploads a tenant's freshly cut blocks to the bucket in Thanos' layout ({@code <ulid>/chunks/000001},
 * {@code <ulid>/index}, then {@code <ulid>/meta.json} last, so a reader that sees meta.json sees a whole
 * block), and remembers what it uploaded in {@code <tenant>/thanos.shipper.json} as Thanos' shipper does.
 *
 * <p>Like Thanos receive, level-1 blocks are uploaded: compaction in the bucket is the Thanos compactor's
 * job, and uploading our locally compacted blocks too would put overlapping blocks there. The exception
 * is a compacted block none of whose sources was uploaded (written before shipping was configured): it is
 * uploaded whole, as Thanos' {@code --shipper.upload-compacted} does, or it could never leave the disk.
 * The tenant is identified by the {@code tenant_id} external label in meta.json, as in Thanos. Keys are
 * under an optional prefix ({@code <prefix>/<ulid>/...}), as Thanos' bucket config {@code prefix}.
 */
public final class BlockShipper {
  private static final Logger LOG = LoggerFactory.getLogger(BlockShipper.class);
  static final String STATE_FILE = "thanos.shipper.json";
  private static final Pattern ULID = Pattern.compile("\"([0-9A-HJKMNP-TV-Z]{26})\"");

  private final S3Client s3;
  private final String bucket;
  private final String prefix;

  public BlockShipper(S3Client s3, String bucket) {
    this(s3, bucket, "");
  }

  public BlockShipper(S3Client s3, String bucket, String prefix) {
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = keyPrefix(prefix);
  }

  /** {@code ""} or {@code "a/b/"}: what goes before {@code <ulid>/} in every key. */
  static String keyPrefix(String prefix) {
    String p = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
    return p.isEmpty() ? "" : p + "/";
  }

  /** Uploads blocks not uploaded yet; returns how many. Stops at the first failure (retried later). */
  public synchronized int ship(Path tenantDir, List<Block> blocks) throws IOException {
    TreeSet<String> uploaded = uploaded(tenantDir);
    int n = 0;
    for (Block b : blocks) {
      if (uploaded.contains(b.meta().ulid())) {
        continue;
      }
      if (b.meta().level() != 1 && b.meta().sources().stream().anyMatch(uploaded::contains)) {
        continue; // its sources are in the bucket already
      }
      upload(b);
      uploaded.add(b.meta().ulid());
      // A compacted block's sources are in the bucket through it; recorded so later compactions of it
      // count as uploaded too.
      uploaded.addAll(b.meta().sources());
      writeState(tenantDir, uploaded);
      n++;
      LOG.info("uploaded block {} to bucket {}", b.meta().ulid(), bucket);
    }
    return n;
  }

  /** ULIDs this tenant has uploaded. */
  public static TreeSet<String> uploaded(Path tenantDir) throws IOException {
    TreeSet<String> out = new TreeSet<>();
    Path f = tenantDir.resolve(STATE_FILE);
    if (Files.exists(f)) {
      Matcher m = ULID.matcher(Files.readString(f, StandardCharsets.UTF_8));
      while (m.find()) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  private void upload(Block b) throws IOException {
    String id = b.meta().ulid();
    List<Path> segments;
    try (Stream<Path> s = Files.list(b.dir().resolve("chunks"))) {
      segments = s.sorted().toList();
    }
    for (Path seg : segments) {
      put(id + "/chunks/" + seg.getFileName(), seg);
    }
    put(id + "/index", b.dir().resolve("index"));
    put(id + "/meta.json", b.dir().resolve("meta.json"));
  }

  private void put(String key, Path file) {
    s3.putObject(PutObjectRequest.builder().bucket(bucket).key(prefix + key).build(), RequestBody.fromFile(file));
  }

  private static void writeState(Path tenantDir, TreeSet<String> uploaded) throws IOException {
    List<String> quoted = new ArrayList<>();
    uploaded.forEach(u -> quoted.add("\"" + u + "\""));
    Path tmp = tenantDir.resolve(STATE_FILE + ".tmp");
    Files.writeString(tmp, "{\n\t\"version\": 1,\n\t\"uploaded\": [" + String.join(", ", quoted) + "]\n}\n");
    Files.move(tmp, tenantDir.resolve(STATE_FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    BlockWriter.fsyncDir(tenantDir);
  }
}
