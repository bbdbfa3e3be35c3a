package io.promgate.gateway.ui;

import io.promgate.gateway.GatewayContext;
import io.promgate.gateway.Version;
import io.promgate.gateway.federation.BackendStore;
import io.promgate.gateway.http.Envelope;
import io.promgate.routing.Route;
import io.promgate.routing.Window;
import io.promgate.routing.config.BackendConfig;
import io.promgate.routing.config.PromgateConfig;
import io.promgate.routing.plan.TimeRangePlanner;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The status page at {@code /} (issue 11): static HTML + JS from {@code ui/} on the classpath (no build
 * step), and {@code /ui/status}, the JSON it shows: version, configured backends with a live health probe
 * (a label-names call for the caller's tenant over the last 5 minutes, timed), routes and storage
 * settings. Breaker states, tenants and store figures the page reads from {@code /metrics}, which
 * already publishes them, so this class needs nothing from the federation or store plugins.
 */
public final class StatusPage {
  private static final long PROBE_TIMEOUT_MS = 3_000;
  private final PromgateConfig config;
  private final Map<String, BackendStore> stores;
  private final Clock clock;

  private StatusPage(PromgateConfig config, Map<String, BackendStore> stores, Clock clock) {
    this.config = config;
    this.stores = Map.copyOf(stores);
    this.clock = clock;
  }

  public static void register(GatewayContext ctx, Map<String, BackendStore> stores, Clock clock) {
    StatusPage page = new StatusPage(ctx.config(), stores, clock);
    Buffer index = resource("index.html");
    Buffer js = resource("app.js");
    ctx.route("/", false, (req, tenants, path) -> send(req.response(), "text/html; charset=utf-8", index));
    ctx.route("/ui/app.js", false, (req, tenants, path) -> send(req.response(), "text/javascript; charset=utf-8", js));
    ctx.route("/ui/status", false, (req, tenants, path) -> page.status(tenants.ids().get(0))
        .compose(s -> Envelope.send(req.response(), 200, Envelope.success(s.encode()))));
  }

  private static Future<Void> send(HttpServerResponse res, String type, Buffer body) {
    return res.putHeader("Content-Type", type).putHeader("Cache-Control", "no-cache").end(body);
  }

  static Buffer resource(String name) {
    try (InputStream in = StatusPage.class.getResourceAsStream("/ui/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource ui/" + name);
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  Future<JsonObject> status(String tenant) {
    long now = clock.millis();
    List<Future<JsonObject>> probes = new ArrayList<>();
    for (BackendConfig b : config.backends().values()) {
      JsonObject j = new JsonObject().put("name", b.name()).put("type", type(b)).put("target", target(b))
          .put("externalLabels", new JsonObject(new java.util.LinkedHashMap<>(TimeRangePlanner.externalLabels(b))));
      BackendStore s = stores.get(b.name());
      if (s == null) {
        probes.add(Future.succeededFuture(j.put("healthy", false).put("error", "no client")));
        continue;
      }
      long t0 = System.nanoTime();
      probes.add(s.labelNames(tenant, now - 300_000, now, List.of()).timeout(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
          .map(names -> j.put("healthy", true))
          .otherwise(e -> j.put("healthy", false).put("error", String.valueOf(e.getMessage())))
          .map(x -> x.put("latencyMs", (System.nanoTime() - t0) / 1_000_000.0)));
    }
    return Future.all(probes).map(all -> {
      JsonArray backends = new JsonArray();
      probes.forEach(p -> backends.add(p.result()));
      JsonArray routes = new JsonArray();
      for (Route r : config.routes()) {
        JsonArray windows = new JsonArray();
        for (Window w : r.windows()) {
          windows.add(new JsonObject().put("key", w.key()).put("window", w.toString())
              .put("backends", new JsonArray(w.backends())));
        }
        routes.add(new JsonObject().put("key", r.key()).put("tenants", new JsonArray(r.tenants())).put("windows", windows));
      }
      JsonObject out = new JsonObject().put("version", Version.get()).put("tenant", tenant).put("backends", backends)
          .put("routes", routes);
      config.storage().ifPresent(st -> out.put("storage", new JsonObject().put("path", st.path().toString())
          .put("retention", io.promgate.routing.config.PromDurations.format(st.retention()))
          .put("headWindow", io.promgate.routing.config.PromDurations.format(st.headWindow()))));
      return out;
    });
  }

  private static String type(BackendConfig b) {
    return b instanceof BackendConfig.Prometheus ? "prometheus" : b instanceof BackendConfig.StoreApi ? "storeapi" : "local";
  }

  private static String target(BackendConfig b) {
    if (b instanceof BackendConfig.Prometheus p) {
      return p.url().toString();
    }
    if (b instanceof BackendConfig.StoreApi s) {
      return s.address().toString();
    }
    return "bundled store";
  }
}
