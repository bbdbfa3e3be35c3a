package io.promgate.storeapi;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.Querier;
import io.promgate.model.Queryable;
import io.promgate.model.SelectHints;
import io.promgate.model.SeriesSet;
import io.promgate.model.StorageException;
import io.promgate.storeapi.thanos.Func;
import io.promgate.storeapi.thanos.Grouping;
import io.promgate.storeapi.thanos.LabelNamesRequest;
import io.promgate.storeapi.thanos.LabelNamesResponse;
import io.promgate.storeapi.thanos.LabelValuesRequest;
import io.promgate.storeapi.thanos.LabelValuesResponse;
import io.promgate.storeapi.thanos.PartialResponseStrategy;
import io.promgate.storeapi.thanos.QueryHints;
import io.promgate.storeapi.thanos.Range;
import io.promgate.storeapi.thanos.SeriesRequest;
import io.promgate.storeapi.thanos.SeriesResponse;
import io.promgate.storeapi.thanos.info.InfoRequest;
import io.promgate.storeapi.thanos.info.InfoResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.util.List;
import java.util.function.Predicate;
import java.util.concurrent.TimeUnit;

/**
 * A remote StoreAPI server (Thanos sidecar, store gateway, receiver, or another promgate) as a
 * {@link Queryable}. Every call is one gRPC request over a shared HTTP/2 connection, so concurrent selects
 * run concurrently; the tenant travels as {@code thanos-tenant} metadata and the deadline as
 * {@code grpc-timeout}.
 *
 * <p>Two ways in: the {@code *Async} methods return Vert.x futures (the gateway issues all selects of a
 * query at once and joins them), and the {@link Querier} from {@link #querier} blocks its caller until the
 * answer is complete, for the engine, which calls the SPI from a worker thread. Blocking on an event loop
 * would deadlock the very loop that must deliver the answer, so it is refused.
 */
public final class StoreApiQueryable implements Queryable {
  static final long MAX_MESSAGE_BYTES = 128L << 20;
  private final Vertx vertx;
  /** The backend's client, shared with the tenant views of {@link #withTenant}. */
  private final Clients clients;
  private final boolean ownsClient;
  private final SocketAddress address;
  private final StoreApiClientConfig config;
  private final String name;

  private StoreApiQueryable(Vertx vertx, Clients clients, boolean ownsClient, StoreApiClientConfig config) {
    this.vertx = vertx;
    this.clients = clients;
    this.ownsClient = ownsClient;
    this.config = config;
    this.address = SocketAddress.inetSocketAddress(config.port(), config.host());
    this.name = "storeapi " + config.host() + ":" + config.port();
  }

  /**
   * A client, built where the caller stands. With TLS this reads the PEM files and builds the TLS context
   * on first use, on whichever event loop makes the first call; servers use {@link #createAsync}.
   */
  public static StoreApiQueryable create(Vertx vertx, StoreApiClientConfig config) {
    HttpClientOptions http = httpOptions(config);
    return new StoreApiQueryable(vertx, new Clients(() -> GrpcClient.client(vertx, grpcOptions(), http)), true,
        config);
  }

  /**
   * A client whose TLS is ready before the first call: on a worker, the PEM files are read into memory and
   * the JVM's TLS stack is initialised and exercised (context, engine, ClientHello, certificate path
   * validation). Done on the first connection instead, that took an event loop for one to two seconds.
   */
  public static Future<StoreApiQueryable> createAsync(Vertx vertx, StoreApiClientConfig config) {
    if (!config.tls()) {
      return Future.succeededFuture(create(vertx, config));
    }
    return vertx.executeBlocking(() -> {
      HttpClientOptions http = httpOptions(config);
      TlsWarmUp.inMemoryPem(http);
      TlsWarmUp.run(vertx, http, config);
      return new StoreApiQueryable(vertx, new Clients(() -> GrpcClient.client(vertx, grpcOptions(), http)), true,
          config);
    }, false);
  }

  /**
   * The same backend for another tenant over the same client (connections and TLS context); closing the
   * view leaves the client open, its owner closes it.
   */
  public StoreApiQueryable withTenant(String tenant) {
    return new StoreApiQueryable(vertx, clients, false, config.withTenant(tenant));
  }

