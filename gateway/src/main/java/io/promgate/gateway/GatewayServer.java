package io.promgate.gateway;

import io.promgate.gateway.backend.PrometheusProxyBackend;
import io.promgate.gateway.backend.QueryBackend;
import io.promgate.gateway.backend.UnconfiguredBackend;
import io.promgate.gateway.http.ApiHandler;
import io.promgate.gateway.metrics.SelfMetrics;
import io.promgate.routing.config.PromgateConfig;
import io.promgate.gateway.security.AccessPolicies;
import io.promgate.gateway.security.QueryLimiter;
import io.promgate.gateway.security.ServerTls;
import io.promgate.routing.config.SecurityConfig;
import io.promgate.tenant.TenantResolver;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Starts promgate's HTTP server: runs the {@link GatewayPlugin}s, picks the query backend (a plugin's, else
 * the sole upstream of the config, else a 503 "no backend" answer), and opens one HTTP server per event loop
 * on the same port (Vert.x balances connections between them).
 *
 * <p>Event loops: {@code -Dpromgate.eventLoops=N}, default half the processors (at least one). Event loops
 * only move bytes (evaluation runs on workers), and promgate usually shares its host with an upstream or a
 * store: on this project's 2-core machine (wrk + Prometheus + proxy, plus background load) one loop reached
 * 0.70–0.99 of nginx's throughput in bench/passthrough.sh runs, two loops 0.53–0.76.
 */
public final class GatewayServer {
  private final Vertx vertx;
  private final boolean ownsVertx;
  private final QueryBackend backend;
  private final List<Supplier<Future<Void>>> closeHooks;
  private final int port;
  private final SelfMetrics metrics;

