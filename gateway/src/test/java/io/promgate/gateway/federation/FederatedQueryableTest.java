package io.promgate.gateway.federation;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.promgate.gateway.http.ApiException;
import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.SelectHints;
import io.promgate.model.Series;
import io.promgate.model.SeriesSet;
import io.promgate.model.SeriesSets;
import io.promgate.model.StorageException;
import io.promgate.model.merge.ArraySeries;
import io.promgate.routing.config.ConfigLoader;
import io.promgate.routing.config.PromgateConfig;
import io.promgate.routing.plan.TimeRangePlanner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FederatedQueryableTest {
  static final long NOW = Instant.parse("2026-01-10T00:00:00Z").toEpochMilli();
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
  static final List<LabelMatcher> UP = List.of(LabelMatcher.eq("__name__", "up"));

  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close();
  }

  /** Serves fixed series; records the calls; fails when told to. */
  static final class FakeStore implements BackendStore {
    final String name;
    final List<Series> data;
    final List<String> calls = new ArrayList<>();
    volatile boolean fail;
    final AtomicInteger inFlight = new AtomicInteger();

    FakeStore(String name, Series... data) {
      this.name = name;
      this.data = List.of(data);
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Future<SeriesSet> select(String tenant, long mint, long maxt, SelectHints h, List<LabelMatcher> ms) {
      calls.add(tenant + " " + mint + ".." + maxt + " " + ms);
      if (fail) {
        return Future.failedFuture(new StorageException("connection refused"));
      }
      return Future.succeededFuture(SeriesSets.of(data));
    }

    @Override
    public Future<List<Labels>> series(String t, long a, long b, List<List<LabelMatcher>> m) {
      return Future.succeededFuture(data.stream().map(Series::labels).toList());
    }

    @Override
    public Future<List<String>> labelNames(String t, long a, long b, List<LabelMatcher> m) {
      return Future.succeededFuture(List.of());
    }

    @Override
    public Future<List<String>> labelValues(String t, String n, long a, long b, List<LabelMatcher> m) {
      return Future.succeededFuture(List.of());
    }
  }

  static Series s(long t, double v, String... labels) {
    return new ArraySeries(Labels.of(labels), new long[] {t}, new double[] {v});
  }

  FederatedQueryable federation(String yaml, Map<String, BackendStore> stores, GuardOptions g) {
    PromgateConfig c = ConfigLoader.parse(yaml, CLOCK);
    return new FederatedQueryable(TimeRangePlanner.of(c, CLOCK), stores, c.backends(),
        new GuardRegistry(vertx, g));
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static final String SPLIT = """
      backends:
        recent: { type: prometheus, url: http://r:9090 }
        older:  { type: prometheus, url: http://o:9090 }
      routes:
        - windows:
            - { newer-than: 1h, backends: [recent] }
            - { older-than: 1h, backends: [older] }
      """;

  @Test
  void eachBackendIsAskedForItsSubRangeAndSeriesMergeByTimestamp() throws Exception {
    FakeStore recent = new FakeStore("recent", s(NOW - 1000, 2, "__name__", "up"));
    FakeStore older = new FakeStore("older", s(NOW - 7_200_000, 1, "__name__", "up"));
    FederatedQueryable f = federation(SPLIT, Map.of("recent", recent, "older", older), GuardOptions.defaults());
    Prefetched p = await(f.prefetch(List.of("t"), List.of(new SelectorRanges.Use(UP, NOW - 3 * 3_600_000, NOW, "")),
        0, new FederatedQueryable.Options(true, Set.of())));
    assertThat(recent.calls).containsExactly("t " + (NOW - 3_600_000) + ".." + NOW + " " + UP);
    assertThat(older.calls).containsExactly("t " + (NOW - 3 * 3_600_000) + ".." + (NOW - 3_600_001) + " " + UP);
    List<Series> up = p.series().get(UP);
    assertThat(up).hasSize(1);
    assertThat(ReplicaAware.timestamps(up.get(0))).containsExactly(NOW - 7_200_000, NOW - 1000);
    assertThat(p.warnings()).isEmpty();
  }

  @Test
  void failedBackendIsAWarningOrA503() throws Exception {
    FakeStore recent = new FakeStore("recent", s(NOW - 1000, 2, "__name__", "up"));
    FakeStore older = new FakeStore("older");
    older.fail = true;
    FederatedQueryable f = federation(SPLIT, Map.of("recent", recent, "older", older), GuardOptions.defaults());
    List<SelectorRanges.Use> uses = List.of(new SelectorRanges.Use(UP, NOW - 3 * 3_600_000, NOW, ""));
    Prefetched p = await(f.prefetch(List.of("t"), uses, 0, new FederatedQueryable.Options(true, Set.of())));
    assertThat(p.warnings()).singleElement().asString().contains("backend older failed: connection refused");
    assertThat(p.series().get(UP)).hasSize(1);
    Throwable err = f.prefetch(List.of("t"), uses, 0, new FederatedQueryable.Options(false, Set.of()))
        .toCompletionStage().toCompletableFuture().handle((v, t) -> t).get(10, TimeUnit.SECONDS);
    assertThat(err).isInstanceOf(ApiException.class).hasMessageContaining("older");
    assertThat(((ApiException) err).type().status()).isEqualTo(503);
  }

  @Test
  void externalLabelsAreIdentityAndReplicasDeduplicate() throws Exception {
    String yaml = """
        backends:
          a: { type: prometheus, url: http://a:9090, external-labels: { replica: a } }
          b: { type: prometheus, url: http://b:9090, external-labels: { replica: b } }
        routes:
          - windows: [ { backends: [a, b] } ]
        """;
    FakeStore a = new FakeStore("a", s(NOW - 1000, 1, "__name__", "up"));
    FakeStore b = new FakeStore("b", s(NOW - 1000, 1, "__name__", "up"));
    FederatedQueryable f = federation(yaml, Map.of("a", a, "b", b), GuardOptions.defaults());
    List<SelectorRanges.Use> uses = List.of(new SelectorRanges.Use(UP, NOW - 60_000, NOW, ""));
    Prefetched raw = await(f.prefetch(List.of("t"), uses, 0, new FederatedQueryable.Options(true, Set.of())));
    assertThat(raw.series().get(UP)).extracting(x -> x.labels().get("replica")).containsExactly("a", "b");
    Prefetched dedup = await(f.prefetch(List.of("t"), uses, 0, new FederatedQueryable.Options(true, Set.of("replica"))));
    assertThat(dedup.series().get(UP)).singleElement().satisfies(x -> assertThat(x.labels().has("replica")).isFalse());
    // A matcher on the external label prunes the other backend before any call.
    a.calls.clear();
    List<LabelMatcher> onlyB = List.of(LabelMatcher.eq("__name__", "up"), LabelMatcher.eq("replica", "b"));
    await(f.prefetch(List.of("t"), List.of(new SelectorRanges.Use(onlyB, NOW - 60_000, NOW, "")), 0,
        new FederatedQueryable.Options(true, Set.of())));
    assertThat(a.calls).isEmpty();
  }

  @Test
  void severalTenantsGetTheirTenantLabelAndTenantMatchersChooseTenants() throws Exception {
    String yaml = """
        backends:
          x: { type: prometheus, url: http://x:9090 }
        routes:
          - windows: [ { backends: [x] } ]
        """;
    FakeStore x = new FakeStore("x", s(NOW - 1000, 1, "__name__", "up"));
    FederatedQueryable f = federation(yaml, Map.of("x", x), GuardOptions.defaults());
    Prefetched p = await(f.prefetch(List.of("a", "b"), List.of(new SelectorRanges.Use(UP, NOW - 60_000, NOW, "")), 0,
        new FederatedQueryable.Options(true, Set.of())));
    assertThat(p.series().get(UP)).extracting(v -> v.labels().get("__tenant_id__")).containsExactly("a", "b");
    x.calls.clear();
    List<LabelMatcher> onlyA = List.of(LabelMatcher.eq("__name__", "up"), LabelMatcher.eq("__tenant_id__", "a"));
    await(f.prefetch(List.of("a", "b"), List.of(new SelectorRanges.Use(onlyA, NOW - 60_000, NOW, "")), 0,
        new FederatedQueryable.Options(true, Set.of())));
    assertThat(x.calls).singleElement().asString().startsWith("a ").doesNotContain("__tenant_id__");
  }

  @Test
  void breakerOpensAfterFailuresAndRefusesWithoutCalling() throws Exception {
    FakeStore recent = new FakeStore("recent");
    recent.fail = true;
    FederatedQueryable f = federation(SPLIT, Map.of("recent", recent, "older", new FakeStore("older")),
        new GuardOptions(50, 2, 4, Duration.ofMinutes(1), 0));
    List<SelectorRanges.Use> uses = List.of(new SelectorRanges.Use(UP, NOW - 60_000, NOW, ""));
    for (int i = 0; i < 2; i++) {
      await(f.prefetch(List.of("t"), uses, 0, new FederatedQueryable.Options(true, Set.of())));
    }
    assertThat(f.guarded("recent", () -> Future.succeededFuture(1)).failed()).isTrue();
    Prefetched p = await(f.prefetch(List.of("t"), uses, 0, new FederatedQueryable.Options(true, Set.of())));
    assertThat(recent.calls).hasSize(2);
    assertThat(p.warnings()).singleElement().asString().contains("circuit breaker open");
  }

  @Test
  void slowBackendTimesOut() throws Exception {
    BackendGuard g = new BackendGuard(vertx, "slow", Duration.ofMillis(50), GuardOptions.defaults());
    Throwable t = g.call(() -> io.vertx.core.Promise.<Integer>promise().future()).toCompletionStage()
        .toCompletableFuture().handle((v, e) -> e).get(5, TimeUnit.SECONDS);
    assertThat(t).hasMessageContaining("timed out after 50ms");
    assertThat(g.state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  /** Test helper. */
  static final class ReplicaAware {
    static List<Long> timestamps(Series s) {
      List<Long> out = new ArrayList<>();
      var it = s.iterator();
      while (it.next() != io.promgate.model.ValueType.NONE) {
        out.add(it.timestamp());
      }
      return out;
    }
  }
}
