package io.promgate.gateway.backend.prometheus;

/**
 * How raw data is read from a Prometheus-compatible backend.
 * <ul>
 *   <li>{@code REMOTE_READ}: {@code /api/v1/read} with streamed XOR chunks (or SAMPLES, whichever the server
 *       answers). Exact: stale markers and every sample as stored.
 *   <li>{@code QUERY}: an instant query of {@code {matchers}[range]} at the end of the sub-range, as promxy
 *       does, for backends without remote read (Thanos Query, VictoriaMetrics). Lossy: the query API drops
 *       stale markers, so a series that ended inside the range keeps being visible for the lookback after
 *       its end when promgate evaluates.
 *   <li>{@code AUTO}: remote read until the backend answers it with 404 or 405, then query for good.
 * </ul>
 */
public enum ReadMode {
  AUTO, REMOTE_READ, QUERY;

  /** The mode a backend's {@code read:} names. */
  public static ReadMode of(io.promgate.routing.config.BackendClient.ReadMethod m) {
    return switch (m) {
      case AUTO -> AUTO;
      case REMOTE_READ -> REMOTE_READ;
      case QUERY -> QUERY;
    };
  }
}
