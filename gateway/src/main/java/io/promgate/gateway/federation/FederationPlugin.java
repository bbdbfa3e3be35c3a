package io.promgate.gateway.federation;

import io.promgate.gateway.GatewayContext;
import io.promgate.gateway.GatewayPlugin;
import io.promgate.gateway.backend.PrometheusProxyBackend;
import io.promgate.gateway.backend.QueryBackend;
import io.promgate.gateway.backend.prometheus.ReadMode;
import io.promgate.model.Queryable;
import io.promgate.promql.engine.Engine;
import io.promgate.routing.config.BackendConfig;
import io.promgate.routing.config.PromgateConfig;
import io.promgate.routing.plan.TimeRangePlanner;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Installs the {@link FederatedBackend} when the config is more than one plain upstream (several
 * backends, a {@code storeapi} or {@code local} backend, or external labels): builds one
 * {@link BackendStore} and one guard per backend, the planner, and pass-throughs for pushdown.
 *
 * <p>{@code local} backends read the bundled store through {@code localStore} (tenant to Queryable); the
 * store's own plugin ({@code io.promgate.gateway.store.StorePlugin}) opens it and publishes it with
 * {@link GatewayContext#localStore}, which the no-argument constructor (ServiceLoader) uses; an explicit
 * {@code localStore} (tests) wins.
 */
public final class FederationPlugin implements GatewayPlugin {
  private final GuardOptions guardOptions;
  private final ReadMode readMode;
  private final Function<String, Queryable> localStore;
  private final Clock clock;
  private volatile FederatedBackend installed;
  private volatile GuardRegistry guards;

  /** Each backend with its configured {@code read:}, {@code breaker:} and {@code bulkhead:}. */
  public FederationPlugin() {
    this(null, null, null, Clock.systemUTC());
  }

  /**
   * @param guardOptions breaker and bulkhead for every backend, or null for each backend's config
   * @param readMode read mode for every {@code prometheus} backend, or null for each backend's {@code read:}
   */
  public FederationPlugin(GuardOptions guardOptions, ReadMode readMode, Function<String, Queryable> localStore,
      Clock clock) {
    this.guardOptions = guardOptions;
    this.readMode = readMode;
    this.localStore = localStore;
    this.clock = clock;
  }

  /** Whether this config needs federation rather than the plain pass-through of one upstream. */
  public static boolean applies(PromgateConfig c) {
    if (c.backends().isEmpty()) {
      return false;
    }
    return c.soleUpstream().map(p -> !p.externalLabels().isEmpty()).orElse(true);
  }

  @Override
  public Future<Void> start(GatewayContext ctx) {
    PromgateConfig c = ctx.config();
    if (!applies(c) || ctx.queryBackend().isPresent()) {
      return Future.succeededFuture();
    }
    if (localStore == null && ctx.localStore().isEmpty() && c.backends().values().stream().allMatch(b -> b instanceof BackendConfig.Local)) {
      // Only the bundled store, and neither the constructor nor the store plugin handed it to us: leave the read API to the store's own backend
      // (or the edge's "no query backend" answer) rather than answering every query with an empty result.
      return Future.succeededFuture();
    }
    String tenantHeader = c.tenancy().upstreamHeader();
    BackendStores built = BackendStores.of(ctx, c, readMode, localStore);
    Map<String, BackendStore> stores = built.stores();
    Map<String, QueryBackend> passThrough = new LinkedHashMap<>();
    for (BackendConfig b : c.backends().values()) {
      if (b instanceof BackendConfig.Prometheus p) {
        passThrough.put(p.name(), new PrometheusProxyBackend(ctx.vertx(), p, tenantHeader, ctx.metrics(),
            Integer.getInteger("promgate.upstreamPoolSize", 64)));
      }
    }
    guards = guardOptions == null ? new GuardRegistry(ctx.vertx()) : new GuardRegistry(ctx.vertx(), guardOptions);
    ctx.metrics().register(guards);
    TimeRangePlanner planner = TimeRangePlanner.of(c, clock);
    FederatedQueryable fq = new FederatedQueryable(planner, stores, c.backends(), guards);
    MetadataFederation meta = new MetadataFederation(planner, stores, c.backends(), fq);
    Duration lookback = Duration.ofMinutes(5);
    Engine engine = Engine.builder().lookbackDelta(lookback).build();
    installed = new FederatedBackend(ctx.vertx(), fq, c.backends(), passThrough, meta, engine, lookback.toMillis(),
        c.dedup().replicaLabels(), c.partialResponse(), clock, c.tenancy().limits());
    ctx.queryBackend(installed);
    ctx.onClose(() -> {
      Future<Void> f = Future.succeededFuture();
      for (QueryBackend q : passThrough.values()) {
        f = f.eventually(q::close);
      }
      return f;
    });
    return built.started();
  }

  /** The guards, for tests and explain (null before start or when federation does not apply). */
  public GuardRegistry guards() {
    return guards;
  }
}
