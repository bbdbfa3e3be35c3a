package io.promgate.gateway.backend.prometheus;

import io.promgate.gateway.federation.BackendStore;
import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.SelectHints;
import io.promgate.model.SeriesSet;
import io.promgate.model.StorageException;
import io.promgate.routing.config.BackendConfig;
import io.promgate.storeapi.prompb.Query;
import io.promgate.storeapi.prompb.ReadHints;
import io.promgate.storeapi.prompb.ReadRequest;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xerial.snappy.Snappy;

/**
 * A Prometheus HTTP API backend as a {@link BackendStore}: raw data through remote read
 * ({@code STREAMED_XOR_CHUNKS}, else {@code SAMPLES}), or through instant queries of {@code x[range]} when
 * the backend has no remote read ({@link ReadMode}); metadata through {@code series}, {@code labels} and
 * {@code label/<name>/values}. Every request carries the tenant header (name from {@code tenancy.upstream-header}),
 * the backend's static headers, its credentials ({@code basic-auth}, {@code bearer-token[-file]}) and the
 * client's {@code forward-headers} ({@link #forClient}).
 */
public final class PrometheusStore implements BackendStore {
  static final String STREAMED_CT = "application/x-streamed-protobuf";
  static final int MAX_DECODED_READ = 512 << 20;

  private final BackendConfig.Prometheus config;
  private final String tenantHeader;
  private final WebClient client;
  private final String prefix;
  private final ReadMode configured;
  private final AtomicBoolean noRemoteRead;
  private final java.util.Optional<String> authorization;
  /** Client headers named by {@code forward-headers}, of the request this view serves; empty in the shared store. */
  private final MultiMap forwarded;

  /** Reads as the backend's {@code read:} says. */
  public PrometheusStore(Vertx vertx, BackendConfig.Prometheus config, String tenantHeader) {
    this(vertx, config, tenantHeader, ReadMode.of(config.read()));
  }

