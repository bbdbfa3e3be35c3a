package io.promgate.gateway.store;

import static io.promgate.gateway.it.ApiAnswers.assertSameQueryData;
import static io.promgate.gateway.it.ApiAnswers.assertSameSet;
import static io.promgate.gateway.it.ApiAnswers.enc;
import static io.promgate.gateway.it.ApiAnswers.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.gateway.federation.FederationPlugin;
import io.promgate.gateway.it.PromgateHarness;
import io.promgate.gateway.it.RealPrometheus;
import io.promgate.gateway.it.RemoteWrite;
import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.Querier;
import io.promgate.model.Queryable;
import io.promgate.model.SampleIterator;
import io.promgate.model.Series;
import io.promgate.model.SeriesSet;
import io.promgate.model.ValueType;
import io.promgate.routing.config.ConfigLoader;
import io.promgate.storeapi.StoreApiClientConfig;
import io.promgate.storeapi.StoreApiQueryable;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7 round trip through real servers: samples remote-written to promgate A come back identical
 * through A's gRPC StoreAPI (our client as a {@code Queryable}) and through PromQL on promgate B, whose only
 * backend is {@code type: storeapi} pointing at A. Tenants stay apart over gRPC ({@code thanos-tenant}).
 *
 * <p>A's StoreAPI labels every series {@code tenant_id=<tenant>}, as Thanos Receive does; B treats
 * {@code tenant_id} as a replica label (config {@code dedup.replica-labels}) so its answers can be compared
 * with A's one for one.
 */
