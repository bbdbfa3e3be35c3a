package io.promgate.gateway.backend;

import io.vertx.core.Future;

/**
 * What answers the Prometheus read API. The HTTP edge resolves the tenant, classifies the endpoint and
 * calls one method; failures are {@link io.promgate.gateway.http.ApiException}s mapped to the Prometheus
 * error envelope in one place.
 *
 * <p>Implementations: {@link PrometheusProxyBackend} (one upstream serves everything: pass-through,
 * streaming) and {@link UnconfiguredBackend} (nothing configured: 503). The local engine over the bundled
 * store and federated backends implement the same interface and are installed through
 * {@link io.promgate.gateway.GatewayContext#queryBackend(QueryBackend)}.
 *
 * <p>Methods run on the event loop and must not block: evaluate on a worker and complete the future.
 */
public interface QueryBackend {
  /** {@code /api/v1/query}: params {@code query}, {@code time}, {@code timeout}, {@code limit}... */
  Future<ApiResponse> instantQuery(ApiRequest request);

  /** {@code /api/v1/query_range}: params {@code query}, {@code start}, {@code end}, {@code step}... */
  Future<ApiResponse> rangeQuery(ApiRequest request);

  /** {@code /api/v1/series}: {@code match[]}, {@code start}, {@code end}, {@code limit}. */
  Future<ApiResponse> series(ApiRequest request);

  /** {@code /api/v1/labels}: optional {@code match[]}, {@code start}, {@code end}, {@code limit}. */
  Future<ApiResponse> labels(ApiRequest request);

  /** {@code /api/v1/label/<name>/values}; {@code name} is URL-decoded (may be {@code U__}-escaped as in Prometheus 3). */
  Future<ApiResponse> labelValues(ApiRequest request, String name);

  /** {@code /api/v1/metadata}. */
  Future<ApiResponse> metadata(ApiRequest request);

  /**
   * Every other read endpoint ({@code query_exemplars}, {@code rules}, {@code alerts}, {@code targets},
   * {@code status/*}, {@code federate}, {@code format_query}...). A local backend answers what it can and an
   * empty success for rules/alerts/targets (Grafana calls them; never 404).
   */
  Future<ApiResponse> other(ApiRequest request);

  /** For {@code /-/ready}: completes with true when the backend can answer queries now. */
  Future<Boolean> ready();

  /** A short description for logs and the start-up line. */
  String describe();

  /** Releases connections; called once on shutdown. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
