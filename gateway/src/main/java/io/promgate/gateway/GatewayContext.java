package io.promgate.gateway;

import io.promgate.gateway.backend.QueryBackend;
import io.promgate.gateway.http.RouteHandler;
import io.promgate.gateway.write.WriteListener;
import io.promgate.gateway.metrics.SelfMetrics;
import io.promgate.routing.config.PromgateConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** What a {@link GatewayPlugin} may see and change while the gateway starts. Not thread-safe: start-up only. */
public final class GatewayContext {
  private final Vertx vertx;
  private final PromgateConfig config;
  private final SelfMetrics metrics;
  private QueryBackend queryBackend;
  private LocalStore localStore;
  private final Map<String, Route> routes = new LinkedHashMap<>();
  private final List<Supplier<Future<Void>>> closeHooks = new ArrayList<>();
  private final List<WriteListener> writeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** A registered endpoint; {@code write} routes resolve the tenant for writing (issue 12's grants). */
  public record Route(RouteHandler handler, boolean write) {}

  GatewayContext(Vertx vertx, PromgateConfig config, SelfMetrics metrics) {
    this.vertx = vertx;
    this.config = config;
    this.metrics = metrics;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The effective configuration (file + command-line overrides), already validated. */
  public PromgateConfig config() {
    return config;
  }

  /** Self metrics; add families with {@link SelfMetrics#register}. */
  public SelfMetrics metrics() {
    return metrics;
  }

  /** Installs what answers the read API (replaces the default chosen from the config). */
  public GatewayContext queryBackend(QueryBackend backend) {
    this.queryBackend = backend;
    return this;
  }

  public Optional<QueryBackend> queryBackend() {
    return Optional.ofNullable(queryBackend);
  }

  /**
   * Publishes the bundled store for {@code type: local} backends. The store plugin calls it during its
   * start; plugins listed after it in {@code META-INF/services} (federation) read it in theirs.
   */
  public GatewayContext localStore(LocalStore store) {
    this.localStore = store;
    return this;
  }

  /** The bundled store, when a plugin started before this one opened it. */
  public Optional<LocalStore> localStore() {
    return Optional.ofNullable(localStore);
  }

  /**
   * Serves {@code apiPath} (exact, after tenant/{@code /prometheus} prefixes, e.g. {@code /api/v1/write})
   * with {@code handler}; takes precedence over the built-in handling of that path.
   */
  public GatewayContext route(String apiPath, boolean write, RouteHandler handler) {
    routes.put(apiPath, new Route(handler, write));
    return this;
  }

  /**
   * Asks to be told of every span of samples the bundled store accepts (the results cache drops answers a
   * late write changes). Listeners may register after the store plugin started: {@link #writeListener} reads
   * the list at each write.
   */
  public GatewayContext onWrite(WriteListener listener) {
    writeListeners.add(listener);
    return this;
  }

  /** What the write path calls after a durable append: every listener registered, now or later. */
  public WriteListener writeListener() {
    return (tenant, mint, maxt) -> {
      for (WriteListener l : writeListeners) {
        l.written(tenant, mint, maxt);
      }
    };
  }

  /** Run at shutdown, in reverse order of registration (stop a gRPC server, flush a store). */
  public GatewayContext onClose(Supplier<Future<Void>> hook) {
    closeHooks.add(hook);
    return this;
  }

  Map<String, Route> routes() {
    return Map.copyOf(routes);
  }

  List<Supplier<Future<Void>>> closeHooks() {
    return closeHooks;
  }
}
