package io.promgate.storeapi;

import static io.promgate.storeapi.StoreApiTestSupport.expected;
import static io.promgate.storeapi.StoreApiTestSupport.flatten;
import static io.promgate.storeapi.StoreApiTestSupport.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promgate.model.LabelMatcher;
import io.promgate.model.LabelMatcher.Type;
import io.promgate.model.Labels;
import io.promgate.model.Querier;
import io.promgate.model.SelectHints;
import io.promgate.model.StaleNaN;
import io.promgate.model.StorageException;
import io.promgate.storeapi.StoreApiTestSupport.Flat;
import io.promgate.storeapi.thanos.SeriesRequest;
import io.promgate.storeapi.thanos.SeriesResponse;
import io.promgate.storeapi.thanos.info.InfoResponse;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Real gRPC over loopback: what the store holds comes back identical through the client. */
@ExtendWith(VertxExtension.class)
class StoreApiRoundTripTest {
  static final Labels EXT = Labels.of("region", "eu");
  static final long T0 = 1_700_000_000_000L;
  static Vertx vertx;
  static InMemoryTenants store;
  static StoreApiServer server;
  static StoreApiQueryable client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    store = new InMemoryTenants();
    for (int i = 0; i < 20; i++) {
      store.addSeries("a", Labels.of("__name__", "http_requests_total", "job", "api", "instance", "i" + i,
          "code", i % 3 == 0 ? "500" : "200"), T0, 300); // 300 samples: 3 chunks
    }
    // A prefix of other series: adding region="eu" reorders it after them (see LabelOrderRestorer).
    store.addSeries("a", Labels.of("__name__", "up"), T0, 10);
    store.addSeries("a", Labels.of("__name__", "up", "job", "api"), T0, 10);
    store.addSeries("a", Labels.of("__name__", "up", "job", "api", "instance", "x"), T0, 10);
    store.addSeries("a", Labels.of("__name__", "up", "zone", "z1"), T0, 10);
    store.add("a", Labels.of("__name__", "stale"), new long[] {T0, T0 + 15_000},
        new double[] {1.5, StaleNaN.VALUE});
    store.addSeries("b", Labels.of("__name__", "secret_b", "only_b", "yes"), T0, 10);
    store.addSeries("warned", Labels.of("__name__", "partial"), T0, 10);
    store.warnings.put("warned", List.of("block 01H... unavailable, data may be missing"));
    server = get(StoreApiServer.start(vertx, store,
        StoreApiServerConfig.builder().host("127.0.0.1").port(0).externalLabels(EXT).defaultTenant("a").build()));
    client = StoreApiQueryable.create(vertx, StoreApiClientConfig.plaintext("127.0.0.1", server.port()));
  }

  @AfterAll
  static void stop() {
    get(client.close());
    get(server.close());
    get(vertx.close());
  }

  static Labels ext(String tenant) {
    return EXT.toBuilder().set("tenant_id", tenant).build();
  }

  static List<Flat> select(long mint, long maxt, LabelMatcher... ms) {
    try (Querier q = client.querier(mint, maxt)) {
      return flatten(q.select(true, SelectHints.ofRange(mint, maxt), List.of(ms)));
    }
  }

  static List<Flat> expectedSorted(String tenant, long mint, long maxt, java.util.function.Predicate<Labels> p) {
    List<Flat> out = new ArrayList<>();
    for (InMemoryTenants.Stored s : store.all(tenant)) {
      Flat f = expected(s, ext(tenant), mint, maxt);
      if (p.test(s.labels()) && !f.samples().isEmpty()) {
        out.add(f);
      }
    }
    out.sort((x, y) -> x.labels().compareTo(y.labels()));
    return out;
  }

  @Test
  void everythingComesBackIdenticalAndSorted() {
    List<Flat> got = select(Long.MIN_VALUE, Long.MAX_VALUE, LabelMatcher.of(Type.RE, "__name__", ".+"));
    assertThat(got).isEqualTo(expectedSorted("a", Long.MIN_VALUE, Long.MAX_VALUE, l -> true));
    assertThat(got).hasSize(25);
    assertThat(got.get(0).samples()).isNotEmpty();
  }

  @Test
  void staleMarkersKeepTheirBits() {
    List<Flat> got = select(T0, T0 + 60_000, LabelMatcher.eq("__name__", "stale"));
    assertThat(got).hasSize(1);
    assertThat(Double.doubleToRawLongBits(got.get(0).samples().get(1).v())).isEqualTo(StaleNaN.BITS);
  }

  @Test
  void everyMatcherType() {
    long max = Long.MAX_VALUE;
    assertThat(select(0, max, LabelMatcher.eq("__name__", "http_requests_total"), LabelMatcher.eq("code", "500")))
        .isEqualTo(expectedSorted("a", 0, max, l -> l.metricName().equals("http_requests_total")
            && l.get("code").equals("500")))
        .hasSize(7);
    assertThat(select(0, max, LabelMatcher.eq("__name__", "http_requests_total"),
        LabelMatcher.of(Type.NEQ, "code", "500")))
        .isEqualTo(expectedSorted("a", 0, max, l -> l.metricName().equals("http_requests_total")
            && !l.get("code").equals("500")))
        .hasSize(13);
    assertThat(select(0, max, LabelMatcher.of(Type.RE, "instance", "i1.*")))
        .isEqualTo(expectedSorted("a", 0, max, l -> l.get("instance").matches("i1.*")))
        .hasSize(11);
    assertThat(select(0, max, LabelMatcher.eq("__name__", "up"), LabelMatcher.of(Type.NRE, "job", "api|web")))
        .isEqualTo(expectedSorted("a", 0, max, l -> l.metricName().equals("up") && !l.get("job").matches("api|web")))
        .hasSize(2);
  }

  @Test
  void timeRangeTrimsSamplesAndDropsSeriesOutsideIt() {
    long mint = T0 + 100 * 15_000L;
    long maxt = T0 + 200 * 15_000L;
    List<Flat> got = select(mint, maxt, LabelMatcher.of(Type.RE, "__name__", ".+"));
    assertThat(got).isEqualTo(expectedSorted("a", mint, maxt, l -> true)).hasSize(20);
    assertThat(got.get(0).samples()).hasSize(101);
  }

  @Test
  void externalLabelMatchersMatchOrPrune() {
    assertThat(select(0, Long.MAX_VALUE, LabelMatcher.eq("region", "us"), LabelMatcher.eq("__name__", "up")))
        .isEmpty();
    assertThat(select(0, Long.MAX_VALUE, LabelMatcher.of(Type.RE, "region", "eu|us"), LabelMatcher.eq("__name__", "up")))
        .hasSize(4);
    assertThat(select(0, Long.MAX_VALUE, LabelMatcher.eq("tenant_id", "b"), LabelMatcher.eq("__name__", "up")))
        .isEmpty();
  }

  @Test
  void skipChunksSendsLabelsOnly() {
    try (Querier q = client.querier(0, Long.MAX_VALUE)) {
      List<Flat> got = flatten(q.select(true, new SelectHints(0, Long.MAX_VALUE, 0, 0, "series", List.of(), false),
          List.of(LabelMatcher.eq("__name__", "up"))));
      assertThat(got).extracting(Flat::labels)
          .containsExactlyElementsOf(expectedSorted("a", 0, Long.MAX_VALUE, l -> l.metricName().equals("up"))
              .stream().map(Flat::labels).toList());
      assertThat(got).allSatisfy(f -> assertThat(f.samples()).isEmpty());
    }
  }

  private static List<io.promgate.storeapi.thanos.Series> raw(SeriesRequest req) {
    List<SeriesResponse> frames = get(client.seriesFrames(req));
    List<io.promgate.storeapi.thanos.Series> out = new ArrayList<>();
    for (SeriesResponse r : frames) {
      if (r.hasSeries()) {
        out.add(r.getSeries());
      } else if (r.hasBatch()) {
        out.addAll(r.getBatch().getSeriesList());
      }
    }
    return out;
  }

  @Test
  void limitStopsAfterThatManySeries() {
    SeriesRequest req = SeriesRequest.newBuilder().setMinTime(0).setMaxTime(Long.MAX_VALUE)
        .addAllMatchers(Protos.toProto(List.of(LabelMatcher.of(Type.RE, "__name__", ".+")))).setLimit(3).build();
    List<io.promgate.storeapi.thanos.Series> got = raw(req);
    assertThat(got).extracting(s -> Protos.labels(s.getLabelsList()))
        .containsExactlyElementsOf(expectedSorted("a", 0, Long.MAX_VALUE, l -> true).subList(0, 3).stream()
            .map(Flat::labels).toList());
  }

  @Test
  void withoutReplicaLabelsDropsThemFromSeriesAndExternalLabels() {
    SeriesRequest req = SeriesRequest.newBuilder().setMinTime(0).setMaxTime(Long.MAX_VALUE)
        .addAllMatchers(Protos.toProto(List.of(LabelMatcher.eq("__name__", "up"))))
        .addWithoutReplicaLabels("region").addWithoutReplicaLabels("job").setResponseBatchSize(2).build();
    List<Labels> got = raw(req).stream().map(s -> Protos.labels(s.getLabelsList())).toList();
    List<Labels> want = new ArrayList<>();
    for (InMemoryTenants.Stored s : store.all("a")) {
      if (s.labels().metricName().equals("up")) {
        want.add(s.labels().without("job").toBuilder().set("tenant_id", "a").build());
      }
    }
    want.sort(Labels::compareTo);
    assertThat(got).isEqualTo(want);
  }

  @Test
  void infoAdvertisesExternalLabelsAndTimeRange() {
    InfoResponse info = get(client.info());
    assertThat(info.getLabelSetsList()).hasSize(1);
    assertThat(List.of(Protos.labels(info.getLabelSets(0).getLabelsList()))).containsExactly(ext("a"));
    assertThat(info.getStore().getMinTime()).isEqualTo(T0);
    assertThat(info.getStore().getMaxTime()).isEqualTo(T0 + 299 * 15_000L);
    assertThat(info.getStore().getSupportsWithoutReplicaLabels()).isTrue();
  }

  @Test
  void labelNamesAndValuesHonourMatchersAndExternalLabels() {
    try (Querier q = client.querier(0, Long.MAX_VALUE)) {
      assertThat(q.labelNames(List.of())).containsExactly("__name__", "code", "instance", "job", "region",
          "tenant_id", "zone");
      assertThat(q.labelNames(List.of(LabelMatcher.eq("__name__", "up")))).containsExactly("__name__", "instance",
          "job", "region", "tenant_id", "zone");
      assertThat(q.labelValues("code", List.of())).containsExactly("200", "500");
      assertThat(q.labelValues("job", List.of(LabelMatcher.eq("__name__", "up")))).containsExactly("api");
      assertThat(q.labelValues("region", List.of(LabelMatcher.eq("__name__", "up")))).containsExactly("eu");
      assertThat(q.labelValues("region", List.of(LabelMatcher.eq("__name__", "nope")))).isEmpty();
      assertThat(q.labelValues("__name__", List.of(LabelMatcher.eq("region", "us")))).isEmpty();
    }
    try (Querier q = client.querier(T0 + 20 * 15_000L, Long.MAX_VALUE)) {
      assertThat(q.labelValues("__name__", List.of())).containsExactly("http_requests_total");
    }
  }

  @Test
  void invalidRegexIsAnInvalidArgument() {
    SeriesRequest req = SeriesRequest.newBuilder().setMinTime(0).setMaxTime(1)
        .addMatchers(io.promgate.storeapi.thanos.LabelMatcher.newBuilder()
            .setType(io.promgate.storeapi.thanos.LabelMatcher.Type.RE).setName("__name__").setValue("(")).build();
    assertThatThrownBy(() -> get(client.seriesFrames(req)))
        .hasRootCauseInstanceOf(StorageException.class).hasMessageContaining("INVALID_ARGUMENT");
  }

  @Test
  void serverReleasesEveryQuerier() {
    select(0, Long.MAX_VALUE, LabelMatcher.of(Type.RE, "__name__", ".+"));
    // Closing happens on a worker right after the last frame; give it a moment without sleeping blindly.
    // Poll without spinning: on a loaded 2-core machine a spinning test thread starves the worker it waits for.
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (store.openQueriers.get() != 0 && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
    }
    assertThat(store.openQueriers.get()).isZero();
  }

  @Test
  void blockingOnTheEventLoopIsRefused(Vertx vx, VertxTestContext ctx) {
    vx.runOnContext(v -> ctx.verify(() -> {
      try (Querier q = client.querier(0, 1)) {
        assertThatThrownBy(() -> q.labelNames(List.of())).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("event loop");
      }
      ctx.completeNow();
    }));
  }

  @Test
  void selectAsyncRunsConcurrently(VertxTestContext ctx) {
    var f1 = client.selectAsync(0, Long.MAX_VALUE, true, null, List.of(LabelMatcher.eq("__name__", "up")));
    var f2 = client.selectAsync(0, Long.MAX_VALUE, true, null, List.of(LabelMatcher.eq("code", "500")));
    io.vertx.core.Future.all(f1, f2).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      assertThat(flatten(f1.result())).hasSize(4);
      assertThat(flatten(f2.result())).hasSize(7);
      ctx.completeNow();
    })));
  }

  @Test
  void closingTheQuerierFailsItsPendingCallsAndLaterOnes() throws Exception {
    StoreApiQuerier q = client.querier(0, Long.MAX_VALUE);
    // Started and closed in one event-loop task, so that the answer cannot arrive in between (a test thread
    // descheduled between the two on a loaded machine let the whole call finish before the close).
    java.util.concurrent.CompletableFuture<io.vertx.core.Future<io.promgate.model.SeriesSet>> started =
        new java.util.concurrent.CompletableFuture<>();
    vertx.runOnContext(v -> {
      started.complete(q.selectAsync(true, null, List.of(LabelMatcher.of(Type.RE, "__name__", ".+"))));
      q.close();
    });
    var f = started.get(10, java.util.concurrent.TimeUnit.SECONDS);
    // Closed before the connection could even answer: the future fails at once instead of hanging.
    assertThatThrownBy(() -> f.toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS))
        .hasCauseInstanceOf(StorageException.class).hasMessageContaining("cancelled");
    assertThatThrownBy(() -> q.labelNames(List.of())).isInstanceOf(StorageException.class)
        .hasMessageContaining("cancelled");
    // The server released whatever the reset call had opened.
    // Poll without spinning: on a loaded 2-core machine a spinning test thread starves the worker it waits for.
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (store.openQueriers.get() != 0 && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
    }
    assertThat(store.openQueriers.get()).isZero();
  }

  @Test
  void storeWarningsBecomeSeriesSetWarnings() {
    StoreApiQueryable warned = StoreApiQueryable.create(vertx,
        StoreApiClientConfig.plaintext("127.0.0.1", server.port()).withTenant("warned"));
    try (Querier q = warned.querier(0, Long.MAX_VALUE)) {
      var set = q.select(true, SelectHints.ofRange(0, Long.MAX_VALUE), List.of(LabelMatcher.eq("__name__", "partial")));
      assertThat(flatten(set)).hasSize(1);
      assertThat(set.warnings()).containsExactly("block 01H... unavailable, data may be missing");
    } finally {
      get(warned.close());
    }
    try (Querier q = client.querier(0, Long.MAX_VALUE)) {
      assertThat(q.select(true, SelectHints.ofRange(0, Long.MAX_VALUE), List.of(LabelMatcher.eq("__name__", "up")))
          .warnings()).isEmpty();
    }
  }
}
