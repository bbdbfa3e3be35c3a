package io.promgate.storeapi;

import io.promgate.storeapi.thanos.LabelNamesRequest;
import io.promgate.storeapi.thanos.LabelValuesRequest;
import io.promgate.storeapi.thanos.SeriesRequest;
import io.promgate.storeapi.thanos.info.InfoRequest;
import io.promgate.storeapi.thanos.SeriesResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;

/**
 * Serves Thanos' StoreAPI ({@code thanos.Store}) and Info ({@code thanos.info.Info}) over gRPC for any
 * per-tenant store, so that a Thanos Query can add promgate as an endpoint.
 *
 * <p>Threading: the event loop only decodes, writes and reacts to flow control; every store access runs on
 * a worker via {@code executeBlocking}. Series is pulled, not pushed: the loop asks the producer for about
 * {@link #STEP_BYTES} of frames, writes them, and asks for more only when the HTTP/2 stream can take them
 * (otherwise it waits for the drain). So a slow reader holds the server at a bounded amount of memory, and
 * a cancelled call stops reading the store at the next step.
 */
public final class StoreApiServer {
  static final int STEP_BYTES = 256 * 1024;
  /** How long a call may take to deliver its one request message (they are small: bytes to kilobytes). */
  static final long REQUEST_MESSAGE_TIMEOUT_MS = 10_000;

  private final HttpServer http;

  private StoreApiServer(HttpServer http) {
    this.http = http;
  }

  public static Future<StoreApiServer> start(Vertx vertx, TenantQueryables stores, StoreApiServerConfig config) {
    return start(vertx, stores, config, StoreApiAccess.OPEN);
  }

