package io.promgate.storeapi;

import static io.promgate.storeapi.StoreApiTestSupport.flatten;
import static io.promgate.storeapi.StoreApiTestSupport.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promgate.model.LabelMatcher;
import io.promgate.model.LabelMatcher.Type;
import io.promgate.model.Labels;
import io.promgate.model.Querier;
import io.promgate.model.SelectHints;
import io.promgate.model.StorageException;
import io.promgate.storeapi.StoreApiTestSupport.Flat;
import io.promgate.storeapi.thanos.info.InfoResponse;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tenants over gRPC: {@code thanos-tenant: a} never sees tenant b's series, label names or values; the
 * opt-in all-tenants mode serves everyone labelled with {@code tenant_id}, like Thanos Receive.
 */
class TenantIsolationTest {
  static final long T0 = 1_700_000_000_000L;
  static final LabelMatcher ANY_NAME = LabelMatcher.of(Type.RE, "__name__", ".+");
  static Vertx vertx;
  static InMemoryTenants store;
  static StoreApiServer isolated;
  static StoreApiServer shared;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    store = new InMemoryTenants()
        .addSeries("a", Labels.of("__name__", "cpu", "host", "a1"), T0, 10)
        .addSeries("a", Labels.of("__name__", "mem", "host", "a1"), T0, 10)
        .addSeries("b", Labels.of("__name__", "cpu", "host", "b1", "secret_b", "s"), T0 + 60_000, 10)
        .addSeries("b", Labels.of("__name__", "b_only_metric", "host", "b2"), T0 + 60_000, 10)
        .addSeries("anonymous", Labels.of("__name__", "cpu", "host", "anon"), T0, 5);
    isolated = get(StoreApiServer.start(vertx, store, StoreApiServerConfig.builder().host("127.0.0.1").port(0).build()));
    shared = get(StoreApiServer.start(vertx, store,
        StoreApiServerConfig.builder().host("127.0.0.1").port(0).allTenants(true).build()));
  }

  @AfterAll
  static void stop() {
    get(isolated.close());
    get(shared.close());
    get(vertx.close());
  }

  static <T> T with(StoreApiServer server, String tenant, Function<StoreApiQueryable, T> call) {
    StoreApiQueryable client = StoreApiQueryable.create(vertx,
        StoreApiClientConfig.plaintext("127.0.0.1", server.port()).withTenant(tenant));
    try {
      return call.apply(client);
    } finally {
      get(client.close());
    }
  }

  static List<Flat> selectAll(StoreApiQueryable c) {
    try (Querier q = c.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      return flatten(q.select(true, SelectHints.ofRange(Long.MIN_VALUE, Long.MAX_VALUE), List.of(ANY_NAME)));
    }
  }

  static String everything(StoreApiQueryable c) {
    try (Querier q = c.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      StringBuilder sb = new StringBuilder();
      selectAll(c).forEach(f -> sb.append(f.labels()).append('\n'));
      List<String> names = q.labelNames(List.of());
      sb.append(names).append('\n');
      for (String n : names) {
        sb.append(n).append('=').append(q.labelValues(n, List.of())).append('\n');
      }
      sb.append(get(c.info()));
      return sb.toString();
    }
  }

  @Test
  void tenantASeesOnlyItsOwnSeriesNamesAndValues() {
    for (StoreApiServer server : List.of(isolated, shared)) {
      String seen = with(server, "a", TenantIsolationTest::everything);
      assertThat(seen).contains("a1", "mem").doesNotContain("b1", "b2", "secret_b", "b_only_metric", "anon");
      assertThat(seen).doesNotContainPattern("tenant_id=\"b\"|value: \"b\"");
      List<Flat> series = with(server, "a", TenantIsolationTest::selectAll);
      assertThat(series).extracting(f -> f.labels().get("tenant_id")).containsOnly("a");
      assertThat(series).hasSize(2);
    }
  }

  @Test
  void tenantBSeesOnlyItsOwn() {
    String seen = with(isolated, "b", TenantIsolationTest::everything);
    assertThat(seen).contains("b1", "secret_b").doesNotContain("a1", "mem", "anon");
  }

  @Test
  void noTenantMeansTheDefaultTenantUnlessAllTenantsIsOn() {
    List<Flat> def = with(isolated, null, TenantIsolationTest::selectAll);
    assertThat(def).extracting(f -> f.labels().get("host")).containsExactly("anon");

    List<Flat> all = with(shared, null, TenantIsolationTest::selectAll);
    assertThat(all).extracting(f -> f.labels().get("tenant_id") + "/" + f.labels().get("host"))
        .containsExactly("b/b2", "a/a1", "anonymous/anon", "b/b1", "a/a1");
    assertThat(all).extracting(Flat::labels).isSortedAccordingTo(Labels::compareTo);
  }

  @Test
  void allTenantsInfoHasOneLabelSetPerTenant() {
    InfoResponse info = with(shared, null, c -> get(c.info()));
    assertThat(info.getLabelSetsList()).extracting(ls -> Protos.labels(ls.getLabelsList()).get("tenant_id"))
        .containsExactly("a", "anonymous", "b");
    assertThat(info.getStore().getTsdbInfosCount()).isEqualTo(3);
    assertThat(info.getStore().getMinTime()).isEqualTo(T0);
    assertThat(info.getStore().getMaxTime()).isEqualTo(T0 + 60_000 + 9 * 15_000);
  }

  @Test
  void allTenantsCanBeNarrowedByTheTenantLabel() {
    List<Flat> got = with(shared, null, c -> {
      try (Querier q = c.querier(0, Long.MAX_VALUE)) {
        return flatten(q.select(true, SelectHints.ofRange(0, Long.MAX_VALUE),
            List.of(LabelMatcher.eq("tenant_id", "b"), ANY_NAME)));
      }
    });
    assertThat(got).extracting(f -> f.labels().get("host")).containsExactly("b2", "b1");
  }

  @Test
  void invalidTenantIdIsRejected() {
    assertThatThrownBy(() -> with(isolated, "..", TenantIsolationTest::selectAll))
        .isInstanceOf(StorageException.class).hasMessageContaining("INVALID_ARGUMENT");
    assertThatThrownBy(() -> with(isolated, "a/b", c -> get(c.info())))
        .hasMessageContaining("INVALID_ARGUMENT");
  }
}
