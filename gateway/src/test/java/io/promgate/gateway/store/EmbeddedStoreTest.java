package io.promgate.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.gateway.GatewayPlugin;
import io.promgate.gateway.federation.FederationPlugin;
import io.promgate.gateway.it.PromgateHarness;
import io.promgate.gateway.it.RealPrometheus;
import io.promgate.gateway.it.RemoteWrite;
import io.promgate.routing.config.ConfigLoader;
import io.promgate.routing.config.PromgateConfig;
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
 * The embedded default end to end in-process: the plugins as ServiceLoader lists them (store, then
 * federation), remote write in, every read endpoint out through the engine, Prometheus' JSON and errors.
 */
class EmbeddedStoreTest {
  @TempDir
  static Path dir;
  static PromgateHarness gw;
  static final long T0 = System.currentTimeMillis() / 15_000 * 15_000 - 600_000;

  @BeforeAll
  static void start() throws Exception {
    PromgateConfig c = ConfigLoader.parse("server: { http: 127.0.0.1:0, grpc: 127.0.0.1:0 }\nstorage: { path: "
        + dir.resolve("data") + " }\n");
    List<GatewayPlugin> plugins = ServiceLoader.load(GatewayPlugin.class).stream().map(ServiceLoader.Provider::get)
        .toList();
    assertThat(plugins.get(0)).isInstanceOf(StorePlugin.class);
    assertThat(plugins).anyMatch(p -> p instanceof FederationPlugin);
    gw = PromgateHarness.start(c, plugins);
    long[] ts = new long[41];
    double[] a = new double[41];
    double[] b = new double[41];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = T0 + i * 15_000L;
      a[i] = i * 3;
      b[i] = i * 0.5;
    }
    RealPrometheus.remoteWrite(gw.url() + "/api/v1/write", new RemoteWrite()
        .add(new RemoteWrite.TestSeries(Map.of("__name__", "req_total", "job", "api", "code", "200"), ts, a))
        .add(new RemoteWrite.TestSeries(Map.of("__name__", "req_total", "job", "api", "code", "500"), ts, b)));
    RealPrometheus.remoteWrite(gw.url() + "/tenant/other/api/v1/push", new RemoteWrite()
        .add(new RemoteWrite.TestSeries(Map.of("__name__", "secret", "job", "x"), ts, a)));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
  }

  static JsonObject get(String pathAndQuery, int status) throws Exception {
    var r = PromgateHarness.get(gw.url() + pathAndQuery);
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(r.statusCode()).as(body).isEqualTo(status);
    return new JsonObject(body);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void instantQueryEvaluatesWithTheEngine() throws Exception {
    double t = (T0 + 600_000) / 1000.0;
    JsonObject r = get("/api/v1/query?query=" + enc("sum by (job) (rate(req_total[1m]))") + "&time=" + t, 200);
    JsonArray result = r.getJsonObject("data").getJsonArray("result");
    assertThat(r.getJsonObject("data").getString("resultType")).isEqualTo("vector");
    assertThat(result).hasSize(1);
    // 3 + 0.5 per 15 s = 3.5 / 15 per second.
    assertThat(Double.parseDouble(result.getJsonObject(0).getJsonArray("value").getString(1)))
        .isCloseTo(3.5 / 15, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(result.getJsonObject(0).getJsonObject("metric").getMap()).isEqualTo(Map.of("job", "api"));
  }

  @Test
  void rangeQueryAndValueFormatting() throws Exception {
    double s = T0 / 1000.0;
    JsonObject r = get("/api/v1/query_range?query=" + enc("req_total{code=\"500\"} / 1e7") + "&start=" + s + "&end="
        + (s + 60) + "&step=15", 200);
    JsonArray values = r.getJsonObject("data").getJsonArray("result").getJsonObject(0).getJsonArray("values");
    assertThat(values).hasSize(5);
    assertThat(values.getJsonArray(1).getString(1)).isEqualTo("5e-08");
  }

  @Test
  void metadataEndpointsAndTenantIsolation() throws Exception {
    assertThat(get("/api/v1/labels", 200).getJsonArray("data").getList()).containsExactly("__name__", "code", "job");
    assertThat(get("/api/v1/label/__name__/values", 200).getJsonArray("data").getList()).containsExactly("req_total");
    assertThat(get("/tenant/other/api/v1/label/__name__/values", 200).getJsonArray("data").getList())
        .containsExactly("secret");
    JsonArray series = get("/api/v1/series?match[]=" + enc("req_total{code=~\"5..\"}"), 200).getJsonArray("data");
    assertThat(series).hasSize(1);
    assertThat(get("/api/v1/query?query=secret", 200).getJsonObject("data").getJsonArray("result")).isEmpty();
    assertThat(get("/api/v1/metadata", 200).getJsonObject("data").isEmpty()).isTrue();
  }

  @Test
  void grafanaProbesGetEmptySuccesses() throws Exception {
    assertThat(get("/api/v1/rules", 200).getJsonObject("data").getJsonArray("groups")).isEmpty();
    assertThat(get("/api/v1/alerts", 200).getJsonObject("data").getJsonArray("alerts")).isEmpty();
    assertThat(get("/api/v1/targets", 200).getJsonObject("data").getJsonArray("activeTargets")).isEmpty();
    assertThat(get("/api/v1/query_exemplars?query=up&start=0&end=1", 200).getJsonArray("data")).isEmpty();
    assertThat(get("/api/v1/status/config", 200).getJsonObject("data").getString("yaml")).isEmpty();
    assertThat(get("/api/v1/status/flags", 200).getJsonObject("data").isEmpty()).isTrue();
    assertThat(get("/api/v1/format_query?query=" + enc("sum(x)by(job)"), 200).getString("data"))
        .isEqualTo("sum by (job) (x)");
  }

  @Test
  void errorsAreMappedAtTheEdge() throws Exception {
    JsonObject bad = get("/api/v1/query?query=" + enc("sum(rate(x[5m])"), 400);
    assertThat(bad.getString("errorType")).isEqualTo("bad_data");
    assertThat(bad.getString("error")).contains("1:");
    JsonObject exec = get("/api/v1/query?query=" + enc("req_total + on(job) req_total") + "&time="
        + (T0 + 300_000) / 1000.0, 422);
    assertThat(exec.getString("errorType")).isEqualTo("execution");
  }

  @Test
  void storeFiguresInMetrics() throws Exception {
    var r = PromgateHarness.get(gw.url() + "/metrics");
    String text = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(text).contains("promgate_store_head_series{tenant=\"anonymous\"} 2")
        .contains("promgate_store_samples_accepted_total{tenant=\"anonymous\"} 82")
        .contains("promgate_store_samples_accepted_total{tenant=\"other\"} 41")
        .contains("promgate_store_head_min_time_seconds{tenant=\"anonymous\"} "
            + io.promgate.promql.engine.ValueFormat.formatTimestamp(T0) + "\n")
        .contains("promgate_store_head_max_time_seconds{tenant=\"anonymous\"} "
            + io.promgate.promql.engine.ValueFormat.formatTimestamp(T0 + 40 * 15_000L) + "\n");
  }
  @Test
  void remoteReadServesTheStore() throws Exception {
    var query = io.promgate.storeapi.prompb.Query.newBuilder().setStartTimestampMs(T0).setEndTimestampMs(T0 + 600_000)
        .addMatchers(io.promgate.storeapi.prompb.LabelMatcher.newBuilder()
            .setType(io.promgate.storeapi.prompb.LabelMatcher.Type.EQ).setName("__name__").setValue("req_total"));
    byte[] body = org.xerial.snappy.Snappy.compress(io.promgate.storeapi.prompb.ReadRequest.newBuilder()
        .addQueries(query).build().toByteArray());
    var r = PromgateHarness.HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gw.url() + "/api/v1/read"))
        .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    var resp = io.promgate.storeapi.prompb.ReadResponse.parseFrom(org.xerial.snappy.Snappy.uncompress(r.body()));
    assertThat(resp.getResults(0).getTimeseriesList()).hasSize(2)
        .allSatisfy(ts -> assertThat(ts.getSamplesCount()).isEqualTo(41));
  }
}
