package io.promgate.storeapi;

import io.promgate.storeapi.thanos.SeriesRequest;
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

  private final HttpServer http;

  private StoreApiServer(HttpServer http) {
    this.http = http;
  }

  public static Future<StoreApiServer> start(Vertx vertx, TenantQueryables stores, StoreApiServerConfig config) {
    StoreApiService service = new StoreApiService(stores, config);
    // A client's grpc-timeout ends the call server-side too (the Series call then stops reading the store).
    GrpcServer grpc = GrpcServer.server(vertx, new GrpcServerOptions().setScheduleDeadlineAutomatically(true));
    grpc.callHandler(ThanosMethods.SERVER_SERIES, req -> req.handler(msg -> series(req, msg, service)));
    grpc.callHandler(ThanosMethods.SERVER_LABEL_NAMES, req -> req.handler(msg ->
        unary(req.response(), () -> service.labelNames(req.headers().get(ThanosMethods.TENANT_HEADER), msg))));
    grpc.callHandler(ThanosMethods.SERVER_LABEL_VALUES, req -> req.handler(msg ->
        unary(req.response(), () -> service.labelValues(req.headers().get(ThanosMethods.TENANT_HEADER), msg))));
    grpc.callHandler(ThanosMethods.SERVER_INFO, req -> req.handler(msg ->
        unary(req.response(), () -> service.info(req.headers().get(ThanosMethods.TENANT_HEADER)))));

    HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port());
    if (config.tls()) {
      options.setSsl(true).setUseAlpn(true)
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(config.tlsCertPath()).setKeyPath(config.tlsKeyPath()));
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
      StoreApiService service) {
    SeriesCall call = new SeriesCall(Vertx.currentContext(), req.response());
    req.exceptionHandler(e -> call.cancel());
    req.response().exceptionHandler(e -> call.cancel());
    if (req.deadline() != null) {
      req.deadline().onSuccess(v -> call.cancel());
    }
    String tenant = req.headers().get(ThanosMethods.TENANT_HEADER);
    call.start(() -> service.series(tenant, msg));
  }

  static void fail(GrpcServerResponse<?, ?> resp, Throwable e) {
    GrpcStatus status = e instanceof IllegalArgumentException ? GrpcStatus.INVALID_ARGUMENT : GrpcStatus.INTERNAL;
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    try {
      resp.status(status).statusMessage(message).end();
    } catch (IllegalStateException alreadyEnded) {
      // the client went away or the stream already ended; nothing left to tell
    }
  }
}
