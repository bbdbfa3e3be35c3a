package io.promgate.storeapi;

import static io.promgate.storeapi.StoreApiTestSupport.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.model.LabelMatcher;
import io.promgate.model.LabelMatcher.Type;
import io.promgate.model.Labels;
import io.promgate.model.Queryable;
import io.promgate.storeapi.thanos.SeriesRequest;
import io.promgate.storeapi.thanos.SeriesResponse;
import io.promgate.storeapi.thanos.info.InfoRequest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Series call the client resets while the server is still opening its querier: the server must release
 * the querier once it is open. Vert.x reports a reset to the gRPC request's error handler only, and writing
 * to the reset call throws; the server used to miss the reset, write, throw, and keep the querier open for
 * ever (the "querier the server never released" flake of StoreApiRoundTripTest). The interleaving is forced:
 * the querier opens only after the server has read the reset.
 */
class ResetCallReleaseTest {
  Vertx vertx;
  InMemoryTenants store;
  CountDownLatch opening;
  CountDownLatch mayOpen;
  CountDownLatch opened;
  StoreApiServer server;
  GrpcClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    store = new InMemoryTenants();
    for (int i = 0; i < 10; i++) {
      store.addSeries("a", Labels.of("__name__", "up", "instance", "i" + i), 1_700_000_000_000L, 100);
    }
    opening = new CountDownLatch(1);
    mayOpen = new CountDownLatch(1);
    opened = new CountDownLatch(1);
    TenantQueryables gated = new TenantQueryables() {
      @Override
      public Queryable forTenant(String tenant) {
        Queryable q = store.forTenant(tenant);
        return (mint, maxt) -> {
          opening.countDown();
          try {
            mayOpen.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          var querier = q.querier(mint, maxt);
          opened.countDown();
          return querier;
        };
      }

      @Override public Set<String> tenants() { return store.tenants(); }
      @Override public long minTime(String tenant) { return store.minTime(tenant); }
      @Override public long maxTime(String tenant) { return store.maxTime(tenant); }
    };
    server = get(StoreApiServer.start(vertx, gated, StoreApiServerConfig.builder().host("127.0.0.1").port(0)
        .defaultTenant("a").build()));
    client = GrpcClient.client(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));
  }

  @AfterEach
  void stop() {
    mayOpen.countDown();
    get(client.close());
    get(server.close());
    get(vertx.close());
  }

  @Test
  void aCallResetWhileItsQuerierOpensReleasesIt() throws Exception {
    SocketAddress addr = SocketAddress.inetSocketAddress(server.port(), "127.0.0.1");
    GrpcClientRequest<SeriesRequest, SeriesResponse> call = get(client.request(addr, ThanosMethods.CLIENT_SERIES));
    get(call.end(SeriesRequest.newBuilder().setMinTime(0).setMaxTime(Long.MAX_VALUE)
        .addAllMatchers(Protos.toProto(List.of(LabelMatcher.of(Type.RE, "__name__", ".+")))).build()));
    assertThat(opening.await(30, TimeUnit.SECONDS)).as("the server opens the querier").isTrue();
    call.cancel();
    // A call on the same connection, answered: the server read the reset, which the client sent before it.
    get(client.request(addr, ThanosMethods.CLIENT_INFO)
        .compose(info -> info.send(InfoRequest.getDefaultInstance()))
        .compose(resp -> resp.last()));
    mayOpen.countDown();
    assertThat(opened.await(30, TimeUnit.SECONDS)).isTrue();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (store.openQueriers.get() != 0 && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
    }
    assertThat(store.openQueriers.get()).isZero();
  }
}
