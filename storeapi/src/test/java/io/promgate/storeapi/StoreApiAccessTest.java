package io.promgate.storeapi;

import static io.promgate.storeapi.StoreApiTestSupport.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.model.Labels;
import io.promgate.storeapi.thanos.LabelNamesRequest;
import io.promgate.storeapi.thanos.SeriesRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The optional access check: {@code authorization} metadata must grant the call's tenant (its
 * {@code thanos-tenant}, the default tenant, or {@code *} in all-tenants mode), else UNAUTHENTICATED or
 * PERMISSION_DENIED, and the store is never read.
 */
class StoreApiAccessTest {
  static Vertx vertx;
  static GrpcClient client;
  static StoreApiServer isolated;
  static StoreApiServer shared;
  static InMemoryTenants store;

  /** "Bearer t:<tenant>" grants exactly that tenant; anything else is unauthenticated. */
  static final StoreApiAccess ACCESS = (authorization, tenant) -> {
    if (authorization == null || !authorization.startsWith("Bearer t:")) {
      throw new StoreApiAccess.Denied(true, "invalid credentials");
    }
    if (!authorization.substring("Bearer t:".length()).equals(tenant)) {
      throw new StoreApiAccess.Denied(false, "may not read tenant " + tenant);
    }
  };

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    store = new InMemoryTenants()
        .addSeries("a", Labels.of("__name__", "cpu_a"), 0, 3)
        .addSeries("b", Labels.of("__name__", "cpu_b"), 0, 3)
        .addSeries("anonymous", Labels.of("__name__", "cpu_anon"), 0, 3);
    isolated = get(StoreApiServer.start(vertx, store, StoreApiServerConfig.builder().host("127.0.0.1").port(0).build(), ACCESS));
    shared = get(StoreApiServer.start(vertx, store,
        StoreApiServerConfig.builder().host("127.0.0.1").port(0).allTenants(true).build(), ACCESS));
    client = GrpcClient.client(vertx);
  }

  @AfterAll
  static void stop() {
    get(client.close());
    get(isolated.close());
    get(shared.close());
    get(vertx.close());
  }

  record Outcome(GrpcStatus status, List<String> names) {}

  static Outcome labelNames(StoreApiServer server, String tenant, String authorization) {
    return call(server, ThanosMethods.CLIENT_LABEL_NAMES, LabelNamesRequest.newBuilder().setStart(0).setEnd(Long.MAX_VALUE).build(),
        tenant, authorization, r -> r.getNamesList());
  }

  static <Req, Resp> Outcome call(StoreApiServer server, ServiceMethod<Resp, Req> method, Req msg, String tenant,
      String authorization, java.util.function.Function<Resp, List<String>> names) {
    Future<Outcome> f = client.request(SocketAddress.inetSocketAddress(server.port(), "127.0.0.1"), method).compose(call -> {
      if (tenant != null) {
        call.headers().set(ThanosMethods.TENANT_HEADER, tenant);
      }
      if (authorization != null) {
        call.headers().set("authorization", authorization);
      }
      return call.send(msg).compose(resp -> {
        java.util.List<String> got = new java.util.ArrayList<>();
        resp.handler(m -> got.addAll(names.apply(m)));
        return resp.end().transform(ar -> Future.succeededFuture(new Outcome(resp.status(), got)));
      });
    });
    return get(f);
  }

  @Test
  void missingOrWrongCredentialsAreUnauthenticated() {
    assertThat(labelNames(isolated, "a", null).status()).isEqualTo(GrpcStatus.UNAUTHENTICATED);
    assertThat(labelNames(isolated, "a", "Basic x").status()).isEqualTo(GrpcStatus.UNAUTHENTICATED);
  }

  @Test
  void credentialsMustGrantTheCallsTenant() {
    assertThat(labelNames(isolated, "a", "Bearer t:a")).isEqualTo(new Outcome(GrpcStatus.OK, List.of("__name__", "tenant_id")));
    assertThat(labelNames(isolated, "b", "Bearer t:a").status()).isEqualTo(GrpcStatus.PERMISSION_DENIED);
    assertThat(labelNames(isolated, null, "Bearer t:a").status()).as("default tenant").isEqualTo(GrpcStatus.PERMISSION_DENIED);
    assertThat(labelNames(isolated, null, "Bearer t:anonymous").status()).isEqualTo(GrpcStatus.OK);
    Outcome series = call(isolated, ThanosMethods.CLIENT_SERIES, SeriesRequest.newBuilder().setMinTime(0)
        .setMaxTime(Long.MAX_VALUE).addMatchers(io.promgate.storeapi.thanos.LabelMatcher.newBuilder()
            .setType(io.promgate.storeapi.thanos.LabelMatcher.Type.RE).setName("__name__").setValue(".+")).build(),
        "b", "Bearer t:a", r -> r.hasSeries() ? List.of(r.getSeries().toString()) : List.of());
    assertThat(series.status()).isEqualTo(GrpcStatus.PERMISSION_DENIED);
    assertThat(series.names()).isEmpty();
  }

  @Test
  void allTenantsModeNeedsAGrantOnStar() {
    assertThat(labelNames(shared, null, "Bearer t:a").status()).isEqualTo(GrpcStatus.PERMISSION_DENIED);
    assertThat(labelNames(shared, null, "Bearer t:*").status()).isEqualTo(GrpcStatus.OK);
    assertThat(labelNames(shared, "b", "Bearer t:b").status()).isEqualTo(GrpcStatus.OK);
  }
}
