package io.promgate.gateway.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.gateway.GatewayPlugin;
import io.promgate.gateway.it.PromgateHarness;
import io.promgate.gateway.it.RealPrometheus;
import io.promgate.gateway.it.RemoteWrite;
import io.promgate.routing.config.ConfigLoader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Receive got 462,172 samples, Query returns 0 results" (issue 11), federated: promgate's bundled store
 * ({@code local}) gets the writes, but recent data is routed to {@code longterm}, a real StoreAPI (a
 * second promgate with an empty store) whose external label is {@code cluster="eu"}. Explain must name the
 * cause each time, and never tell one tenant that another tenant's data exists.
 */
class ExplainReceivedNotQueryableTest {
  @TempDir
  static Path dir;
  static PromgateHarness store;
  static PromgateHarness gw;
  static final long NOW = System.currentTimeMillis() / 15_000 * 15_000;

  @BeforeAll
  static void start() throws Exception {
    List<GatewayPlugin> plugins = ServiceLoader.load(GatewayPlugin.class).stream().map(ServiceLoader.Provider::get).toList();
    int grpc = RealPrometheus.freePort();
    store = PromgateHarness.start(ConfigLoader.parse("server: { http: 127.0.0.1:0, grpc: 127.0.0.1:" + grpc
        + " }\nstorage: { path: " + dir.resolve("longterm") + " }\n"), plugins);
    plugins = ServiceLoader.load(GatewayPlugin.class).stream().map(ServiceLoader.Provider::get).toList();
    gw = PromgateHarness.start(ConfigLoader.parse("""
        server: { http: 127.0.0.1:0, grpc: 127.0.0.1:0 }
        storage: { path: %s }
        backends:
          local: { type: local }
          longterm: { type: storeapi, address: 127.0.0.1:%d, timeout: 5s, external-labels: { cluster: eu } }
        routes:
          - tenants: ["*"]
            windows:
              - { newer-than: 15d, backends: [longterm] }
              - { older-than: 15d, backends: [local] }
        """.formatted(dir.resolve("gw"), grpc)), plugins);
    RealPrometheus.remoteWrite(gw.url() + "/tenant/team-a/api/v1/write", new RemoteWrite()
        .add(series("payments_processed_total", "api"))
        .add(series("payments_processed_bytes", "api")));
    RealPrometheus.remoteWrite(gw.url() + "/tenant/team-b/api/v1/write", new RemoteWrite()
        .add(series("payments_failed_total", "api")));
  }

  static RemoteWrite.TestSeries series(String name, String job) {
    long[] ts = new long[41];
    double[] v = new double[ts.length];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = NOW - (ts.length - 1 - i) * 15_000L;
      v[i] = i;
    }
    return new RemoteWrite.TestSeries(Map.of("__name__", name, "job", job), ts, v);
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    store.close();
  }

  static JsonObject explain(String tenant, String query) throws Exception {
    var r = PromgateHarness.get(gw.url() + "/tenant/" + tenant + "/api/v1/explain?query="
        + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&time=" + NOW / 1000.0);
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(r.statusCode()).as(body).isEqualTo(200);
    return new JsonObject(body).getJsonObject("data");
  }

  static JsonArray codes(JsonObject d) {
    JsonArray out = new JsonArray();
    d.getJsonArray("diagnoses").forEach(x -> out.add(((JsonObject) x).getString("code")));
    return out;
  }

  @Test
  void anotherTenantsDataIsUnknownAndNeverHinted() throws Exception {
    JsonObject d = explain("team-b", "rate(payments_processed_total[5m])");
    assertThat(codes(d).getList()).containsExactly("unknown_metric");
    JsonObject diag = d.getJsonArray("diagnoses").getJsonObject(0);
    // Suggestions come from team-b's own names only.
    assertThat(diag.getJsonArray("suggestions").getList()).containsExactly("payments_failed_total");
    String all = d.encode();
    assertThat(all).doesNotContain("team-a").doesNotContain("payments_processed_bytes").doesNotContain("other_tenant");
    // The same query as the writer finds the data (here: on a backend this range does not use).
    assertThat(codes(explain("team-a", "rate(payments_processed_total[5m])")).getList()).containsExactly("backend_pruned");
  }

  @Test
  void dataOnABackendThisRangeDoesNotUseIsBackendPruned() throws Exception {
    JsonObject d = explain("team-a", "payments_processed_total");
    JsonObject sel = d.getJsonArray("plan").getJsonObject(0);
    assertThat(sel.getJsonArray("backends").getJsonObject(0).getString("name")).isEqualTo("longterm");
    assertThat(sel.getJsonArray("pruned").getJsonObject(0).getString("name")).isEqualTo("local");
    assertThat(sel.getJsonArray("pruned").getJsonObject(0).getString("reason")).isEqualTo("time_range");
    JsonObject diag = d.getJsonArray("diagnoses").getJsonObject(0);
    assertThat(diag.getString("code")).isEqualTo("backend_pruned");
    assertThat(diag.getString("message")).contains("backend local holds samples");
  }

  @Test
  void matcherOnAnExternalLabelOfAnotherStore() throws Exception {
    JsonObject d = explain("team-a", "payments_processed_total{cluster=\"eu\", job=\"api\"}");
    assertThat(codes(d).getList()).containsExactly("external_label");
    JsonObject diag = d.getJsonArray("diagnoses").getJsonObject(0);
    assertThat(diag.getString("message")).contains("longterm (cluster=\"eu\")");
    assertThat(diag.getJsonArray("suggestions").getString(0)).isEqualTo("payments_processed_total{job=\"api\"}");
  }

  @Test
  void aMatcherExcludingEverythingNamesTheValuesThatExist() throws Exception {
    JsonObject d = explain("team-a", "payments_processed_total{job=\"apі\"}");
    assertThat(codes(d).getList()).containsExactly("label_mismatch");
    assertThat(d.getJsonArray("diagnoses").getJsonObject(0).getString("message")).contains("values of job that exist: api");
  }
}