  private GatewayServer(Vertx vertx, boolean ownsVertx, QueryBackend backend,
      List<Supplier<Future<Void>>> closeHooks, int port, SelfMetrics metrics) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.backend = backend;
    this.closeHooks = closeHooks;
    this.port = port;
    this.metrics = metrics;
  }

  public static int eventLoops() {
    return Integer.getInteger("promgate.eventLoops", Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
  }

  /** Starts with a Vert.x instance of its own, closed by {@link #stop()}. */
  public static Future<GatewayServer> start(PromgateConfig config, List<GatewayPlugin> plugins) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops()).setPreferNativeTransport(true));
    return start(vertx, true, config, plugins).recover(t -> vertx.close().transform(x -> Future.failedFuture(t)));
  }

  /** Starts on a given Vert.x (tests); {@link #stop()} leaves it running. */
  public static Future<GatewayServer> start(Vertx vertx, PromgateConfig config, List<GatewayPlugin> plugins) {
    return start(vertx, false, config, plugins);
  }

  private static Future<GatewayServer> start(Vertx vertx, boolean owns, PromgateConfig config,
      List<GatewayPlugin> plugins) {
    SelfMetrics metrics = new SelfMetrics();
    GatewayContext ctx = new GatewayContext(vertx, config, metrics);
    Future<Void> chain = Future.succeededFuture();
    for (GatewayPlugin p : plugins) {
      chain = chain.compose(v -> p.start(ctx));
    }
    return chain.compose(v -> {
      QueryBackend backend = ctx.queryBackend().orElseGet(() -> defaultBackend(vertx, config, metrics));
      TenantResolver resolver = new TenantResolver(config.tenancy().defaultTenant(), AccessPolicies.of(config.tenancy()));
      QueryLimiter limiter = QueryLimiter.of(config.tenancy().limits(), metrics.limitRefusals());
      ApiHandler handler = new ApiHandler(backend, resolver, ctx.routes(), metrics, limiter);
      int loops = eventLoops();
      var http = config.server().http();
      // One server per event loop on one port. Port 0 becomes -1: Vert.x then binds one random port that
      // all instances share (with 0 each would bind a different one).
      int port = http.port() == 0 ? -1 : http.port();
      List<HttpVerticle> started = new java.util.concurrent.CopyOnWriteArrayList<>();
      return vertx.deployVerticle(() -> {
            HttpVerticle hv = new HttpVerticle(handler, http.host(), port, config.server().tls());
            started.add(hv);
            return hv;
          }, new DeploymentOptions().setInstances(loops))
          .map(id -> started.get(0).actualPort)
          .map(actual -> new GatewayServer(vertx, owns, backend, ctx.closeHooks(), actual, metrics));
    });
  }

  /** The backend chosen from the config when no plugin installed one (the results cache wraps it). */
  public static QueryBackend defaultBackend(Vertx vertx, PromgateConfig config, SelfMetrics metrics) {
    var upstream = config.soleUpstream();
    if (upstream.isPresent()) {
      return new PrometheusProxyBackend(vertx, upstream.get(), config.tenancy().upstreamHeader(), metrics,
          Integer.getInteger("promgate.upstreamPoolSize", 64));
    }
    if (config.backends().isEmpty()) {
      return new UnconfiguredBackend("no backend is configured: run with --upstream URL, or a config with backends");
    }
    // The bundled store, the engine and federation plug in through GatewayPlugin (issue 8 and the store's).
    return new UnconfiguredBackend("no query backend is available for backends " + config.backends().keySet()
        + ": this build answers queries only through a single prometheus backend (--upstream URL);"
        + " the bundled store and federation are not wired yet");
  }

  public int port() {
    return port;
  }

  /** "epoll" when Netty's native transport is in use, else "nio". */
  public String transport() {
    return vertx.isNativeTransportEnabled() ? "epoll" : "nio";
  }

  public SelfMetrics metrics() {
    return metrics;
  }

  public QueryBackend backend() {
    return backend;
  }

  public Future<Void> stop() {
    List<Supplier<Future<Void>>> hooks = new ArrayList<>(closeHooks);
    Collections.reverse(hooks);
    Future<Void> chain = Future.succeededFuture();
    for (Supplier<Future<Void>> h : hooks) {
      chain = chain.eventually(() -> h.get());
    }
    chain = chain.eventually(backend::close);
    return ownsVertx ? chain.eventually(vertx::close) : chain;
  }

  /** One HTTP server on one event loop. */
  private static final class HttpVerticle extends VerticleBase {
    volatile int actualPort;
    private final ApiHandler handler;
    private final String host;
    private final int port;

    private final Optional<SecurityConfig.Tls> tls;

    HttpVerticle(ApiHandler handler, String host, int port, Optional<SecurityConfig.Tls> tls) {
      this.handler = handler;
      this.tls = tls;
      this.host = host;
      this.port = port;
    }

    @Override
    public Future<?> start() {
      // No WebSocket compression either: promgate serves no WebSockets, and its extension handler would
      // otherwise sit in every connection's pipeline and look at every request and response.
      // No cleartext HTTP/2 (h2c), as Prometheus' own server: HTTP/2 only through TLS ALPN (ServerTls).
      // Vert.x accepts h2c upgrades by default, and the JDK HttpClient (HTTP/2 preferred by default) asks
      // for one on every new plain connection; when the 101 and the HTTP/2 frames of the answer reach it
      // together and pass its 16 KiB read buffer, it drops the frames after that buffer and waits for ever
      // (its request timeout was stopped by the 101). A query answer passes 16 KiB easily.
      HttpServerOptions o = new HttpServerOptions().setTcpNoDelay(true).setCompressionSupported(false)
          .setDecompressionSupported(false).setIdleTimeout(0).setHttp2ClearTextEnabled(false)
          .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false);
      ServerTls.apply(o, tls); // server.tls (issue 12)
      Promise<HttpServer> p = Promise.promise();
      vertx.createHttpServer(o).requestHandler(handler).listen(port, host).onComplete(p);
      return p.future().onSuccess(s -> actualPort = s.actualPort());
    }
  }
}
