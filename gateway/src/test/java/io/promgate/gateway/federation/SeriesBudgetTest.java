package io.promgate.gateway.federation;

import static io.promgate.gateway.federation.FederatedQueryableTest.NOW;
import static io.promgate.gateway.federation.FederatedQueryableTest.UP;
import static io.promgate.gateway.federation.FederatedQueryableTest.await;
import static io.promgate.gateway.federation.FederatedQueryableTest.s;
import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Querier;
import io.promgate.model.Queryable;
import io.promgate.model.SelectHints;
import io.promgate.model.Series;
import io.promgate.model.SeriesSet;
import io.promgate.model.Labels;
import io.promgate.promql.engine.storage.MemoryStorage;
import io.promgate.routing.config.ConfigLoader;
import io.promgate.routing.config.PromgateConfig;
import io.promgate.routing.plan.TimeRangePlanner;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code max-series-per-query} while fetching: the fetch stops at the limit, and the lower bound it counts
 * never refuses what the exact count after merging and deduplication would let through.
 */
class SeriesBudgetTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close();
  }

  private FederatedQueryable federation(String yaml, Map<String, BackendStore> stores) {
    PromgateConfig c = ConfigLoader.parse(yaml, FederatedQueryableTest.CLOCK);
    return new FederatedQueryable(TimeRangePlanner.of(c, FederatedQueryableTest.CLOCK), stores, c.backends(),
        new GuardRegistry(vertx, GuardOptions.defaults()));
  }

  private static Throwable failure(io.vertx.core.Future<?> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().handle((v, t) -> t).get(10, TimeUnit.SECONDS);
  }

  @Test
  void theLocalStoreStopsReadingAtTheLimit() throws Exception {
    MemoryStorage data = new MemoryStorage();
    for (int i = 0; i < 1000; i++) {
      data.append(Labels.of("__name__", "up", "i", Integer.toString(i)), NOW - 1000, 1);
    }
    AtomicInteger read = new AtomicInteger();
    Queryable counting = (mint, maxt) -> {
      Querier q = data.querier(mint, maxt);
      return new Querier() {
        @Override
        public SeriesSet select(boolean sort, SelectHints h, List<LabelMatcher> ms) {
          SeriesSet set = q.select(sort, h, ms);
          return new SeriesSet() {
            @Override
            public boolean next() {
              read.incrementAndGet();
              return set.next();
            }

            @Override
            public Series at() {
              return set.at();
            }
          };
        }

        @Override
        public List<String> labelValues(String name, List<LabelMatcher> ms) {
          return q.labelValues(name, ms);
        }

        @Override
        public List<String> labelNames(List<LabelMatcher> ms) {
          return q.labelNames(ms);
        }
      };
    };
    FederatedQueryable f = federation("""
        backends:
          local: { type: prometheus, url: http://l:9090 }
        routes:
          - windows: [ { backends: [local] } ]
        """, Map.of("local", new QueryableStore("local", vertx, t -> counting)));
    List<SelectorRanges.Use> uses = List.of(new SelectorRanges.Use(UP, NOW - 60_000, NOW, ""));
    Throwable err = failure(f.prefetch(List.of("t"), uses, 0, new FederatedQueryable.Options(true, Set.of()), 5));
    assertThat(err).isInstanceOf(SeriesBudget.Exceeded.class);
    assertThat(((SeriesBudget.Exceeded) err).fetched()).isEqualTo(6);
    assertThat(read).as("series read from the store").hasValue(6);
    assertThat(await(f.prefetch(List.of("t"), uses, 0, new FederatedQueryable.Options(true, Set.of()), 1000))
        .series().get(UP)).hasSize(1000);
  }

  @Test
  void seriesSentTwiceCountOnceWhenMergedOrDeduplicated() throws Exception {
    Series[] four = new Series[4];
    for (int i = 0; i < 4; i++) {
      four[i] = s(NOW - 1000, 1, "__name__", "up", "i", Integer.toString(i));
    }
    var a = new FederatedQueryableTest.FakeStore("a", four);
    var b = new FederatedQueryableTest.FakeStore("b", four);
    List<SelectorRanges.Use> uses = List.of(new SelectorRanges.Use(UP, NOW - 60_000, NOW, ""));
    // An HA pair: eight series arrive, four remain after deduplication.
    FederatedQueryable ha = federation("""
        backends:
          a: { type: prometheus, url: http://a:9090, external-labels: { replica: a } }
          b: { type: prometheus, url: http://b:9090, external-labels: { replica: b } }
        routes:
          - windows: [ { backends: [a, b] } ]
        """, Map.of("a", a, "b", b));
    assertThat(await(ha.prefetch(List.of("t"), uses, 0, new FederatedQueryable.Options(true, Set.of("replica")), 4))
        .series().get(UP)).hasSize(4);
    // Split in time: the same four series from both backends merge into four.
    FederatedQueryable split = federation(FederatedQueryableTest.SPLIT, Map.of("recent", a, "older", b));
    List<SelectorRanges.Use> long3h = List.of(new SelectorRanges.Use(UP, NOW - 3 * 3_600_000, NOW, ""));
    assertThat(await(split.prefetch(List.of("t"), long3h, 0, new FederatedQueryable.Options(true, Set.of()), 4))
        .series().get(UP)).hasSize(4);
    assertThat(failure(split.prefetch(List.of("t"), long3h, 0, new FederatedQueryable.Options(true, Set.of()), 3)))
        .isInstanceOf(SeriesBudget.Exceeded.class);
  }
}
