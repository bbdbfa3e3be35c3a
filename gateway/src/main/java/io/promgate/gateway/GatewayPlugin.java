package io.promgate.gateway;

import io.vertx.core.Future;

/**
 * The wiring hook: everything that is not the plain proxy (the bundled store with its write endpoints, the
 * local engine, the gRPC StoreAPI server, federation, explain, UI) plugs in here, so the server code does
 * not change when those parts arrive.
 *
 * <p>Discovery: {@code promgate run} loads every implementation listed in
 * {@code META-INF/services/io.promgate.gateway.GatewayPlugin} (ServiceLoader; the shaded jar merges these
 * files). Tests pass plugins directly to {@link GatewayServer#start}. Plugins start in order, before the
 * HTTP port opens; each inspects {@link GatewayContext#config()} and does nothing when its part is not
 * configured (e.g. a store plugin when {@code storage} is empty, as with {@code --upstream}).
 */
public interface GatewayPlugin {
  /** Called once at start-up on a Vert.x context; may install a query backend, routes, servers, metrics. */
  Future<Void> start(GatewayContext context);
}
