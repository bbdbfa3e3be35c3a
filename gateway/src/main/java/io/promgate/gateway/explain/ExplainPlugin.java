package io.promgate.gateway.explain;

import io.promgate.gateway.GatewayContext;
import io.promgate.gateway.GatewayPlugin;
import io.promgate.gateway.federation.ApiParams;
import io.promgate.gateway.federation.BackendStore;
import io.promgate.gateway.http.ApiException;
import io.promgate.gateway.http.Envelope;
import io.promgate.gateway.http.ErrorType;
import io.promgate.gateway.lint.DashboardLinter;
import io.promgate.routing.config.PromgateConfig;
import io.promgate.routing.plan.TimeRangePlanner;
import io.promgate.tenant.TenantSet;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Map;

/**
 * Serves {@code /api/v1/explain} and {@code /api/v1/lint/dashboard} (issue 11). It keeps its own
 * {@link BackendStore} per configured backend (same classes, same config as the federation) rather than
 * borrowing the federation's, so it works whichever query backend is installed (federation or the plain
 * pass-through of one upstream) and needs no change in their code. Listed after the store plugin in
 * {@code META-INF/services}, so the bundled store is published by the time it starts.
 */
public final class ExplainPlugin implements GatewayPlugin {
  static final long LOOKBACK_MS = 5 * 60_000;
  private final Clock clock;
  private volatile Explainer explainer;
  private volatile io.promgate.tenant.CredentialAccessPolicy credentials;
  private volatile List<String> routeTenants = List.of();
  private volatile io.promgate.routing.config.SecurityConfig.Limits limits = io.promgate.routing.config.SecurityConfig.Limits.NONE;

  public ExplainPlugin() {
    this(Clock.systemUTC());
  }

  public ExplainPlugin(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<Void> start(GatewayContext ctx) {
    PromgateConfig c = ctx.config();
    io.promgate.gateway.federation.BackendStores built = io.promgate.gateway.federation.BackendStores.of(ctx, c,
        null, null);
    Map<String, BackendStore> stores = built.stores();
    limits = c.tenancy().limits();
    if (!c.tenancy().credentials().isEmpty()) {
      credentials = io.promgate.gateway.security.AccessPolicies.credentials(c.tenancy());
      routeTenants = c.routes().stream().flatMap(r -> r.tenants().stream())
          .filter(t -> !t.contains("*")).distinct().toList();
    }
    explainer = new Explainer(ctx.vertx(), TimeRangePlanner.of(c, clock), stores, c.backends(), LOOKBACK_MS, 30_000,
        c.dedup().replicaLabels());
    ctx.route("/api/v1/explain", false, this::explain);
    ctx.route("/api/v1/lint/dashboard", false, (req, tenants, path) -> body(req, tenants)
        .compose(body -> {
          String tenant = single(tenants);
          MultiMap p = RequestParams.of(req, null);
          JsonObject dashboard;
          try {
            dashboard = new JsonObject(body);
          } catch (RuntimeException e) {
            throw new ApiException(ErrorType.BAD_DATA, "the body is not a dashboard JSON object: " + e.getMessage());
          }
          long range = ApiParams.duration(p, "range", 3_600_000);
          long end = ApiParams.time(p, "end", clock.millis());
          return new DashboardLinter(explainer.forClient(req.headers()), clock).lint(tenant, dashboard, end - range, end);
        })
        .compose(data -> Envelope.send(req.response(), 200, Envelope.success(data.encode()))));
    io.promgate.gateway.ui.StatusPage.register(ctx, stores, clock);
    ctx.onClose(() -> {
      Future<Void> f = Future.succeededFuture();
      for (BackendStore s : stores.values()) {
        f = f.eventually(s::close);
      }
      return f;
    });
    return built.started();
  }

  public Explainer explainer() {
    return explainer;
  }

  /** The POST body, within the tenants' {@code max-request-body} (413 beyond, as for every read call). */
  private Future<io.vertx.core.buffer.Buffer> body(HttpServerRequest req, TenantSet tenants) {
    long max = tenants.ids().stream().mapToLong(t -> limits.forTenant(t).maxRequestBody()).min()
        .orElse(io.promgate.routing.config.SecurityConfig.QueryLimits.DEFAULT_MAX_REQUEST_BODY);
    return io.promgate.gateway.http.ApiHandler.boundedBody(req, max, tenants.headerValue());
  }

  private Future<Void> explain(HttpServerRequest req, TenantSet tenants, String path) {
    return body(req, tenants).compose(body -> {
      MultiMap p = RequestParams.of(req, body);
      String q = p.get("query");
      if (q == null || q.isEmpty()) {
        throw new ApiException(ErrorType.BAD_DATA, "invalid parameter \"query\": empty query");
      }
      long now = clock.millis();
      long start;
      long end;
      long step = 0;
      if (p.contains("start") || p.contains("end")) {
        end = ApiParams.time(p, "end", now);
        start = ApiParams.time(p, "start", end - 3_600_000);
        step = ApiParams.duration(p, "step", Math.max(1000, (end - start) / 250 / 1000 * 1000));
        if (end < start) {
          throw new ApiException(ErrorType.BAD_DATA, "end timestamp must not be before start time");
        }
      } else {
        start = ApiParams.time(p, "time", now);
        end = start;
      }
      String tenant = single(tenants);
      long s0 = start;
      long e0 = end;
      long st = step;
      return readableOthers(req, tenant).compose(others -> explainer.forClient(req.headers())
          .explain(tenant, others, q, s0, e0, st));
    }).compose(data -> Envelope.send(req.response(), 200, Envelope.success(data.encode())));
  }

  /**
   * Other tenants the caller's credential may read, which explain may name ({@code other_tenant}): none
   * without credentials in the config (then anyone may type any tenant, and explain must not tell them
   * which one holds a metric). A {@code *} grant stands for the tenants the routes name.
   */
  private Future<List<String>> readableOthers(HttpServerRequest req, String tenant) {
    String auth = req.getHeader(io.promgate.tenant.CredentialAccessPolicy.AUTHORIZATION);
    if (credentials == null || auth == null) {
      return Future.succeededFuture(List.of());
    }
    // authenticate() may run bcrypt: on a worker.
    return io.vertx.core.Vertx.currentContext().executeBlocking(() -> {
      var a = credentials.authenticate(auth);
      if (a.credential() == null) {
        return List.<String>of();
      }
      java.util.Set<String> candidates = new java.util.TreeSet<>(a.credential().read());
      if (candidates.remove("*")) {
        candidates.addAll(routeTenants);
      }
      candidates.remove(tenant);
      return candidates.stream().filter(a.credential()::mayRead).toList();
    }, false);
  }

  static String single(TenantSet tenants) {
    if (tenants.ids().size() != 1) {
      throw new ApiException(ErrorType.BAD_DATA, "explain reads one tenant at a time, got " + tenants.ids());
    }
    return tenants.ids().get(0);
  }
}
