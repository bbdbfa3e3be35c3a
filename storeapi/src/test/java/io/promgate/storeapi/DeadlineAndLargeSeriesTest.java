package io.promgate.storeapi;

import static io.promgate.storeapi.StoreApiTestSupport.flatten;
import static io.promgate.storeapi.StoreApiTestSupport.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.Querier;
import io.promgate.model.Queryable;
import io.promgate.model.SelectHints;
import io.promgate.model.SeriesSet;
import io.promgate.model.StorageException;
import io.promgate.storeapi.StoreApiTestSupport.Flat;
import io.promgate.storeapi.thanos.SeriesRequest;
import io.promgate.storeapi.thanos.SeriesResponse;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DeadlineAndLargeSeriesTest {
  static final int BIG = 300_000;
  static Vertx vertx;
  static InMemoryTenants store;
  static StoreApiServer server;
  static StoreApiServer stuck;
  static StoreApiServer breaking;
  static final CountDownLatch release = new CountDownLatch(1);

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    long[] ts = new long[BIG];
    double[] vs = new double[BIG];
    Random rnd = new Random(42);
    for (int i = 0; i < BIG; i++) {
      ts[i] = i * 1000L;
      vs[i] = rnd.nextDouble(); // incompressible values: ~8 bytes a sample, several MiB in all
    }
    store = new InMemoryTenants().add("anonymous", Labels.of("__name__", "big"), ts, vs);
    server = get(StoreApiServer.start(vertx, store, StoreApiServerConfig.builder().host("127.0.0.1").port(0).build()));

    // A store whose select never returns until the test ends: the client's deadline must end the call.
    TenantQueryables blocking = new TenantQueryables() {
      @Override
      public Queryable forTenant(String tenant) {
        return (mint, maxt) -> new Querier() {
          @Override
          public SeriesSet select(boolean sort, SelectHints hints, List<LabelMatcher> matchers) {
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return SeriesSet.empty();
          }

          @Override
          public List<String> labelValues(String name, List<LabelMatcher> matchers) {
            return List.of();
          }

          @Override
          public List<String> labelNames(List<LabelMatcher> matchers) {
            return List.of();
          }
        };
      }

      @Override
      public Set<String> tenants() {
        return Set.of();
      }

      @Override
      public long minTime(String tenant) {
        return 0;
      }

      @Override
      public long maxTime(String tenant) {
        return 0;
      }
    };
    stuck = get(StoreApiServer.start(vertx, blocking, StoreApiServerConfig.builder().host("127.0.0.1").port(0).build()));

    // A store that streams the big series (MiBs: many frames reach the client) and then breaks.
    TenantQueryables failing = new TenantQueryables() {
      @Override
      public Queryable forTenant(String tenant) {
        return (mint, maxt) -> {
          Querier inner = store.forTenant(tenant).querier(mint, maxt);
          return new Querier() {
            @Override
            public SeriesSet select(boolean sort, SelectHints hints, List<LabelMatcher> matchers) {
              SeriesSet set = inner.select(sort, hints, matchers);
              return new SeriesSet() {
                @Override
                public boolean next() {
                  if (set.next()) {
                    return true;
                  }
                  throw new IllegalStateException("disk 100% broken after streaming+more");
                }

                @Override
                public io.promgate.model.Series at() {
                  return set.at();
                }
              };
            }

            @Override
            public List<String> labelValues(String name, List<LabelMatcher> matchers) {
              return inner.labelValues(name, matchers);
            }

            @Override
            public List<String> labelNames(List<LabelMatcher> matchers) {
              return inner.labelNames(matchers);
            }
          };
        };
      }

      @Override
      public Set<String> tenants() {
        return store.tenants();
      }

      @Override
      public long minTime(String tenant) {
        return store.minTime(tenant);
      }

      @Override
      public long maxTime(String tenant) {
        return store.maxTime(tenant);
      }
    };
    breaking = get(StoreApiServer.start(vertx, failing, StoreApiServerConfig.builder().host("127.0.0.1").port(0).build()));
  }

  @AfterAll
  static void stop() {
    release.countDown();
    get(server.close());
    get(stuck.close());
    get(breaking.close());
    get(vertx.close());
  }

  @Test
  void aSeriesBiggerThanAFrameIsSplitAndJoinedAgain() {
    StoreApiQueryable client = StoreApiQueryable.create(vertx, StoreApiClientConfig.plaintext("127.0.0.1", server.port()));
    try {
      SeriesRequest req = SeriesRequest.newBuilder().setMinTime(0).setMaxTime(Long.MAX_VALUE)
          .addAllMatchers(Protos.toProto(List.of(LabelMatcher.eq("__name__", "big")))).build();
      List<SeriesResponse> frames = get(client.seriesFrames(req));
      assertThat(frames.size()).isGreaterThan(2);
      assertThat(frames).allSatisfy(f -> assertThat(f.getSerializedSize()).isLessThan(SeriesProducer.MAX_FRAME_BYTES + 4096));

      try (Querier q = client.querier(0, Long.MAX_VALUE)) {
        List<Flat> got = flatten(q.select(true, SelectHints.ofRange(0, Long.MAX_VALUE),
            List.of(LabelMatcher.eq("__name__", "big"))));
        assertThat(got).hasSize(1);
        InMemoryTenants.Stored s = store.all("anonymous").get(0);
        assertThat(got.get(0)).isEqualTo(StoreApiTestSupport.expected(s,
            Labels.of("tenant_id", "anonymous"), 0, Long.MAX_VALUE));
      }
    } finally {
      get(client.close());
    }
  }

  @Test
  void theClientDeadlineEndsACallToAStuckServer() {
    StoreApiQueryable client = StoreApiQueryable.create(vertx,
        StoreApiClientConfig.plaintext("127.0.0.1", stuck.port()).withTimeout(Duration.ofMillis(300)));
    long t0 = System.nanoTime();
    try (Querier q = client.querier(0, 1)) {
      assertThatThrownBy(() -> q.select(true, SelectHints.ofRange(0, 1), List.of(LabelMatcher.eq("a", "b"))))
          .isInstanceOf(StorageException.class);
    } finally {
      get(client.close());
    }
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
  }

  /**
   * A store failing after it streamed frames sends its status in the trailers; the reason must reach the
   * caller (Vert.x' statusMessage() reads only the headers), and nothing of what was streamed counts.
   */
  @Test
  void aStoreFailingMidStreamReportsItsReason() {
    StoreApiQueryable client = StoreApiQueryable.create(vertx,
        StoreApiClientConfig.plaintext("127.0.0.1", breaking.port()));
    try {
      SeriesRequest req = SeriesRequest.newBuilder().setMinTime(0).setMaxTime(Long.MAX_VALUE)
          .addAllMatchers(Protos.toProto(List.of(LabelMatcher.eq("__name__", "big")))).build();
      assertThatThrownBy(() -> get(client.seriesFrames(req)))
          .hasMessageContaining("INTERNAL: disk 100% broken after streaming+more");
      try (Querier q = client.querier(0, Long.MAX_VALUE)) {
        assertThatThrownBy(() -> q.select(true, SelectHints.ofRange(0, Long.MAX_VALUE),
            List.of(LabelMatcher.eq("__name__", "big"))))
            .isInstanceOf(StorageException.class)
            .hasMessageContaining("INTERNAL: disk 100% broken after streaming+more");
      }
    } finally {
      get(client.close());
    }
  }

  @Test
  void grpcMessagesArePercentDecodedAsUtf8() {
    assertThat(StoreApiQueryable.percentDecode("a%20b%25c+d")).isEqualTo("a b%c+d");
    assertThat(StoreApiQueryable.percentDecode("caf%C3%A9 %zz %")).isEqualTo("café %zz %");
  }
}
