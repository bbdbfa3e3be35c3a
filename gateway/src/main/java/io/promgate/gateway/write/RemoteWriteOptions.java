package io.promgate.gateway.write;

import io.promgate.routing.config.IngestLimits;
import io.promgate.routing.config.SecurityConfig;

/**
 * Limits of the remote-write receiver.
 *
 * @param maxDecodedBytes largest decoded (uncompressed) request accepted; larger gets 413. Checked from the
 *     snappy header before decoding, so a small body cannot make us allocate a huge buffer
 * @param limits {@code tenancy.limits}: per-tenant ingestion rate and burst (429 above them) and label
 *     limits (400); the query limits in it are not used here
 */
public record RemoteWriteOptions(long maxDecodedBytes, SecurityConfig.Limits limits) {
  public static final RemoteWriteOptions DEFAULT = new RemoteWriteOptions(32L << 20, SecurityConfig.Limits.NONE);

  public RemoteWriteOptions {
    if (maxDecodedBytes <= 0) {
      throw new IllegalArgumentException("max decoded request size must be positive, got " + maxDecodedBytes);
    }
  }

  /** Every tenant limited to {@code perSecond} samples/s with a bucket of {@code burst} samples. */
  public RemoteWriteOptions withRateLimit(double perSecond, long burst) {
    IngestLimits d = limits.ingestDefaults();
    return withLimits(limits.withIngestDefaults(new IngestLimits(perSecond, burst, d.maxLabelNamesPerSeries(),
        d.maxLabelNameLength(), d.maxLabelValueLength())));
  }

  public RemoteWriteOptions withMaxDecodedBytes(long bytes) {
    return new RemoteWriteOptions(bytes, limits);
  }

  public RemoteWriteOptions withLimits(SecurityConfig.Limits l) {
    return new RemoteWriteOptions(maxDecodedBytes, l);
  }
}
