package io.promgate.tsdb;

import java.time.Duration;

/**
 * Settings of the bundled store.
 *
 * @param headWindow {@code storage.head-window}: samples older than the tenant's newest sample minus this
 *     are rejected as too old (Prometheus' out-of-bounds rule)
 * @param maxSeriesPerTenant active series limit per tenant, 0 for none
 * @param walSegmentBytes size at which a WAL segment is closed and the next one started
 */
public record StorageOptions(Duration headWindow, int maxSeriesPerTenant, long walSegmentBytes) {
  public static final StorageOptions DEFAULT = new StorageOptions(Duration.ofHours(4), 0, 128L << 20);

  public StorageOptions {
    if (headWindow.isNegative() || headWindow.isZero()) {
      throw new IllegalArgumentException("storage.head-window must be positive, got " + headWindow);
    }
    if (maxSeriesPerTenant < 0) {
      throw new IllegalArgumentException("max series per tenant must be >= 0, got " + maxSeriesPerTenant);
    }
    if (walSegmentBytes < 4096) {
      throw new IllegalArgumentException("WAL segment size must be at least 4096 bytes, got " + walSegmentBytes);
    }
  }

  public StorageOptions withHeadWindow(Duration d) {
    return new StorageOptions(d, maxSeriesPerTenant, walSegmentBytes);
  }

  public StorageOptions withMaxSeriesPerTenant(int n) {
    return new StorageOptions(headWindow, n, walSegmentBytes);
  }

  public StorageOptions withWalSegmentBytes(long n) {
    return new StorageOptions(headWindow, maxSeriesPerTenant, n);
  }
}
