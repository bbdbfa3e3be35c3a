package io.promgate.gateway.backend;

import io.promgate.gateway.http.ApiException;
import io.promgate.gateway.http.ErrorType;
import io.promgate.gateway.metrics.SelfMetrics;
import io.promgate.routing.config.BackendConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * One Prometheus-compatible upstream answers everything: each call is forwarded as is and the response
 * relayed byte for byte.
 *
 * <p>Why this shape: promtool and Grafana compare results byte for byte, so nothing is decoded or
 * re-encoded. GET keeps its raw query string; POST sends URL and form parameters merged into one form body
 * (Grafana puts custom parameters in the URL of a POST). {@code Accept-Encoding} goes up and
 * {@code Content-Encoding} comes back untouched, so gzip costs us nothing. Bodies are piped with back
 * pressure, never buffered whole. Only the headers the backend's {@code forward-headers} names leave with
 * the client's values (credentials never leak by default); the resolved tenant always goes up in the
 * configured tenant header.
 *
 * <p>Performance: one HttpClient per event loop (kept in the Vert.x context), so a request and its upstream
 * connection stay on one thread; keep-alive pool, no pipelining, no per-request logging.
 */
public final class PrometheusProxyBackend implements QueryBackend {
  private static final String[] HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "proxy-connection"};
  private static final CharSequence REMOTE_WRITE_VERSION = HttpHeaders.createOptimized("X-Prometheus-Remote-Write-Version");
  private static final CharSequence REMOTE_READ_VERSION = HttpHeaders.createOptimized("X-Prometheus-Remote-Read-Version");
  private static final CharSequence FORM = HttpHeaders.createOptimized("application/x-www-form-urlencoded");

  private final Vertx vertx;
  private final BackendConfig.Prometheus config;
  private final SelfMetrics metrics;
  private final CharSequence tenantHeader;
  private final String host;
  private final int port;
  private final boolean ssl;
  private final String pathPrefix;
  private final List<CharSequence> forwardHeaders;
  private final int poolSizePerEventLoop;
  private final String contextKey;
  private final List<HttpClient> clients = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** The lean client for plain-HTTP upstreams (null for https, or with -Dpromgate.leanUpstream=false). */
  private final Http1Upstream lean;
  /** Looked up at the first answer (not at start: /metrics lists a backend once it has answered). */
  private volatile io.promgate.gateway.metrics.Histogram upstreamLatency;
  /** From {@code basic-auth} / {@code bearer-token[-file]}; null when the backend has none. */
  private final String authorization;

  public PrometheusProxyBackend(Vertx vertx, BackendConfig.Prometheus config, String tenantHeader,
      SelfMetrics metrics, int poolSizePerEventLoop) {
    this.vertx = vertx;
    this.config = config;
    this.metrics = metrics;
    this.tenantHeader = HttpHeaders.createOptimized(tenantHeader);
    URI u = config.url();
    this.ssl = u.getScheme().equals("https");
    this.host = u.getHost();
    this.port = u.getPort() > 0 ? u.getPort() : ssl ? 443 : 80;
    String p = u.getRawPath() == null ? "" : u.getRawPath();
    this.pathPrefix = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    List<CharSequence> fh = new ArrayList<>();
    for (String h : config.forwardHeaders()) {
      fh.add(HttpHeaders.createOptimized(h));
    }
    this.forwardHeaders = List.copyOf(fh);
    this.poolSizePerEventLoop = poolSizePerEventLoop;
    this.contextKey = "promgate.proxy." + config.name() + "." + System.identityHashCode(this);
    boolean useLean = !ssl && Boolean.parseBoolean(System.getProperty("promgate.leanUpstream", "true"));
    this.lean = !useLean ? null : new Http1Upstream((io.vertx.core.internal.VertxInternal) vertx, host, port,
        poolSizePerEventLoop, config.timeout().toMillis(), (int) Math.min(config.timeout().toMillis(), 10_000),
        new Http1Upstream.Events() {
          @Override
          public void head(long nanos) {
            observeUpstreamLatency(nanos);
          }

          @Override
          public Throwable failed(Throwable cause, long nanos) {
            return classify(cause, nanos);
          }

          @Override
          public void aborted(String kind) {
            metrics.upstreamError(config.name(), kind);
          }

          @Override
          public Throwable serverError(int status, String body) {
            return upstreamFailed(status, Buffer.buffer(body));
          }
        });
    this.authorization = io.promgate.gateway.backend.prometheus.BackendCredentials.authorization(config.auth())
        .orElse(null);
  }

  @Override public Future<ApiResponse> instantQuery(ApiRequest r) { return forward(r); }
  @Override public Future<ApiResponse> rangeQuery(ApiRequest r) { return forward(r); }
  @Override public Future<ApiResponse> series(ApiRequest r) { return forward(r); }
  @Override public Future<ApiResponse> labels(ApiRequest r) { return forward(r); }
  @Override public Future<ApiResponse> labelValues(ApiRequest r, String name) { return forward(r); }
  @Override public Future<ApiResponse> metadata(ApiRequest r) { return forward(r); }
  @Override public Future<ApiResponse> other(ApiRequest r) { return forward(r); }

  @Override
  public String describe() {
    return "prometheus " + config.name() + " at " + config.url();
  }

  /** The upstream answers {@code /-/ready} with 200. */
  @Override
  public Future<Boolean> ready() {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port).setSsl(ssl)
        .setURI(pathPrefix + "/-/ready").setTimeout(Math.min(config.timeout().toMillis(), 5000));
    // A Prometheus behind basic auth (web.config.file) guards /-/ready too.
    config.headers().forEach(o::putHeader);
    if (authorization != null) {
      o.putHeader(HttpHeaders.AUTHORIZATION, authorization);
    }
    return client().request(o).compose(req -> req.send()).compose(resp -> {
      int s = resp.statusCode();
      return resp.body().map(b -> s == 200);
    }).otherwise(false);
  }

  private HttpClient client() {
    Context ctx = Vertx.currentContext();
    if (ctx == null) {
      ctx = vertx.getOrCreateContext();
    }
    HttpClient c = ctx.get(contextKey);
    if (c == null) {
      HttpClientOptions o = new HttpClientOptions().setKeepAlive(true).setPipelining(false)
          .setTcpNoDelay(true).setKeepAliveTimeout(30).setDecompressionSupported(false)
          .setConnectTimeout((int) Math.min(config.timeout().toMillis(), 10_000))
          .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
          .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, config.timeout().toMillis()));
      io.promgate.gateway.security.BackendTlsOptions.apply(o, config.tls()); // backends.<name>.tls (issue 12)
      c = vertx.createHttpClient(o, new PoolOptions().setHttp1MaxSize(poolSizePerEventLoop).setMaxWaitQueueSize(-1));
      ctx.put(contextKey, c);
      clients.add(c);
    }
    return c;
  }

  private Future<ApiResponse> forward(ApiRequest r) {
    MultiMap h = HttpHeaders.headers();
    copyIfPresent(r.headers(), h, HttpHeaders.ACCEPT);
    copyIfPresent(r.headers(), h, HttpHeaders.ACCEPT_ENCODING);
    for (CharSequence name : forwardHeaders) {
      List<String> v = r.headers().getAll(name);
      if (!v.isEmpty()) {
        h.set(name.toString(), v);
      }
    }
    for (Map.Entry<String, String> e : config.headers().entrySet()) {
      h.set(e.getKey(), e.getValue());
    }
    if (authorization != null) {
      h.set(HttpHeaders.AUTHORIZATION, authorization);
    }
    h.set(tenantHeader, r.tenants().headerValue());

    Buffer body = null;
    String uri;
    if (r.method() == HttpMethod.POST) {
      uri = pathPrefix + r.apiPath();
      if (r.isForm()) {
        body = Buffer.buffer(r.mergedForm());
        h.set(HttpHeaders.CONTENT_TYPE, FORM);
      } else {
        // Not a form (e.g. remote read/write bodies): forward body and query string untouched.
        body = r.body() == null ? Buffer.buffer() : r.body();
        uri = pathPrefix + r.apiPath() + (r.rawQuery() == null ? "" : "?" + r.rawQuery());
        copyIfPresent(r.headers(), h, HttpHeaders.CONTENT_TYPE);
        copyIfPresent(r.headers(), h, HttpHeaders.CONTENT_ENCODING);
        copyIfPresent(r.headers(), h, REMOTE_WRITE_VERSION);
        copyIfPresent(r.headers(), h, REMOTE_READ_VERSION);
      }
    } else {
      uri = pathPrefix + r.apiPath() + (r.rawQuery() == null ? "" : "?" + r.rawQuery());
    }
    if (lean != null) {
      Future<ApiResponse> f = lean.exchange(r.method(), uri, h, body);
      if (f != null) {
        return f;
      }
    }
    // The backend timeout is both the connection's idle timeout (set on the client) and a deadline for the
    // whole exchange (see deadline()).
    RequestOptions o = new RequestOptions().setHost(host).setPort(port).setSsl(ssl).setHeaders(h)
        .setMethod(r.method()).setURI(uri);
    long start = System.nanoTime();
    Buffer sendBody = body;
    long[] deadline = {-1};
    boolean[] expired = {false};
    return client().request(o)
        .compose(req -> {
          deadline[0] = deadline(req, expired);
          return sendBody == null ? req.send() : req.send(sendBody);
        })
        .<ApiResponse>compose(resp -> {
          observeUpstreamLatency(System.nanoTime() - start);
          int status = resp.statusCode();
          if (status >= 500 && status != 503) {
            return upstreamFailed(resp);
          }
          resp.pause(); // hold the body until relay() pipes it (the pipe resumes)
          return Future.succeededFuture(out -> relay(resp, out).onComplete(x -> vertx.cancelTimer(deadline[0])));
        })
        .recover(t -> {
          vertx.cancelTimer(deadline[0]);
          if (expired[0]) {
            metrics.upstreamError(config.name(), "timeout");
            return Future.failedFuture(new ApiException(ErrorType.TIMEOUT, "upstream " + config.name() + " ("
                + config.url() + ") timed out after " + config.timeout().toMillis() + "ms"));
          }
          return Future.failedFuture(t instanceof ApiException a ? a : classify(t, System.nanoTime() - start));
        });
  }

  /**
   * The whole exchange, relayed body included, ends within the backend's timeout: then the upstream
   * connection is reset (and with it the client's, if the body was being relayed). The idle timeout alone
   * let an upstream that sends a byte now and then hold a client forever (found by FaultInjectionIT).
   */
  private long deadline(HttpClientRequest req, boolean[] expired) {
    long ms = config.timeout().toMillis();
    return vertx.setTimer(Math.max(1, ms), id -> {
      expired[0] = true;
      req.reset(0, new TimeoutException("no complete answer within " + ms + "ms"));
      req.connection().close(); // a reset alone does not end an HTTP/1.1 exchange whose response has begun
    });
  }

  /**
   * An upstream 5xx other than Prometheus' own 503 (timeout, unavailable) is a broken upstream or a proxy
   * in front of it (500 with a stack trace, 502/504 HTML pages): the client gets 503 {@code unavailable}
   * naming the backend, never a relayed 500. The body is read (bounded) only for the message.
   */
  private Future<ApiResponse> upstreamFailed(HttpClientResponse resp) {
    int status = resp.statusCode();
    return resp.body().recover(t -> Future.succeededFuture(Buffer.buffer()))
        .compose(b -> Future.failedFuture(upstreamFailed(status, b)));
  }

  private ApiException upstreamFailed(int status, Buffer b) {
    metrics.upstreamError(config.name(), "unavailable");
    String text = b.length() > 300 ? b.getString(0, 300) + "..." : b.toString();
    try {
      String err = new io.vertx.core.json.JsonObject(b).getString("error");
      if (err != null) {
        text = err;
      }
    } catch (RuntimeException notJson) {
      // keep the raw text
    }
    return new ApiException(ErrorType.UNAVAILABLE, "upstream " + config.name() + " ("
        + config.url() + ") answered " + status + ": " + text.strip());
  }

  private void observeUpstreamLatency(long nanos) {
    io.promgate.gateway.metrics.Histogram h = upstreamLatency;
    if (h == null) {
      upstreamLatency = h = metrics.upstreamLatencyHistogram(config.name());
    }
    h.observeNanos(nanos);
  }

  private static void copyIfPresent(MultiMap from, MultiMap to, CharSequence name) {
    String v = from.get(name);
    if (v != null) {
      to.set(name, v);
    }
  }

  private Future<Void> relay(HttpClientResponse resp, HttpServerResponse out) {
    out.setStatusCode(resp.statusCode());
    if (resp.statusMessage() != null) {
      out.setStatusMessage(resp.statusMessage());
    }
    MultiMap oh = out.headers();
    boolean hasLength = false;
    for (Map.Entry<String, String> e : resp.headers()) {
      String name = e.getKey();
      if (isHopByHop(name)) {
        continue;
      }
      if (name.equalsIgnoreCase("content-length")) {
        hasLength = true;
      }
      oh.add(name, e.getValue());
    }
    if (!hasLength) {
      out.setChunked(true);
    }
    return resp.pipeTo(out).recover(t -> {
      // The client went away or the upstream broke mid-body: drop the upstream connection rather than
      // return a half-read one to the pool.
      metrics.upstreamError(config.name(), "reset");
      resp.request().reset();
      if (!out.ended() && !out.closed()) {
        out.reset();
      }
      return Future.succeededFuture();
    });
  }

  /** RFC 9110 section 7.6.1 connection-specific headers, which a proxy must not relay. No allocation. */
  static boolean isHopByHop(String name) {
    for (String h : HOP_BY_HOP) {
      if (h.length() == name.length() && h.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  private ApiException classify(Throwable t, long elapsedNanos) {
    String where = "upstream " + config.name() + " (" + config.url() + ")";
    // The idle timeout closes the connection, so a timeout surfaces as "connection closed" after it.
    boolean closedByIdle = t instanceof io.vertx.core.http.HttpClosedException
        && elapsedNanos >= config.timeout().toNanos() * 9 / 10;
    if (closedByIdle) {
      metrics.upstreamError(config.name(), "timeout");
      return new ApiException(ErrorType.TIMEOUT, where + " timed out after " + config.timeout().toMillis() + "ms");
    }
    if (t instanceof Http1Upstream.IdleTimeout) {
      metrics.upstreamError(config.name(), "timeout");
      return new ApiException(ErrorType.TIMEOUT, where + " timed out after " + config.timeout().toMillis() + "ms");
    }
    if (t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
      metrics.upstreamError(config.name(), "timeout");
      return new ApiException(ErrorType.TIMEOUT, where + " timed out: " + t.getMessage());
    }
    metrics.upstreamError(config.name(), "unavailable");
    String msg = t instanceof ConnectException || t.getCause() instanceof ConnectException
        ? "unreachable: " + t.getMessage() : "failed: " + t;
    return new ApiException(ErrorType.UNAVAILABLE, where + " " + msg);
  }

  @Override
  public Future<Void> close() {
    List<Future<Void>> fs = new ArrayList<>();
    for (HttpClient c : clients) {
      fs.add(c.close());
    }
    if (lean != null) {
      fs.add(lean.close());
    }
    return Future.all(fs).mapEmpty();
  }
}