  /** Reads in {@code mode} whatever the config says (tests). */
  public PrometheusStore(Vertx vertx, BackendConfig.Prometheus config, String tenantHeader, ReadMode mode) {
    this.config = config;
    this.tenantHeader = tenantHeader;
    this.configured = mode;
    this.noRemoteRead = new AtomicBoolean();
    this.authorization = BackendCredentials.authorization(config.auth());
    this.forwarded = MultiMap.caseInsensitiveMultiMap();
    URI u = config.url();
    boolean ssl = "https".equals(u.getScheme());
    WebClientOptions o = new WebClientOptions().setDefaultHost(u.getHost())
        .setDefaultPort(u.getPort() > 0 ? u.getPort() : ssl ? 443 : 80).setSsl(ssl)
        .setUserAgent("promgate");
    io.promgate.gateway.security.BackendTlsOptions.apply(o, config.tls()); // backends.<name>.tls
    this.client = WebClient.create(vertx, o, new io.vertx.core.http.PoolOptions().setHttp1MaxSize(32));
    deadline((io.vertx.ext.web.client.impl.WebClientInternal) client, vertx, config.timeout().toMillis());
    String p = u.getRawPath() == null ? "" : u.getRawPath();
    this.prefix = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  /**
   * A whole exchange, body included, lasts at most {@code timeoutMs}; then its connection is reset. The
   * request's own timeout is an idle timeout, which a backend sending a byte now and then never trips: the
   * caller's guard gave up long ago, but the connection stayed busy for as long as the backend kept
   * trickling (found by FaultInjectionIT). Reset, not just abandoned, so it goes back to no pool.
   */
  private static void deadline(io.vertx.ext.web.client.impl.WebClientInternal client, Vertx vertx, long timeoutMs) {
    client.addInterceptor(ctx -> {
      if (ctx.phase() == io.vertx.ext.web.client.impl.ClientPhase.SEND_REQUEST) {
        io.vertx.core.http.HttpClientRequest r = ctx.clientRequest();
        long id = vertx.setTimer(Math.max(1, timeoutMs), t -> {
          r.reset(0, new StorageException("no complete answer within " + timeoutMs + "ms"));
          r.connection().close(); // a reset alone does not end an HTTP/1.1 exchange whose response has begun
        });
        r.response().compose(io.vertx.core.http.HttpClientResponse::end).onComplete(x -> vertx.cancelTimer(id));
      }
      ctx.next();
    });
  }

  private PrometheusStore(PrometheusStore shared, MultiMap forwarded) {
    this.config = shared.config;
    this.tenantHeader = shared.tenantHeader;
    this.client = shared.client;
    this.prefix = shared.prefix;
    this.configured = shared.configured;
    this.noRemoteRead = shared.noRemoteRead;
    this.authorization = shared.authorization;
    this.forwarded = forwarded;
  }

  /**
   * This store sending the client's {@code forward-headers} along (a view sharing the connection pool; never
   * closed on its own).
   */
  @Override
  public BackendStore forClient(MultiMap clientHeaders) {
    if (config.forwardHeaders().isEmpty() || clientHeaders == null) {
      return this;
    }
    MultiMap f = MultiMap.caseInsensitiveMultiMap();
    for (String h : config.forwardHeaders()) {
      List<String> v = clientHeaders.getAll(h);
      if (!v.isEmpty()) {
        f.set(h, v);
      }
    }
    return f.isEmpty() ? this : new PrometheusStore(this, f);
  }

  @Override
  public String name() {
    return config.name();
  }

  /** The mode in use now (AUTO resolves to QUERY once remote read was refused). */
  public ReadMode effectiveMode() {
    if (configured == ReadMode.QUERY || noRemoteRead.get()) {
      return ReadMode.QUERY;
    }
    return ReadMode.REMOTE_READ;
  }

  private HttpRequest<Buffer> request(HttpMethod method, String path, String tenant) {
    HttpRequest<Buffer> r = client.request(method, prefix + path).timeout(config.timeout().toMillis());
    // Same order as the pass-through: forwarded client headers, then static headers and credentials, which
    // a client cannot override, then the tenant.
    forwarded.forEach(r::putHeader);
    config.headers().forEach(r::putHeader);
    authorization.ifPresent(a -> r.putHeader("Authorization", a));
    if (tenant != null) {
      r.putHeader(tenantHeader, tenant);
    }
    return r;
  }

  @Override
  public Future<SeriesSet> select(String tenant, long mint, long maxt, SelectHints hints,
      List<LabelMatcher> matchers) {
    if (effectiveMode() == ReadMode.QUERY) {
      return InstantQueryRead.select(this, tenant, mint, maxt, matchers);
    }
    return remoteRead(tenant, mint, maxt, hints, matchers).recover(t -> {
      if (configured == ReadMode.AUTO && t instanceof RemoteReadRefused) {
        noRemoteRead.set(true);
        return InstantQueryRead.select(this, tenant, mint, maxt, matchers);
      }
      return Future.failedFuture(t);
    });
  }

  private Future<SeriesSet> remoteRead(String tenant, long mint, long maxt, SelectHints hints,
      List<LabelMatcher> matchers) {
    Query.Builder q = Query.newBuilder().setStartTimestampMs(mint).setEndTimestampMs(maxt);
    for (LabelMatcher m : matchers) {
      q.addMatchers(io.promgate.storeapi.prompb.LabelMatcher.newBuilder()
          .setType(io.promgate.storeapi.prompb.LabelMatcher.Type.forNumber(m.type().ordinal()))
          .setName(m.name()).setValue(m.value()));
    }
    if (hints != null) {
      q.setHints(ReadHints.newBuilder().setStartMs(hints.start()).setEndMs(hints.end()).setStepMs(hints.step())
          .setRangeMs(hints.range()).setFunc(hints.func()).addAllGrouping(hints.grouping()).setBy(hints.by()));
    }
    ReadRequest req = ReadRequest.newBuilder().addQueries(q)
        .addAcceptedResponseTypes(ReadRequest.ResponseType.STREAMED_XOR_CHUNKS)
        .addAcceptedResponseTypes(ReadRequest.ResponseType.SAMPLES).build();
    byte[] body;
    try {
      body = Snappy.compress(req.toByteArray());
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    return request(HttpMethod.POST, "/api/v1/read", tenant)
        .putHeader("Content-Type", "application/x-protobuf")
        .putHeader("Content-Encoding", "snappy")
        .putHeader("X-Prometheus-Remote-Read-Version", "0.1.0")
        .sendBuffer(Buffer.buffer(body))
        .compose(resp -> decodeRead(resp, mint, maxt));
  }

  private Future<SeriesSet> decodeRead(HttpResponse<Buffer> resp, long mint, long maxt) {
    int status = resp.statusCode();
    if (status == 404 || status == 405) {
      return Future.failedFuture(new RemoteReadRefused(name() + ": remote read answered " + status));
    }
    if (status / 100 != 2) {
      return Future.failedFuture(new StorageException(name() + ": remote read answered " + status + ": "
          + snippet(resp.bodyAsString())));
    }
    byte[] bytes = resp.body() == null ? new byte[0] : resp.body().getBytes();
    String ct = resp.getHeader("Content-Type");
    try {
      if (ct != null && ct.startsWith(STREAMED_CT)) {
        return Future.succeededFuture(RemoteReadDecoder.streamed(bytes, mint, maxt));
      }
      // The length a snappy block announces is allocated up front: a broken or hostile backend must not
      // make us allocate gigabytes (Prometheus' own reader caps a decoded read the same way).
      if (!Snappy.isValidCompressedBuffer(bytes) || Snappy.uncompressedLength(bytes) > MAX_DECODED_READ) {
        throw new IOException("not a valid snappy block of at most " + MAX_DECODED_READ + " bytes");
      }
      return Future.succeededFuture(RemoteReadDecoder.samples(Snappy.uncompress(bytes)));
    } catch (IOException e) {
      return Future.failedFuture(new StorageException(name() + ": bad remote read answer: " + e.getMessage(), e));
    }
  }

  /** Form POST to a JSON API endpoint; fails on non-success answers with the upstream's error text. */
  Future<io.vertx.core.json.JsonObject> apiCall(String path, String tenant, MultiMap form) {
    return request(HttpMethod.POST, path, tenant).sendForm(form).compose(resp -> {
      io.vertx.core.json.JsonObject json;
      try {
        json = resp.bodyAsJsonObject();
      } catch (RuntimeException e) {
        json = null;
      }
      if (resp.statusCode() / 100 != 2 || json == null || !"success".equals(json.getString("status"))) {
        String msg = json != null && json.getString("error") != null ? json.getString("error")
            : snippet(resp.bodyAsString());
        return Future.failedFuture(new StorageException(name() + ": " + path + " answered " + resp.statusCode()
            + ": " + msg));
      }
      return Future.succeededFuture(json);
    });
  }

  @Override
  public Future<List<Labels>> series(String tenant, long mint, long maxt, List<List<LabelMatcher>> matcherSets) {
    MultiMap form = range(mint, maxt);
    for (List<LabelMatcher> ms : matcherSets) {
      form.add("match[]", InstantQueryRead.selector(ms));
    }
    return apiCall("/api/v1/series", tenant, form).map(json -> {
      List<Labels> out = new java.util.ArrayList<>();
      for (Object o : json.getJsonArray("data")) {
        Labels.Builder b = Labels.builder();
        for (Map.Entry<String, Object> e : ((io.vertx.core.json.JsonObject) o)) {
          b.set(e.getKey(), String.valueOf(e.getValue()));
        }
        out.add(b.build());
      }
      return out;
    });
  }

  @Override
  public Future<List<String>> labelNames(String tenant, long mint, long maxt, List<LabelMatcher> matchers) {
    MultiMap form = range(mint, maxt);
    if (!matchers.isEmpty()) {
      form.add("match[]", InstantQueryRead.selector(matchers));
    }
    return apiCall("/api/v1/labels", tenant, form).map(PrometheusStore::strings);
  }

  @Override
  public Future<List<String>> labelValues(String tenant, String name, long mint, long maxt,
      List<LabelMatcher> matchers) {
    MultiMap form = range(mint, maxt);
    if (!matchers.isEmpty()) {
      form.add("match[]", InstantQueryRead.selector(matchers));
    }
    // label values is GET-only in Prometheus; the form goes into the query string.
    HttpRequest<Buffer> r = request(HttpMethod.GET, "/api/v1/label/"
        + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8) + "/values", tenant);
    form.forEach(e -> r.addQueryParam(e.getKey(), e.getValue()));
    return r.send().compose(resp -> {
      io.vertx.core.json.JsonObject json = resp.bodyAsJsonObject();
      if (resp.statusCode() / 100 != 2 || json == null) {
        return Future.failedFuture(new StorageException(name() + ": label values answered " + resp.statusCode()));
      }
      return Future.succeededFuture(strings(json));
    });
  }

  /** {@code /api/v1/metadata} of this backend, the raw {@code data} object. */
  public Future<io.vertx.core.json.JsonObject> metadata(String tenant, MultiMap params) {
    HttpRequest<Buffer> r = request(HttpMethod.GET, "/api/v1/metadata", tenant);
    params.forEach(e -> r.addQueryParam(e.getKey(), e.getValue()));
    return r.send().compose(resp -> {
      io.vertx.core.json.JsonObject json = resp.bodyAsJsonObject();
      if (resp.statusCode() / 100 != 2 || json == null) {
        return Future.failedFuture(new StorageException(name() + ": metadata answered " + resp.statusCode()));
      }
      io.vertx.core.json.JsonObject data = json.getJsonObject("data");
      return Future.succeededFuture(data == null ? new io.vertx.core.json.JsonObject() : data);
    });
  }

  private static List<String> strings(io.vertx.core.json.JsonObject json) {
    List<String> out = new java.util.ArrayList<>();
    io.vertx.core.json.JsonArray a = json.getJsonArray("data");
    if (a != null) {
      for (Object o : a) {
        out.add(String.valueOf(o));
      }
    }
    return out;
  }

  static MultiMap range(long mint, long maxt) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    form.add("start", InstantQueryRead.seconds(mint));
    form.add("end", InstantQueryRead.seconds(maxt));
    return form;
  }

  static String snippet(String s) {
    if (s == null) {
      return "";
    }
    s = s.strip();
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  @Override
  public Future<Void> close() {
    client.close();
    return Future.succeededFuture();
  }

  /** The backend has no remote read endpoint (404/405). */
  static final class RemoteReadRefused extends StorageException {
    RemoteReadRefused(String message) {
      super(message);
    }
  }
}
