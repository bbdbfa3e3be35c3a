package io.promgate.tsdb;

import java.time.Duration;
import java.util.Map;

/**
 * Settings of the bundled store's blocks.
 *
 * @param blockDuration {@code storage.block-duration} (default 2h): range of the blocks cut from the head;
 *     compaction makes blocks of 3x, 9x and 27x this range, as Prometheus' exponential block ranges
 * @param retention {@code storage.retention} (default 15d, Prometheus' default; zero keeps everything):
 *     a block is deleted once its maxTime is more than this before the newer of "now" and the tenant's
 *     newest block
 * @param retentionBytes {@code storage.retention-size} (0 for none): per tenant, the oldest blocks are
 *     deleted while blocks plus WAL take more than this
 * @param externalLabels labels every block of every tenant carries in meta.json (Thanos external labels);
 *     {@code tenant_id} is added per tenant
 */
public record BlockOptions(Duration blockDuration, Duration retention, long retentionBytes,
    Map<String, String> externalLabels) {
  public static final BlockOptions DEFAULT = new BlockOptions(Duration.ofHours(2), Duration.ofDays(15), 0, Map.of());

  public BlockOptions {
    if (blockDuration.toMillis() <= 0) {
      throw new IllegalArgumentException("storage.block-duration must be positive, got " + blockDuration);
    }
    if (retention.isNegative()) {
      throw new IllegalArgumentException("storage.retention must not be negative, got " + retention);
    }
    if (retentionBytes < 0) {
      throw new IllegalArgumentException("storage.retention-size must not be negative, got " + retentionBytes);
    }
    externalLabels = Map.copyOf(externalLabels);
  }

  public BlockOptions withBlockDuration(Duration d) {
    return new BlockOptions(d, retention, retentionBytes, externalLabels);
  }

  public BlockOptions withRetention(Duration d) {
    return new BlockOptions(blockDuration, d, retentionBytes, externalLabels);
  }

  public BlockOptions withRetentionBytes(long b) {
    return new BlockOptions(blockDuration, retention, b, externalLabels);
  }

  public BlockOptions withExternalLabels(Map<String, String> l) {
    return new BlockOptions(blockDuration, retention, retentionBytes, l);
  }

  /** Compaction ranges in ms: 1x, 3x, 9x, 27x the block duration, capped at a tenth of the retention. */
  public long[] compactionRanges() {
    long d = blockDuration.toMillis();
    long cap = retention.isZero() ? Long.MAX_VALUE : Math.max(d, retention.toMillis() / 10);
    long[] r = {d, 3 * d, 9 * d, 27 * d};
    int n = 0;
    while (n < r.length && r[n] <= cap) {
      n++;
    }
    return java.util.Arrays.copyOf(r, Math.max(1, n));
  }
}
