package io.promgate.tenant;

/** The outcome of {@link TenantResolver#resolve}: a tenant set and the API path, or a rejection. */
public sealed interface TenantResolution {
  /**
   * @param apiPath the request path with {@code /tenant/<id>} and {@code /prometheus} prefixes removed,
   *     e.g. {@code /api/v1/query}
   */
  record Resolved(TenantSet tenants, String apiPath, TenantSource source) implements TenantResolution {}

  /**
   * @param status the HTTP status (400, 401, 403)
   * @param errorType the Prometheus envelope's {@code errorType} ({@code bad_data}, {@code unauthorized},
   *     {@code forbidden})
   */
  record Rejected(int status, String errorType, String message) implements TenantResolution {}
}
