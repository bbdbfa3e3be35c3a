package io.promgate.gateway.http;

import io.promgate.gateway.GatewayContext;
import io.promgate.gateway.Version;
import io.promgate.gateway.backend.ApiRequest;
import io.promgate.gateway.backend.ApiResponse;
import io.promgate.gateway.backend.QueryBackend;
import io.promgate.gateway.metrics.SelfMetrics;
import io.promgate.tenant.TenantResolution;
import io.promgate.tenant.TenantResolver;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The HTTP edge: health and self endpoints, tenant resolution, endpoint classification, dispatch to the
 * {@link QueryBackend} or a plugin route, and the one place where failures become Prometheus error
 * envelopes. A plain switch instead of a router: the pass-through path is hot (see bench/passthrough.sh).
 */
public final class ApiHandler implements Handler<HttpServerRequest> {
  private static final Buffer HEALTHY = Buffer.buffer("Prometheus Server is Healthy.\n");
  private static final Buffer READY = Buffer.buffer("Prometheus Server is Ready.\n");
  private static final CharSequence TEXT = HttpHeaders.createOptimized("text/plain; charset=utf-8");
  private static final CharSequence METRICS_TYPE = HttpHeaders.createOptimized("text/plain; version=0.0.4; charset=utf-8");
  private static final String FORM = "application/x-www-form-urlencoded";

  private final QueryBackend backend;
  private final TenantResolver tenants;
  private final Map<String, GatewayContext.Route> routes;
  private final SelfMetrics metrics;
  private final Buffer buildInfo;

  public ApiHandler(QueryBackend backend, TenantResolver tenants, Map<String, GatewayContext.Route> routes,
      SelfMetrics metrics) {
    this.backend = backend;
    this.tenants = tenants;
    this.routes = routes;
    this.metrics = metrics;
    // Prometheus' buildinfo shape. No "features" key: Grafana reads data.features to detect Mimir/Cortex
    // (even an empty object is truthy in JS), and promgate speaks plain Prometheus semantics.
    this.buildInfo = Envelope.success("{\"version\":" + Json.encode(Version.get())
        + ",\"revision\":\"\",\"branch\":\"\",\"buildUser\":\"\",\"buildDate\":\"\",\"goVersion\":\"\"}");
  }

  @Override
  public void handle(HttpServerRequest req) {
    long start = System.nanoTime();
    String path = req.path();
    Endpoint own = ownEndpoint(path);
    if (own != null) {
      finish(req, own, start, serveOwn(own, req.response()));
      return;
    }
    Endpoint guess = Endpoint.of(stripForWriteCheck(path));
    TenantResolution tr = tenants.resolve(path, req::getHeader, guess == Endpoint.WRITE);
    if (tr instanceof TenantResolution.Rejected rej) {
      finish(req, guess, start, Envelope.send(req.response(), rej.status(),
          Envelope.error(ErrorType.ofWireName(rej.errorType()), rej.message())));
      return;
    }
    TenantResolution.Resolved ok = (TenantResolution.Resolved) tr;
    String apiPath = ok.apiPath();
    Endpoint endpoint = Endpoint.of(apiPath);
    GatewayContext.Route route = routes.isEmpty() ? null : routes.get(apiPath);
    Future<Void> done;
    try {
      if (route != null) {
        done = route.handler().handle(req, ok.tenants(), apiPath);
      } else if (endpoint == Endpoint.HEALTHY || endpoint == Endpoint.READY || endpoint == Endpoint.METRICS) {
        done = serveOwn(endpoint, req.response());
      } else if (endpoint == Endpoint.BUILDINFO) {
        done = Envelope.send(req.response(), 200, buildInfo);
      } else if (endpoint == Endpoint.NOT_FOUND) {
        done = Envelope.send(req.response(), 404, Envelope.error(ErrorType.NOT_FOUND, "no such endpoint: " + apiPath));
      } else if (req.method() == HttpMethod.GET) {
        done = dispatch(new ApiRequest(endpoint, HttpMethod.GET, apiPath, req.query(), null, false, ok.tenants(),
            req.headers())).compose(r -> r.send(req.response()));
      } else if (req.method() == HttpMethod.POST) {
        String ct = req.getHeader(HttpHeaders.CONTENT_TYPE);
        boolean form = ct != null && ct.regionMatches(true, 0, FORM, 0, FORM.length());
        done = req.body().compose(body -> dispatch(new ApiRequest(endpoint, HttpMethod.POST, apiPath, req.query(),
            body, form, ok.tenants(), req.headers()))).compose(r -> r.send(req.response()));
      } else {
        done = Envelope.send(req.response(), 405,
            Envelope.error(ErrorType.BAD_DATA, "method " + req.method() + " not allowed on " + apiPath));
      }
    } catch (RuntimeException e) {
      done = Future.failedFuture(e);
    }
    finish(req, endpoint, start, done);
  }

  private Future<ApiResponse> dispatch(ApiRequest r) {
    return switch (r.endpoint()) {
      case QUERY -> backend.instantQuery(r);
      case QUERY_RANGE -> backend.rangeQuery(r);
      case SERIES -> backend.series(r);
      case LABELS -> backend.labels(r);
      case LABEL_VALUES -> backend.labelValues(r, URLDecoder.decode(Endpoint.labelName(r.apiPath()), StandardCharsets.UTF_8));
      case METADATA -> backend.metadata(r);
      // Always answered by promgate itself (DESIGN.md, "Pushdown"), whatever the backend.
      case FORMAT_QUERY -> PromqlEndpoints.format(r);
      case PARSE_QUERY -> PromqlEndpoints.parseQuery(r);
      default -> backend.other(r);
    };
  }

  private void finish(HttpServerRequest req, Endpoint endpoint, long start, Future<Void> done) {
    done.onComplete(ar -> {
      HttpServerResponse out = req.response();
      if (ar.failed() && !out.ended()) {
        Envelope.sendError(out, ar.cause()).onComplete(x -> metrics.request(endpoint, out.getStatusCode(), System.nanoTime() - start));
      } else {
        metrics.request(endpoint, out.getStatusCode(), System.nanoTime() - start);
      }
    });
  }

  /** Health and self metrics: answered before tenant resolution, so they never need a tenant. */
  private static Endpoint ownEndpoint(String path) {
    return switch (path) {
      case "/-/healthy" -> Endpoint.HEALTHY;
      case "/-/ready" -> Endpoint.READY;
      case "/metrics" -> Endpoint.METRICS;
      default -> null;
    };
  }

  private Future<Void> serveOwn(Endpoint e, HttpServerResponse out) {
    switch (e) {
      case HEALTHY:
        out.headers().set(HttpHeaders.CONTENT_TYPE, TEXT);
        return out.end(HEALTHY);
      case READY:
        return backend.ready().compose(ready -> {
          out.headers().set(HttpHeaders.CONTENT_TYPE, TEXT);
          if (ready) {
            return out.end(READY);
          }
          out.setStatusCode(503);
          return out.end("Service Unavailable: " + backend.describe() + " is not ready.\n");
        });
      default:
        out.headers().set(HttpHeaders.CONTENT_TYPE, METRICS_TYPE);
        return out.end(metrics.exposition());
    }
  }

  /** Only to know whether the tenant is resolved for writing; the real stripping happens in the resolver. */
  private static String stripForWriteCheck(String path) {
    int i = path.indexOf("/api/v1/");
    return i > 0 ? path.substring(i) : path;
  }
}
