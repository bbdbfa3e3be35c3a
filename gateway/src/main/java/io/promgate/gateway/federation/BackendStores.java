package io.promgate.gateway.federation;

import io.promgate.gateway.GatewayContext;
import io.promgate.gateway.backend.prometheus.PrometheusStore;
import io.promgate.gateway.backend.prometheus.ReadMode;
import io.promgate.model.Queryable;
import io.promgate.model.StorageException;
import io.promgate.routing.config.BackendConfig;
import io.promgate.routing.config.PromgateConfig;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One {@link BackendStore} per configured backend, in config order: what the federation reads and what
 * explain diagnoses are the same stores. A {@code storeapi} store is started (on a worker: TLS files);
 * {@link #started} completes when all are, and never fails (a store that could not start fails its calls).
 *
 * @param stores by backend name
 */
public record BackendStores(Map<String, BackendStore> stores, Future<Void> started) {
  /**
   * @param readMode read mode for every {@code prometheus} backend, or null for each backend's {@code read:}
   * @param localStore the bundled store per tenant for {@code local} backends, or null for the one the
   *     store plugin published in {@code ctx}
   */
  public static BackendStores of(GatewayContext ctx, PromgateConfig c, ReadMode readMode,
      Function<String, Queryable> localStore) {
    String tenantHeader = c.tenancy().upstreamHeader();
    Map<String, BackendStore> stores = new LinkedHashMap<>();
    List<Future<Void>> starting = new ArrayList<>();
    for (BackendConfig b : c.backends().values()) {
      if (b instanceof BackendConfig.Prometheus p) {
        stores.put(p.name(), readMode == null ? new PrometheusStore(ctx.vertx(), p, tenantHeader)
            : new PrometheusStore(ctx.vertx(), p, tenantHeader, readMode));
      } else if (b instanceof BackendConfig.StoreApi s) {
        StoreApiStore store = new StoreApiStore(ctx.vertx(), s);
        starting.add(store.start());
        stores.put(s.name(), store);
      } else if (b instanceof BackendConfig.Local l) {
        // The store plugin (listed before federation and explain) publishes the bundled store in the context.
        var published = ctx.localStore();
        Function<String, Queryable> local = localStore != null ? localStore
            : published.isPresent() ? published.get()::queryable : tenant -> {
              throw new StorageException("the bundled store is not open (no storage: section, or it failed to start)");
            };
        stores.put(l.name(), new QueryableStore(l.name(), ctx.vertx(), local, published.orElse(null)));
      }
    }
    return new BackendStores(stores, Future.all(starting).mapEmpty());
  }
}
