package io.promgate.gateway;

import io.promgate.model.Queryable;
import io.vertx.core.json.JsonObject;

/**
 * The bundled store as the read path sees it: published by the store plugin through
 * {@link GatewayContext#localStore(LocalStore)} and read by whatever serves {@code type: local} backends
 * (federation). It exists so the plugin that owns the store's lifecycle and the plugin that evaluates
 * queries need not know each other. Both methods may block (disk): call them on a worker.
 */
public interface LocalStore {
  /** One tenant's data; an empty store for a tenant that never wrote, never null. */
  Queryable queryable(String tenant);

  /**
   * The {@code data} object of {@code /api/v1/metadata} for a tenant: metric name → list of
   * {@code {type, help, unit}}; {@code metric} null for all, {@code limit} negative for no limit (Prometheus: {@code limit=0} returns nothing).
   */
  JsonObject metricMetadata(String tenant, String metric, int limit);
}