  /** As above, with every call first checked by {@code access} (on the worker, before the store is read). */
  public static Future<StoreApiServer> start(Vertx vertx, TenantQueryables stores, StoreApiServerConfig config,
      StoreApiAccess access) {
    StoreApiService service = new StoreApiService(stores, config);
    Guard guard = new Guard(access, config);
    // A client's grpc-timeout ends the call server-side too (the Series call then stops reading the store).
    GrpcServer grpc = GrpcServer.server(vertx, new GrpcServerOptions().setScheduleDeadlineAutomatically(true));
    grpc.callHandler(ThanosMethods.SERVER_SERIES, oneMessage(SeriesRequest::parseFrom,
        (req, msg) -> series(req, msg, service, guard)));
    grpc.callHandler(ThanosMethods.SERVER_LABEL_NAMES, oneMessage(LabelNamesRequest::parseFrom, (req, msg) ->
        unary(req.response(), () -> service.labelNames(guard.tenant(req.headers()), msg))));
    grpc.callHandler(ThanosMethods.SERVER_LABEL_VALUES, oneMessage(LabelValuesRequest::parseFrom, (req, msg) ->
        unary(req.response(), () -> service.labelValues(guard.tenant(req.headers()), msg))));
    grpc.callHandler(ThanosMethods.SERVER_INFO, oneMessage(InfoRequest::parseFrom, (req, msg) ->
        unary(req.response(), () -> service.info(guard.tenant(req.headers())))));
    // Without this, Vert.x answers an unknown method with HTTP 500 and no grpc-status (found by fuzzing).
    grpc.callHandler(req -> {
      req.handler(ignored -> { });
      req.invalidMessageHandler(ignored -> { }); // answered already; Vert.x' default would answer again
      reject(req.response(), GrpcStatus.UNIMPLEMENTED, "unknown method " + req.fullMethodName());
    });

    HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port());
    if (config.tls()) {
      options.setSsl(true).setUseAlpn(true)
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(config.tlsCertPath()).setKeyPath(config.tlsKeyPath()));
      if (config.tlsClientCaPath() != null) {
        options.setTrustOptions(new io.vertx.core.net.PemTrustOptions().addCertPath(config.tlsClientCaPath()))
            .setClientAuth(io.vertx.core.http.ClientAuth.REQUIRED);
      }
    }
    return vertx.createHttpServer(options).requestHandler(grpc).listen()
        .map(StoreApiServer::new);
  }

  /** The bound port (useful when configured with 0). */
  public int port() {
    return http.actualPort();
  }

  public Future<Void> close() {
    return http.close();
  }

  private static <T> void unary(GrpcServerResponse<?, T> resp, java.util.concurrent.Callable<T> call) {
    Vertx.currentContext().executeBlocking(call, false)
        .onSuccess(resp::end)
        .onFailure(e -> fail(resp, e));
  }

  private static void series(GrpcServerRequest<SeriesRequest, SeriesResponse> req, SeriesRequest msg,
      StoreApiService service, Guard guard) {
    SeriesCall call = new SeriesCall(Vertx.currentContext(), req.response());
    req.exceptionHandler(e -> call.cancel());
    req.response().exceptionHandler(e -> call.cancel());
    // A client's reset (its querier closed, a deadline) reaches only this handler, not the exception handlers.
    req.errorHandler(e -> call.cancel());
    if (req.deadline() != null) {
      req.deadline().onSuccess(v -> call.cancel());
    }
    io.vertx.core.MultiMap headers = req.headers();
    call.start(() -> service.series(guard.tenant(headers), msg));
  }

  /** Parses a request message (the generated {@code parseFrom(byte[])}). */
  private interface Parser<Q> {
    Q parse(byte[] bytes) throws java.io.IOException;
  }

  /**
   * Every method here takes exactly one request message, decoded here rather than by Vert.x. Found by
   * fuzzing: Vert.x resets the stream (CANCEL, no status) for bytes that are not the message, throws
   * (and never answers, so the client hangs until its deadline) for a frame marked compressed without a
   * known grpc-encoding, and never answers a call that ended without any message. Here each of these gets
   * INVALID_ARGUMENT; a second message is ignored.
   */
  private static <Q, R> io.vertx.core.Handler<GrpcServerRequest<Q, R>> oneMessage(Parser<Q> parser,
      java.util.function.BiConsumer<GrpcServerRequest<Q, R>, Q> onMessage) {
    return req -> {
      boolean[] answered = {false};
      req.invalidMessageHandler(e -> {
        if (!answered[0]) {
          answered[0] = true;
          reject(req.response(), GrpcStatus.INVALID_ARGUMENT, e instanceof io.vertx.grpc.common.MessageSizeOverflowException
              ? "request message too large" : "request message cannot be decoded");
        }
      });
      req.messageHandler(m -> {
        if (answered[0]) {
          return;
        }
        answered[0] = true;
        Q msg;
        try {
          msg = parser.parse(payload(m));
        } catch (java.io.IOException | RuntimeException e) {
          reject(req.response(), GrpcStatus.INVALID_ARGUMENT, "request message cannot be decoded");
          return;
        }
        onMessage.accept(req, msg);
      });
      req.endHandler(v -> {
        if (!answered[0]) {
          answered[0] = true;
          reject(req.response(), GrpcStatus.INVALID_ARGUMENT, "the call carried no request message");
        }
      });
      // Last resort: Vert.x' deframer throws on a frame flagged compressed without grpc-encoding and then
      // delivers neither the message nor the end, so without this the call would hang forever.
      Vertx.currentContext().owner().setTimer(REQUEST_MESSAGE_TIMEOUT_MS, id -> {
        if (!answered[0]) {
          answered[0] = true;
          reject(req.response(), GrpcStatus.INVALID_ARGUMENT,
              "no complete request message within " + REQUEST_MESSAGE_TIMEOUT_MS / 1000 + " s");
        }
      });
    };
  }

  private static byte[] payload(io.vertx.grpc.common.GrpcMessage m) throws java.io.IOException {
    String enc = m.encoding();
    if (enc == null || enc.equals("identity")) {
      return m.payload().getBytes();
    }
    if (enc.equals("gzip")) {
      try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(m.payload().getBytes()))) {
        return in.readNBytes(64 << 20); // far above any request; a bomb stops here
      }
    }
    throw new java.io.IOException("unsupported message encoding " + enc);
  }

  private static void reject(GrpcServerResponse<?, ?> resp, GrpcStatus status, String message) {
    try {
      resp.status(status).statusMessage(message).end();
    } catch (IllegalStateException alreadyEnded) {
      // the client went away or the stream already ended
    }
  }

  static void fail(GrpcServerResponse<?, ?> resp, Throwable e) {
    GrpcStatus status = e instanceof StoreApiAccess.Denied d
        ? (d.unauthenticated() ? GrpcStatus.UNAUTHENTICATED : GrpcStatus.PERMISSION_DENIED)
        : e instanceof IllegalArgumentException ? GrpcStatus.INVALID_ARGUMENT : GrpcStatus.INTERNAL;
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    try {
      resp.status(status).statusMessage(message).end();
    } catch (IllegalStateException alreadyEnded) {
      // the client went away or the stream already ended; nothing left to tell
    }
  }

  /** Runs the access check on the worker and hands on the call's tenant metadata unchanged. */
  private record Guard(StoreApiAccess access, StoreApiServerConfig config) {
    String tenant(io.vertx.core.MultiMap headers) {
      String tenant = headers.get(ThanosMethods.TENANT_HEADER);
      if (access != StoreApiAccess.OPEN) {
        String effective = tenant != null && !tenant.isEmpty() ? tenant
            : config.allTenants() ? "*" : config.defaultTenant();
        access.check(headers.get("authorization"), effective);
      }
      return tenant;
    }
  }
}
