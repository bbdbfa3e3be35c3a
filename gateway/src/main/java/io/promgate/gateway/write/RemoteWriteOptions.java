package io.promgate.gateway.write;

/**
 * Limits of the remote-write receiver.
 *
 * @param maxDecodedBytes largest decoded (uncompressed) request accepted; larger gets 413. Checked from the
 *     snappy header before decoding, so a small body cannot make us allocate a huge buffer
 * @param samplesPerSecond per-tenant ingest rate (token bucket refill), 0 for unlimited
 * @param burstSamples bucket size; a request larger than the burst passes only when the bucket is full
 */
public record RemoteWriteOptions(long maxDecodedBytes, double samplesPerSecond, long burstSamples) {
  public static final RemoteWriteOptions DEFAULT = new RemoteWriteOptions(32L << 20, 0, 0);

  public RemoteWriteOptions {
    if (maxDecodedBytes <= 0) {
      throw new IllegalArgumentException("max decoded request size must be positive, got " + maxDecodedBytes);
    }
    if (samplesPerSecond < 0 || burstSamples < 0) {
      throw new IllegalArgumentException("ingest rate and burst must be >= 0");
    }
  }

  public RemoteWriteOptions withRateLimit(double perSecond, long burst) {
    return new RemoteWriteOptions(maxDecodedBytes, perSecond, burst);
  }

  public RemoteWriteOptions withMaxDecodedBytes(long bytes) {
    return new RemoteWriteOptions(bytes, samplesPerSecond, burstSamples);
  }
}