  private static HttpClientOptions httpOptions(StoreApiClientConfig config) {
    // HTTP/2's default 64 KiB windows cap a stream at one window per round trip; Series answers are
    // megabytes, so give each stream 1 MiB and the connection 16 MiB (grpc-go reaches similar sizes through
    // its BDP estimation).
    HttpClientOptions http = new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false)
        .setInitialSettings(new Http2Settings().setInitialWindowSize(1 << 20))
        .setHttp2ConnectionWindowSize(16 << 20);
    if (config.tls()) {
      http.setSsl(true).setUseAlpn(true).setTrustAll(config.tlsInsecure()).setVerifyHost(!config.tlsInsecure());
      if (config.tlsCaPath() != null) {
        http.setTrustOptions(new PemTrustOptions().addCertPath(config.tlsCaPath()));
      }
      if (config.tlsCertPath() != null) {
        http.setKeyCertOptions(new io.vertx.core.net.PemKeyCertOptions().setCertPath(config.tlsCertPath())
            .setKeyPath(config.tlsKeyPath()));
      }
    }
    return http;
  }

  private static GrpcClientOptions grpcOptions() {
    // Thanos stores send frames of up to ~1 MiB of chunks (and batches of them); Vert.x' 256 KiB default
    // would reject those. The deadline is also enforced locally, so a silent server cannot hang a query.
    return new GrpcClientOptions().setMaxMessageSize(MAX_MESSAGE_BYTES).setScheduleDeadlineAutomatically(true);
  }

  public StoreApiClientConfig config() {
    return config;
  }

  @Override
  public StoreApiQuerier querier(long mint, long maxt) {
    return new StoreApiQuerier(this, mint, maxt);
  }

  public Future<InfoResponse> info() {
    return unary(ThanosMethods.CLIENT_INFO, InfoRequest.getDefaultInstance(), null);
  }

  /** Series over [mint, maxt]; the future fails with {@link StorageException} on any non-OK status. */
  public Future<SeriesSet> selectAsync(long mint, long maxt, boolean sort, SelectHints hints,
      List<LabelMatcher> matchers) {
    return select(mint, maxt, sort, hints, matchers, null, null);
  }

  /**
   * {@link #selectAsync(long, long, boolean, SelectHints, List)}, asking {@code admit} for every new series as
   * it arrives: once it answers false the call is cancelled (the server stops streaming) and the future
   * succeeds with the series admitted so far (a query over its series limit gains nothing from the rest).
   */
  public Future<SeriesSet> selectAsync(long mint, long maxt, boolean sort, SelectHints hints,
      List<LabelMatcher> matchers, Predicate<Labels> admit) {
    return select(mint, maxt, sort, hints, matchers, null, admit);
  }

  Future<SeriesSet> selectAsync(long mint, long maxt, boolean sort, SelectHints hints, List<LabelMatcher> matchers,
      Cancellation inflight) {
    return select(mint, maxt, sort, hints, matchers, inflight, null);
  }

  private Future<SeriesSet> select(long mint, long maxt, boolean sort, SelectHints hints, List<LabelMatcher> matchers,
      Cancellation inflight, Predicate<Labels> admit) {
    SelectHints h = hints == null ? SelectHints.ofRange(mint, maxt) : hints;
    QueryHints.Builder qh = QueryHints.newBuilder().setStepMillis(h.step())
        .setFunc(Func.newBuilder().setName(h.func()))
        .setRange(Range.newBuilder().setMillis(h.range()));
    if (!h.grouping().isEmpty()) {
      qh.setGrouping(Grouping.newBuilder().setBy(h.by()).addAllLabels(h.grouping()));
    }
    SeriesRequest req = SeriesRequest.newBuilder()
        .setMinTime(mint).setMaxTime(maxt)
        .addAllMatchers(Protos.toProto(matchers))
        .setPartialResponseStrategy(PartialResponseStrategy.ABORT)
        .setPartialResponseDisabled(true)
        .setSkipChunks("series".equals(h.func()))
        .setStep(h.step()).setRange(h.range())
        .setQueryHints(qh)
        .setResponseBatchSize(64)
        .build();
    SeriesCollector collector = new SeriesCollector(name, admit);
    return request(ThanosMethods.CLIENT_SERIES).compose(call -> {
      if (!prepare(call, inflight)) {
        return Future.failedFuture(new StorageException(name + ": cancelled"));
      }
      // The message handler goes on before the request is sent, not in send(req).compose(...): when this
      // runs on another thread than the call's stream, the whole answer could arrive before compose attached,
      // and Vert.x drops the messages of a response without a handler (an empty, successful answer).
      Future<SeriesSet> answer = call.response().compose(resp -> {
        Promise<SeriesSet> done = Promise.promise();
        resp.handler(frame -> {
          if (!collector.stopped()) {
            collector.accept(frame);
            if (collector.stopped()) {
              // Answered now, not when the reset's CANCELLED comes back: that is not the backend's failure.
              forget(call, inflight);
              call.cancel();
              done.tryComplete(collector.result(sort));
            }
          }
        });
        resp.end().onComplete(ar -> {
          forget(call, inflight);
          if (collector.stopped()) {
            done.tryComplete(collector.result(sort));
          } else if (resp.status() != null && resp.status() != GrpcStatus.OK) {
            done.tryFail(failure(resp));
          } else if (ar.failed()) {
            done.tryFail(new StorageException(name + ": " + ar.cause().getMessage(), ar.cause()));
          } else {
            done.tryComplete(collector.result(sort));
          }
        });
        return done.future();
      });
      call.end(req);
      return answer;
    }).recover(e -> Future.failedFuture(e instanceof StorageException ? e
        : new StorageException(name + ": " + e.getMessage(), e)));
  }

  /** The raw frames of one Series call (tests, benchmarks, diagnostics). */
  Future<List<SeriesResponse>> seriesFrames(SeriesRequest req) {
    List<SeriesResponse> frames = new java.util.ArrayList<>();
    return request(ThanosMethods.CLIENT_SERIES).compose(call -> {
      prepare(call, null);
      Future<List<SeriesResponse>> answer = call.response().compose(resp -> {
        resp.handler(frames::add);
        return resp.end().transform(ar -> {
          if (resp.status() != null && resp.status() != GrpcStatus.OK) {
            return Future.failedFuture(failure(resp));
          }
          return ar.failed() ? Future.failedFuture(ar.cause()) : Future.succeededFuture(frames);
        });
      });
      call.end(req);
      return answer;
    });
  }

  public Future<List<String>> labelNamesAsync(long mint, long maxt, List<LabelMatcher> matchers) {
    return labelNamesAsync(mint, maxt, matchers, null);
  }

  Future<List<String>> labelNamesAsync(long mint, long maxt, List<LabelMatcher> matchers, Cancellation inflight) {
    LabelNamesRequest req = LabelNamesRequest.newBuilder().setStart(mint).setEnd(maxt)
        .addAllMatchers(Protos.toProto(matchers)).setPartialResponseStrategy(PartialResponseStrategy.ABORT).build();
    return unary(ThanosMethods.CLIENT_LABEL_NAMES, req, inflight).map(LabelNamesResponse::getNamesList);
  }

  public Future<List<String>> labelValuesAsync(long mint, long maxt, String name, List<LabelMatcher> matchers) {
    return labelValuesAsync(mint, maxt, name, matchers, null);
  }

  Future<List<String>> labelValuesAsync(long mint, long maxt, String name, List<LabelMatcher> matchers,
      Cancellation inflight) {
    LabelValuesRequest req = LabelValuesRequest.newBuilder().setLabel(name).setStart(mint).setEnd(maxt)
        .addAllMatchers(Protos.toProto(matchers)).setPartialResponseStrategy(PartialResponseStrategy.ABORT).build();
    return unary(ThanosMethods.CLIENT_LABEL_VALUES, req, inflight).map(LabelValuesResponse::getValuesList);
  }

  <Req, Resp> Future<Resp> unary(ServiceMethod<Resp, Req> method, Req req, Cancellation inflight) {
    return request(method).compose(call -> {
      if (!prepare(call, inflight)) {
        return Future.failedFuture(new StorageException(name + ": cancelled"));
      }
      return call.send(req).compose(resp -> resp.last().transform(ar -> {
        forget(call, inflight);
        if (resp.status() != null && resp.status() != GrpcStatus.OK) {
          return Future.failedFuture(failure(resp));
        }
        return ar.failed() ? Future.failedFuture(ar.cause()) : Future.succeededFuture(ar.result());
      }));
    }).recover(e -> Future.failedFuture(e instanceof StorageException ? e
        : new StorageException(name + ": " + e.getMessage(), e)));
  }

  /**
   * A call on the backend's connection, or a failure once the deadline passed without one: the gRPC deadline
   * only starts when the call exists, and while the connection is still being set up nothing else bounds
   * the wait. A call that arrives too late is reset at once.
   */
  private <Req, Resp> Future<GrpcClientRequest<Req, Resp>> request(ServiceMethod<Resp, Req> method) {
    long ms = config.timeout().toMillis();
    GrpcClient c = clients.current();
    Promise<GrpcClientRequest<Req, Resp>> p = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, ms), id -> {
      if (!p.future().isComplete()) {
        // The new client first, so that a call made when this failure is seen uses it; the old one is
        // closed last, as closing it fails its waiting calls (with a less telling "Pool closed").
        GrpcClient stuck = clients.replace(c);
        p.tryFail(new StorageException(name + ": DEADLINE_EXCEEDED: no connection within " + ms + " ms"));
        if (stuck != null) {
          stuck.close();
        }
      }
    });
    c.request(address, method).onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        if (!p.tryComplete(ar.result())) {
          ar.result().cancel();
        } else {
          watchSilence(c, ar.result(), ms);
        }
      } else {
        p.tryFail(ar.cause());
      }
    });
    return p.future();
  }

  /**
   * A connection that worked and then went silent (the peer black-holes mid-life: no FIN, no RST) keeps
   * taking calls: each one runs into its deadline and the next is sent on the same dead connection, for as
   * long as TCP takes to give up (many minutes; found by StoreApiFaultInjectionIT). So a call that has no
   * response headers by its deadline retires its client: later calls get a new one, with a new connection.
   * The old client is closed once every call it may still carry is past its deadline, so healthy streams
   * on it are not cut. A call that failed well before its deadline (a reset, a cancel) says nothing about
   * silence and retires nothing.
   */
  private void watchSilence(GrpcClient c, GrpcClientRequest<?, ?> call, long ms) {
    long t0 = System.nanoTime();
    long timer = vertx.setTimer(Math.max(1, ms), id -> {
      if (!call.response().succeeded()) {
        GrpcClient silent = clients.replace(c);
        if (silent != null) {
          vertx.setTimer(2 * Math.max(1, ms), id2 -> silent.close());
        }
      }
    });
    call.response().onComplete(ar -> {
      if (ar.succeeded() || System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(ms) * 9 / 10) {
        vertx.cancelTimer(timer);
      }
    });
  }

  /**
   * Sets the call up; false when its querier was closed while the call was being created: then it must not
   * be sent, as a cancel before the headers went out does not stop a later send, and the server would
   * stream to nobody (its querier held open by flow control).
   */
  private boolean prepare(GrpcClientRequest<?, ?> call, Cancellation inflight) {
    if (config.tenant() != null) {
      call.headers().set(ThanosMethods.TENANT_HEADER, config.tenant());
    }
    call.timeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
    if (inflight != null) {
      inflight.register(call);
      return !inflight.cancelled();
    }
    return true;
  }

  private static void forget(GrpcClientRequest<?, ?> call, Cancellation inflight) {
    if (inflight != null) {
      inflight.forget(call);
    }
  }

  private StorageException failure(io.vertx.grpc.client.GrpcClientResponse<?, ?> resp) {
    String message = statusMessage(resp);
    return new StorageException(name + ": " + resp.status().name() + (message == null ? "" : ": " + message));
  }

  /**
   * The call's grpc-message. Vert.x 5.0.1's {@code statusMessage()} looks only in the response headers, where
   * the message is only in a trailers-only answer (a call that failed before its first message); a server
   * that fails after streaming (a store failing mid-stream) sends it in the trailers, and the reason was lost.
   */
  static String statusMessage(io.vertx.grpc.client.GrpcClientResponse<?, ?> resp) {
    String m = resp.statusMessage();
    if (m == null && resp.trailers() != null) {
      String raw = resp.trailers().get("grpc-message");
      if (raw != null) {
        m = percentDecode(raw);
      }
    }
    return m;
  }

  /** gRPC's percent-encoding of grpc-message (UTF-8 bytes; '+' is a plus, unlike form encoding). */
  static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int hi;
      int lo;
      if (c == '%' && i + 2 < s.length() && (hi = Character.digit(s.charAt(i + 1), 16)) >= 0
          && (lo = Character.digit(s.charAt(i + 2), 16)) >= 0) {
        out.write(hi << 4 | lo);
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  public Future<Void> close() {
    return ownsClient ? clients.close() : Future.succeededFuture();
  }

  @Override
  public String toString() {
    return name;
  }

  /**
   * The backend's gRPC client, replaceable (see {@link Clients#replace}); one per backend, shared by its tenant
   * views, so a replacement serves every tenant.
   */
  private static final class Clients {
    private final java.util.function.Supplier<GrpcClient> factory;
    private volatile GrpcClient client;
    private boolean closed;

    Clients(java.util.function.Supplier<GrpcClient> factory) {
      this.factory = factory;
      this.client = factory.get();
    }

    GrpcClient current() {
      return client;
    }

    /**
     * Starts over with a new client (and so a new connection) when {@code stuck} could not give a call its
     * connection within the deadline, or its connection went silent ({@code watchSilence}). A server that accepts the TCP connection and never answers the HTTP/2
     * handshake (a hung process, a black-holing middlebox) leaves the pool's connection "connecting" for ever
     * (a read-idle timeout did not end it either; the connect timeout, 60 s by default, is far beyond call
     * deadlines and did not end it within the tests' 14 s): every later call
     * queued behind it and the backend never recovered, also after the server was back (found by
     * StoreApiFaultInjectionIT). Returns the client to close (closing it closes that connection), or null when
     * another call replaced it already.
     */
    synchronized GrpcClient replace(GrpcClient stuck) {
      if (client == stuck && !closed) {
        client = factory.get();
        return stuck;
      }
      return null;
    }

    synchronized Future<Void> close() {
      closed = true;
      return client.close();
    }
  }
}
