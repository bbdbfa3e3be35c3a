package io.promgate.gateway.http;

import io.promgate.tenant.TenantSet;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

/**
 * An extra endpoint registered by a {@link io.promgate.gateway.GatewayPlugin} (remote write, remote read,
 * explain, UI). The tenant is already resolved (and authorised, with {@code write} for write routes); the
 * handler writes the whole response and completes the future when done. A failed future is answered with
 * the Prometheus error envelope (an {@link ApiException} keeps its type, anything else is {@code internal}).
 */
@FunctionalInterface
public interface RouteHandler {
  Future<Void> handle(HttpServerRequest request, TenantSet tenants, String apiPath);
}
