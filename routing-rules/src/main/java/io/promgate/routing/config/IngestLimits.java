package io.promgate.routing.config;

/**
 * Per-tenant limits on remote write ({@code tenancy.limits}), named as in Mimir; 0 means no limit.
 *
 * @param ingestionRate samples per second (token bucket refill); over it a request gets 429
 * @param ingestionBurstSize bucket size in samples; 0 means one second's worth of {@code ingestionRate}
 * @param maxLabelNamesPerSeries label names of one series, {@code __name__} included; more gets 400
 * @param maxLabelNameLength longest label name in UTF-8 bytes; longer gets 400
 * @param maxLabelValueLength longest label value in UTF-8 bytes; longer gets 400
 */
public record IngestLimits(double ingestionRate, long ingestionBurstSize, int maxLabelNamesPerSeries,
    int maxLabelNameLength, int maxLabelValueLength) {
  public static final IngestLimits NONE = new IngestLimits(0, 0, 0, 0, 0);

  public IngestLimits {
    if (ingestionRate < 0 || ingestionBurstSize < 0 || maxLabelNamesPerSeries < 0 || maxLabelNameLength < 0
        || maxLabelValueLength < 0) {
      throw new IllegalArgumentException("ingest limits must be >= 0");
    }
  }

  /** Bucket size actually used: the configured burst, at least one second's worth of the rate. */
  public double effectiveBurst() {
    return Math.max(ingestionBurstSize, ingestionRate);
  }

  public boolean limitsLabels() {
    return maxLabelNamesPerSeries > 0 || maxLabelNameLength > 0 || maxLabelValueLength > 0;
  }
}
