package io.promgate.gateway.http;

import io.promgate.gateway.GatewayContext;
import io.promgate.gateway.Version;
import io.promgate.gateway.backend.ApiRequest;
import io.promgate.gateway.backend.ApiResponse;
import io.promgate.gateway.backend.QueryBackend;
import io.promgate.gateway.metrics.SelfMetrics;
import io.promgate.gateway.security.QueryLimiter;
import io.promgate.tenant.AccessPolicy;
import io.promgate.tenant.TenantResolution;
import io.promgate.tenant.TenantResolver;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

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

  private final QueryLimiter limiter;

  public ApiHandler(QueryBackend backend, TenantResolver tenants, Map<String, GatewayContext.Route> routes,
      SelfMetrics metrics) {
    this(backend, tenants, routes, metrics, QueryLimiter.NONE);
  }

  /** With {@code tenancy.limits} applied to read calls (issue 12). */
  public ApiHandler(QueryBackend backend, TenantResolver tenants, Map<String, GatewayContext.Route> routes,
      SelfMetrics metrics, QueryLimiter limiter) {
    this.limiter = limiter;
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
    // Tenant first, then access (issue 12): the write grant is known only once the API path is.
    TenantResolution tr = tenants.resolveIdentity(path, req::getHeader);
    if (tr instanceof TenantResolution.Rejected rej) {
      finish(req, Endpoint.of(stripForWriteCheck(path)), start, reject(req, rej));
      return;
    }
    TenantResolution.Resolved ok = (TenantResolution.Resolved) tr;
    Endpoint endpoint = Endpoint.of(ok.apiPath());
    GatewayContext.Route route = routes.isEmpty() ? null : routes.get(ok.apiPath());
    boolean write = endpoint == Endpoint.WRITE || (route != null && route.write());
    AccessPolicy policy = tenants.policy();
    if (policy.mayBlock(req::getHeader)) {
      // An uncached bcrypt verification: on a worker, with the request paused so its body waits for us.
      req.pause();
      MultiMap headers = HttpHeaders.headers().addAll(req.headers());
      Vertx.currentContext().executeBlocking(() -> Optional.ofNullable(policy.check(ok.tenants(), headers::get, write)), false)
          .onComplete(ar -> {
            if (ar.failed()) {
              finish(req, endpoint, start, Future.failedFuture(ar.cause()));
            } else if (ar.result().isPresent()) {
              finish(req, endpoint, start, reject(req, ar.result().get()));
            } else {
              serve(req, ok, endpoint, route, start);
            }
            req.resume();
          });
      return;
    }
    TenantResolution.Rejected denied = policy.check(ok.tenants(), req::getHeader, write);
    if (denied != null) {
      finish(req, endpoint, start, reject(req, denied));
      return;
    }
    serve(req, ok, endpoint, route, start);
  }

  /** A 401 carries the challenges clients answer (Grafana and curl send basic auth after one). */
  private static Future<Void> reject(HttpServerRequest req, TenantResolution.Rejected rej) {
    if (rej.status() == 401) {
      req.response().headers().add("WWW-Authenticate", "Basic realm=\"promgate\", charset=\"UTF-8\"")
          .add("WWW-Authenticate", "Bearer realm=\"promgate\"");
    }
    return Envelope.send(req.response(), rej.status(), Envelope.error(ErrorType.ofWireName(rej.errorType()), rej.message()));
  }

  private void serve(HttpServerRequest req, TenantResolution.Resolved ok, Endpoint endpoint,
      GatewayContext.Route route, long start) {
    String apiPath = ok.apiPath();
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
        done = boundedBody(req, limiter.maxRequestBody(ok.tenants()), ok.tenants().headerValue()).compose(body -> dispatch(new ApiRequest(endpoint,
            HttpMethod.POST, apiPath, req.query(), body, form, ok.tenants(), req.headers())))
            .compose(r -> r.send(req.response()));
      } else {
        done = Envelope.send(req.response(), 405,
            Envelope.error(ErrorType.BAD_DATA, "method " + req.method() + " not allowed on " + apiPath));
      }
    } catch (RuntimeException e) {
      done = Future.failedFuture(e);
    }
    finish(req, endpoint, start, done);
  }

  /**
   * The body of a read call, refused with 413 once it passes {@code max} bytes ({@code max-request-body}):
   * at once from {@code Content-Length}, else while it streams, so a client cannot make us buffer more.
   */
  public static Future<Buffer> boundedBody(HttpServerRequest req, long max, String tenant) {
    String declared = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (declared != null) {
      try {
        if (Long.parseLong(declared.trim()) > max) {
          return Future.failedFuture(tooLarge(max, tenant));
        }
      } catch (NumberFormatException e) {
        return Future.failedFuture(new ApiException(ErrorType.BAD_DATA, "bad Content-Length"));
      }
    }
    io.vertx.core.Promise<Buffer> p = io.vertx.core.Promise.promise();
    Buffer acc = Buffer.buffer();
    req.handler(chunk -> {
      if (acc.length() + (long) chunk.length() > max) {
        p.tryFail(tooLarge(max, tenant));
      } else if (!p.future().isComplete()) {
        acc.appendBuffer(chunk);
      }
    });
    req.exceptionHandler(p::tryFail);
    req.endHandler(v -> p.tryComplete(acc));
    return p.future();
  }

  private static ApiException tooLarge(long max, String tenant) {
    return ApiException.limit(ErrorType.TOO_LARGE, tenant, "max-request-body",
        "request body exceeds the limit (limit: max-request-body " + max + " bytes)");
  }

  private Future<ApiResponse> dispatch(ApiRequest r) {
    return limiter.guard(r, () -> dispatchUnlimited(r));
  }

  private Future<ApiResponse> dispatchUnlimited(ApiRequest r) {
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
      if (ar.failed()) {
        limiter.counted(ar.cause());
      }
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