class StoreApiRoundTripIT {
  @TempDir
  static Path dir;
  static Vertx vertx;
  static StorePlugin storeA;
  static PromgateHarness a;
  static PromgateHarness b;
  static final long END = System.currentTimeMillis() / 15_000 * 15_000;
  static final long START = END - 30 * 60_000;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    storeA = new StorePlugin();
    a = PromgateHarness.start(ConfigLoader.parse("server: { http: 127.0.0.1:0, grpc: 127.0.0.1:0 }\nstorage: { path: "
        + dir.resolve("a") + " }\n"), List.of(storeA, new FederationPlugin()));
    b = PromgateHarness.start(ConfigLoader.parse("server: { http: 127.0.0.1:0 }\n"
        + "backends: { a: { type: storeapi, address: 127.0.0.1:" + storeA.grpcPort() + " } }\n"
        + "dedup: { replica-labels: [tenant_id] }\n"), List.of(new StorePlugin(), new FederationPlugin()));
    int n = (int) ((END - START) / 15_000) + 1;
    RemoteWrite w = new RemoteWrite();
    for (String job : List.of("api", "web", "db")) {
      for (int inst = 0; inst < 4; inst++) {
        for (String code : List.of("200", "500")) {
          long[] ts = new long[n];
          double[] vs = new double[n];
          double v = 0;
          for (int i = 0; i < n; i++) {
            ts[i] = START + i * 15_000L;
            v += (job.length() + inst) * (code.equals("200") ? 10 : 1) + (i % 7);
            vs[i] = i == n / 2 && inst == 3 ? 0 : v; // one counter reset
          }
          w.add(new RemoteWrite.TestSeries(Map.of("__name__", "rt_requests_total", "job", job,
              "instance", "host-" + inst + ":9100", "code", code), ts, vs));
        }
      }
    }
    RealPrometheus.remoteWrite(a.url() + "/api/v1/write", w);
    long[] ts = {END - 60_000, END};
    RealPrometheus.remoteWrite(a.url() + "/tenant/b/api/v1/write", new RemoteWrite()
        .add(new RemoteWrite.TestSeries(Map.of("__name__", "secret_b", "owner", "b"), ts, new double[] {1, 2})));
  }

  @AfterAll
  static void stop() throws Exception {
    b.close();
    a.close();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  static Map<Labels, List<String>> read(Queryable q, List<LabelMatcher> matchers, String dropLabel) throws Exception {
    Map<Labels, List<String>> out = new TreeMap<>();
    try (Querier querier = q.querier(START - 1, END + 1)) {
      SeriesSet set = querier.select(true, null, matchers);
      while (set.next()) {
        Series s = set.at();
        List<String> samples = new ArrayList<>();
        SampleIterator it = s.iterator();
        while (it.next() == ValueType.FLOAT) {
          samples.add(it.timestamp() + "=" + Double.doubleToRawLongBits(it.value()));
        }
        out.put(dropLabel == null ? s.labels() : s.labels().without(dropLabel), samples);
      }
    }
    return out;
  }

  @Test
  void grpcClientReadsExactlyWhatTheStoreHolds() throws Exception {
    StoreApiQueryable client = StoreApiQueryable.create(vertx, StoreApiClientConfig.plaintext("127.0.0.1",
        storeA.grpcPort()));
    try {
      List<LabelMatcher> all = List.of(LabelMatcher.of(LabelMatcher.Type.RE, "__name__", "rt_.*"));
      Map<Labels, List<String>> direct = read(storeA.storage().queryable("anonymous"), all, null);
      Map<Labels, List<String>> viaGrpc = read(client, all, "tenant_id");
      assertThat(direct).hasSize(24);
      assertThat(viaGrpc).isEqualTo(direct);
      try (Querier q = client.querier(START, END)) {
        SeriesSet s = q.select(true, null, all);
        assertThat(s.next()).isTrue();
        assertThat(s.at().labels().get("tenant_id")).isEqualTo("anonymous");
      }
    } finally {
      client.close();
    }
  }

  @Test
  void promqlOverTheStoreApiBackendEqualsTheStoreItself() throws Exception {
    String t = Double.toString((END - 7_500) / 1000.0);
    for (String q : List.of("rt_requests_total", "sum by (job) (rate(rt_requests_total[5m]))",
        "topk(3, increase(rt_requests_total{code=\"500\"}[10m]))", "resets(rt_requests_total[30m])",
        "sum by (code) (rt_requests_total) / ignoring(code) group_left sum(rt_requests_total)",
        "count(rt_requests_total offset 10m)", "max_over_time(rt_requests_total{job=~\"a.*\"}[3m:1m])")) {
      String path = "/api/v1/query?query=" + enc(q) + "&time=" + t;
      assertSameQueryData(q, get(a.url(), path), get(b.url(), path));
    }
    String range = "/api/v1/query_range?query=" + enc("sum by (instance) (irate(rt_requests_total[1m]))")
        + "&start=" + (START + 300_000) / 1000.0 + "&end=" + END / 1000.0 + "&step=60";
    assertSameQueryData("range", get(a.url(), range), get(b.url(), range));
    for (String path : List.of("/api/v1/series?match[]=" + enc("rt_requests_total{code=\"500\"}"),
        "/api/v1/label/job/values", "/api/v1/label/instance/values?match[]=" + enc("{job=\"db\"}"))) {
      assertSameSet(path, get(a.url(), path).getJsonArray("data"), get(b.url(), path).getJsonArray("data"));
    }
  }

  @Test
  void tenantsStayApartOverGrpc() throws Exception {
    StoreApiQueryable tenantB = StoreApiQueryable.create(vertx, StoreApiClientConfig.plaintext("127.0.0.1",
        storeA.grpcPort()).withTenant("b"));
    StoreApiQueryable tenantC = StoreApiQueryable.create(vertx, StoreApiClientConfig.plaintext("127.0.0.1",
        storeA.grpcPort()).withTenant("c"));
    StoreApiQueryable anonymous = StoreApiQueryable.create(vertx, StoreApiClientConfig.plaintext("127.0.0.1",
        storeA.grpcPort()));
    try {
      List<LabelMatcher> any = List.of(LabelMatcher.of(LabelMatcher.Type.RE, "__name__", ".+"));
      assertThat(read(tenantB, any, null).keySet()).extracting(l -> l.get("__name__")).containsOnly("secret_b");
      assertThat(read(tenantC, any, null)).isEmpty();
      assertThat(read(anonymous, any, null).keySet()).extracting(l -> l.get("__name__"))
          .containsOnly("rt_requests_total");
      try (Querier q = anonymous.querier(START, END)) {
        assertThat(q.labelValues("__name__", List.of())).containsExactly("rt_requests_total");
        assertThat(q.labelNames(List.of())).doesNotContain("owner");
      }
      try (Querier q = tenantB.querier(START, END)) {
        assertThat(q.labelValues("__name__", List.of())).containsExactly("secret_b");
        assertThat(q.labelValues("job", List.of())).isEmpty();
      }
      // And through B's HTTP API: the tenant header travels to A as thanos-tenant.
      String path = "/api/v1/query?query=" + enc("count({__name__=~\".+\"})") + "&time=" + END / 1000.0;
      assertThat(get(b.url(), path, "X-Scope-OrgID", "b").getJsonObject("data").getJsonArray("result")
          .getJsonObject(0).getJsonArray("value").getString(1)).isEqualTo("1");
      assertThat(get(b.url(), "/api/v1/label/__name__/values").getJsonArray("data").getList())
          .containsExactly("rt_requests_total");
    } finally {
      tenantB.close();
      tenantC.close();
      anonymous.close();
    }
  }
}
