package io.promgate.gateway.cache;

import io.promgate.gateway.GatewayContext;
import io.promgate.gateway.GatewayPlugin;
import io.promgate.gateway.GatewayServer;
import io.promgate.gateway.backend.QueryBackend;
import io.promgate.routing.config.PromgateConfig;
import io.vertx.core.Future;
import java.time.Clock;

/**
 * Puts the results cache in front of whatever answers queries: the backend an earlier plugin installed
 * (federation, the bundled store) or, when none did, the one the config implies (the pass-through of a sole
 * upstream). Must therefore start after every plugin that installs a backend: it is listed last in
 * {@code META-INF/services/io.promgate.gateway.GatewayPlugin}. {@code cache.max-bytes: 0} turns it off.
 */
public final class CachePlugin implements GatewayPlugin {
  private final Clock clock;
  private volatile ResultsCache cache;

  public CachePlugin() {
    this(Clock.systemUTC());
  }

  public CachePlugin(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<Void> start(GatewayContext ctx) {
    PromgateConfig.Cache c = ctx.config().cache();
    if (c.maxBytes() <= 0) {
      return Future.succeededFuture();
    }
    QueryBackend inner = ctx.queryBackend()
        .orElseGet(() -> GatewayServer.defaultBackend(ctx.vertx(), ctx.config(), ctx.metrics()));
    cache = new ResultsCache(c.maxBytes(), c.maxFreshness(), c.extent(), clock);
    ctx.queryBackend(new CachingQueryBackend(ctx.vertx(), inner, cache));
    ctx.metrics().register(cache);
    ctx.onWrite(cache::invalidate);
    return Future.succeededFuture();
  }

  /**
   * The cache, for write invalidation ({@link ResultsCache#invalidate}) and tests; null before start or when
   * turned off.
   */
  public ResultsCache cache() {
    return cache;
  }
}
