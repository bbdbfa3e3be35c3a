package io.promgate.storeapi;

import static io.promgate.storeapi.StoreApiTestSupport.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.model.LabelMatcher;
import io.promgate.model.LabelMatcher.Type;
import io.promgate.storeapi.thanos.SeriesRequest;
import io.promgate.storeapi.thanos.SeriesResponse;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A slow reader holds the server back: while the client does not read, the server stops reading its store
 * long before the end; when the client cancels, the server stops and releases its querier.
 */
class FlowControlTest {
  static final int SERIES = 20_000;
  Vertx vertx;
  GeneratedTenants store;
  StoreApiServer server;
  GrpcClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    store = new GeneratedTenants(SERIES, 4);
    server = get(StoreApiServer.start(vertx, store, StoreApiServerConfig.builder().host("127.0.0.1").port(0).build()));
    client = GrpcClient.client(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));
  }

  @AfterEach
  void stop() {
    get(client.close());
    get(server.close());
    get(vertx.close());
  }

  record Open(GrpcClientRequest<SeriesRequest, SeriesResponse> call,
      GrpcClientResponse<SeriesRequest, SeriesResponse> resp) {
  }

  private Open openPaused(AtomicLong received) {
    SeriesRequest req = SeriesRequest.newBuilder().setMinTime(0).setMaxTime(Long.MAX_VALUE)
        .addAllMatchers(Protos.toProto(List.of(LabelMatcher.of(Type.RE, "__name__", ".+")))).setResponseBatchSize(64).build();
    return get(client.request(SocketAddress.inetSocketAddress(server.port(), "127.0.0.1"),
        ThanosMethods.CLIENT_SERIES).compose(call -> call.send(req).map(resp -> {
          resp.pause();
          resp.handler(r -> received.addAndGet(r.hasBatch() ? r.getBatch().getSeriesCount() : 1));
          return new Open(call, resp);
        })));
  }

  /** Completes once the producer count has not moved for a few consecutive checks (the server is stalled). */
  private void awaitStall() {
    Promise<Void> stalled = Promise.promise();
    long[] last = {-1};
    int[] still = {0};
    vertx.setPeriodic(50, id -> {
      long now = store.produced.get();
      still[0] = now == last[0] ? still[0] + 1 : 0;
      last[0] = now;
      if (still[0] >= 4) {
        vertx.cancelTimer(id);
        stalled.complete();
      }
    });
    get(stalled.future());
  }

  @Test
  void serverPausesWhileTheClientDoesNotRead() {
    AtomicLong received = new AtomicLong();
    GrpcClientResponse<SeriesRequest, SeriesResponse> resp = openPaused(received).resp();
    awaitStall();
    long producedWhilePaused = store.produced.get();
    // Measured: ~2,300 series (one 256 KiB step plus what the HTTP/2 windows hold), whatever SERIES is.
    assertThat(producedWhilePaused).isGreaterThan(0).isLessThan(SERIES / 4);

    resp.resume();
    get(resp.end());
    assertThat(received.get()).isEqualTo(SERIES);
    assertThat(store.produced.get()).isEqualTo(SERIES);
  }

  @Test
  void cancellingStopsTheServerAndReleasesTheQuerier() {
    AtomicLong received = new AtomicLong();
    Open open = openPaused(received);
    awaitStall();
    open.call().cancel();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (store.openQueriers.get() != 0 && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
    }
    assertThat(store.openQueriers.get()).isZero();
    assertThat(store.produced.get()).isLessThan(SERIES / 4);
  }
}
