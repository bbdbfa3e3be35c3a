package io.promgate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promgate.gateway.Version;
import io.promgate.routing.config.ConfigOverrides;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * promgate as a drop-in in front of a real Prometheus: promtool and Grafana-shaped requests must see the
 * same bytes through promgate as directly. Data goes in through Prometheus' remote-write receiver.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusPassthroughIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long STEP_MS = 15_000;

  private RealPrometheus prometheus;
  private PromgateHarness promgate;
  private long endMs;
  private long startMs;

  @BeforeAll
  void start() throws Exception {
    prometheus = RealPrometheus.start();
    endMs = (System.currentTimeMillis() / STEP_MS) * STEP_MS - STEP_MS;
    startMs = endMs - 50 * 60_000;
    int n = (int) ((endMs - startMs) / STEP_MS) + 1;
    RemoteWrite rw = new RemoteWrite();
    String[][] reqs = {{"a", "200", "1.5"}, {"a", "500", "0.1"}, {"b", "200", "2.25"}, {"b", "500", "0"}};
    for (String[] r : reqs) {
      long[] ts = new long[n];
      double[] vs = new double[n];
      for (int i = 0; i < n; i++) {
        ts[i] = startMs + i * STEP_MS;
        vs[i] = i * Double.parseDouble(r[2]) * 15;
      }
      rw.add(new RemoteWrite.TestSeries(Map.of("__name__", "demo_requests_total", "job", "api",
          "instance", r[0], "code", r[1]), ts, vs));
    }
    for (String room : new String[] {"kitchen", "hall"}) {
      long[] ts = new long[n];
      double[] vs = new double[n];
      for (int i = 0; i < n; i++) {
        ts[i] = startMs + i * STEP_MS;
        vs[i] = 20 + Math.sin(i / 10.0) * (room.length());
      }
      rw.add(new RemoteWrite.TestSeries(Map.of("__name__", "demo_temperature_celsius", "room", room), ts, vs));
    }
    prometheus.remoteWrite(rw);
    promgate = PromgateHarness.start(new ConfigOverrides(Optional.of("127.0.0.1:0"), Optional.empty(),
        Optional.of(prometheus.url()), Optional.empty()).apply(Optional.empty()), List.of());
  }

  @AfterAll
  void stop() throws Exception {
    if (promgate != null) {
      promgate.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
  }

  private String sec(long ms) {
    return Double.toString(ms / 1000.0);
  }

  // ---------------------------------------------------------------- promtool

  private record Run(int exit, String out) {}

  private static Run promtool(List<String> args) throws Exception {
    Path tool = ExternalBinary.require("promtool");
    List<String> cmd = new ArrayList<>();
    cmd.add(tool.toString());
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  /** Runs the same promtool command against Prometheus and promgate; outputs must be byte-identical. */
  private void samePromtool(String... args) throws Exception {
    List<String> direct = new ArrayList<>();
    List<String> through = new ArrayList<>();
    for (String a : args) {
      direct.add(a.replace("SERVER", prometheus.url()));
      through.add(a.replace("SERVER", promgate.url()));
    }
    Run d = promtool(direct);
    Run t = promtool(through);
    assertThat(d.exit()).as("promtool direct: %s", d.out()).isZero();
    assertThat(d.out()).as("direct output").isNotBlank();
    assertThat(t).isEqualTo(d);
  }

  @ParameterizedTest
  @ValueSource(strings = {"demo_requests_total", "sum by (code) (rate(demo_requests_total[5m]))",
      "demo_temperature_celsius > 20", "1+1", "topk(1, demo_temperature_celsius) * on() group_left vector(2)", "label_replace(demo_temperature_celsius, \"r\", \"$1\", \"room\", \"(.*)\")"})
  void promtoolInstantIsIdentical(String expr) throws Exception {
    samePromtool("query", "instant", "--time=" + sec(endMs - 60_000), "SERVER", expr);
    samePromtool("query", "instant", "-o", "json", "--time=" + sec(endMs), "SERVER", expr);
  }

  @Test
  void promtoolRangeSeriesLabelsAreIdentical() throws Exception {
    samePromtool("query", "range", "--start=" + sec(startMs), "--end=" + sec(endMs), "--step=60s", "SERVER",
        "rate(demo_requests_total[2m])");
    samePromtool("query", "range", "-o", "json", "--start=" + sec(endMs - 600_000), "--end=" + sec(endMs),
        "--step=15s", "SERVER", "avg(demo_temperature_celsius)");
    samePromtool("query", "series", "--match=demo_requests_total{code=\"500\"}", "--match=demo_temperature_celsius",
        "--start=" + sec(startMs), "--end=" + sec(endMs), "SERVER");
    samePromtool("query", "labels", "--start=" + sec(startMs), "--end=" + sec(endMs), "SERVER", "instance");
    samePromtool("query", "labels", "SERVER", "__name__");
  }

  // ---------------------------------------------------------------- Grafana-shaped HTTP

  private void sameGet(String pathAndQuery) throws Exception {
    HttpResponse<byte[]> d = PromgateHarness.get(prometheus.url() + pathAndQuery);
    HttpResponse<byte[]> t = PromgateHarness.get(promgate.url() + pathAndQuery);
    assertSame(pathAndQuery, d, t);
  }

  private static void assertSame(String what, HttpResponse<byte[]> d, HttpResponse<byte[]> t) {
    assertThat(t.statusCode()).as("status of %s", what).isEqualTo(d.statusCode());
    assertThat(new String(t.body(), StandardCharsets.UTF_8)).as("body of %s", what)
        .isEqualTo(new String(d.body(), StandardCharsets.UTF_8));
    assertThat(t.headers().firstValue("content-type")).isEqualTo(d.headers().firstValue("content-type"));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void grafanaRangeQueryAsPostFormWithUrlParams() throws Exception {
    String form = "query=" + enc("sum(rate(demo_requests_total[1m])) by (instance)") + "&start=" + sec(startMs)
        + "&end=" + sec(endMs) + "&step=30";
    // Grafana sends custom query parameters in the URL of the POST; they must be merged, not dropped.
    HttpResponse<byte[]> d = PromgateHarness.postForm(prometheus.url() + "/api/v1/query_range", form);
    HttpResponse<byte[]> t = PromgateHarness.postForm(promgate.url() + "/api/v1/query_range?foo=bar", form);
    assertSame("query_range POST", d, t);
    assertThat(JSON.readTree(t.body()).at("/data/result").size()).isEqualTo(2);
    // Parameters only in the URL of a POST still count (the query itself here).
    HttpResponse<byte[]> urlOnly = PromgateHarness.postForm(promgate.url() + "/api/v1/query_range?query="
        + enc("sum(rate(demo_requests_total[1m])) by (instance)"), "start=" + sec(startMs) + "&end=" + sec(endMs)
        + "&step=30");
    assertSame("query_range POST with query in URL", d, urlOnly);
  }

  @Test
  void grafanaHealthProbeAndLabelBrowser() throws Exception {
    HttpResponse<byte[]> probe = PromgateHarness.postForm(promgate.url() + "/api/v1/query", "query=1%2B1&time=4");
    assertThat(new String(probe.body(), StandardCharsets.UTF_8))
        .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[4,\"2\"]}}");
    sameGet("/api/v1/query?query=1%2B1&time=4");
    sameGet("/api/v1/label/__name__/values?start=" + sec(startMs) + "&end=" + sec(endMs));
    sameGet("/api/v1/label/room/values");
    sameGet("/api/v1/labels?match[]=" + enc("demo_requests_total") + "&start=" + sec(startMs) + "&end=" + sec(endMs)
        + "&limit=5");
    sameGet("/api/v1/series?match[]=" + enc("{__name__=~\"demo_.*\"}") + "&start=" + sec(startMs) + "&end="
        + sec(endMs) + "&limit=40000");
    sameGet("/api/v1/metadata");
    sameGet("/api/v1/query_exemplars?query=demo_requests_total&start=" + sec(startMs) + "&end=" + sec(endMs));
    for (String p : new String[] {"/api/v1/rules", "/api/v1/alerts", "/api/v1/targets", "/api/v1/targets/metadata",
        "/api/v1/status/config", "/api/v1/status/flags", "/federate?match[]=demo_temperature_celsius"}) {
      sameGet(p);
    }
  }

  @Test
  void labelsAndSeriesAsPostForm() throws Exception {
    String form = "match[]=" + enc("demo_requests_total") + "&match[]=" + enc("demo_temperature_celsius")
        + "&start=" + sec(startMs) + "&end=" + sec(endMs);
    for (String p : new String[] {"/api/v1/labels", "/api/v1/series"}) {
      assertSame(p, PromgateHarness.postForm(prometheus.url() + p, form), PromgateHarness.postForm(promgate.url() + p, form));
    }
  }

  @Test
  void errorsAreRelayedUnchanged() throws Exception {
    sameGet("/api/v1/query?query=" + enc("rate(demo_requests_total)")); // 400 bad_data
    sameGet("/api/v1/query?query=" + enc("demo_requests_total + on(job) demo_requests_total")
        + "&time=" + sec(endMs)); // 422 execution: many-to-many
    sameGet("/api/v1/query_range?query=up&start=10&end=1&step=1"); // 400 end before start
    HttpResponse<byte[]> d = PromgateHarness.get(prometheus.url() + "/api/v1/query?query=" + enc("demo_requests_total + on(job) demo_requests_total"));
    assertThat(d.statusCode()).isEqualTo(422);
  }

  @Test
  void gzipPassesThrough() throws Exception {
    String q = "/api/v1/query_range?query=demo_temperature_celsius&start=" + sec(startMs) + "&end=" + sec(endMs) + "&step=15";
    HttpResponse<byte[]> d = PromgateHarness.get(prometheus.url() + q, "Accept-Encoding", "gzip");
    HttpResponse<byte[]> t = PromgateHarness.get(promgate.url() + q, "Accept-Encoding", "gzip");
    assertThat(t.headers().firstValue("content-encoding")).contains("gzip");
    assertThat(gunzip(t.body())).isEqualTo(gunzip(d.body()));
    assertThat(t.body()).as("compressed bytes relayed, not recompressed").isEqualTo(d.body());
  }

  private static String gunzip(byte[] b) throws Exception {
    try (var in = new GZIPInputStream(new ByteArrayInputStream(b))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void tenantAndPrometheusPrefixesReachTheSameData() throws Exception {
    String q = "/api/v1/query?query=demo_temperature_celsius&time=" + sec(endMs);
    HttpResponse<byte[]> d = PromgateHarness.get(prometheus.url() + q);
    assertSame("tenant prefix", d, PromgateHarness.get(promgate.url() + "/tenant/prod" + q));
    assertSame("prometheus prefix", d, PromgateHarness.get(promgate.url() + "/prometheus" + q));
    assertSame("both prefixes", d, PromgateHarness.get(promgate.url() + "/tenant/prod/prometheus" + q));
  }

  @Test
  void remoteWriteIsPassedThroughToTheUpstreamReceiver() throws Exception {
    RealPrometheus.remoteWrite(promgate.url() + "/tenant/w/api/v1/write", new RemoteWrite().add(new RemoteWrite.TestSeries(
        Map.of("__name__", "written_through_promgate", "via", "proxy"), new long[] {endMs}, new double[] {42})));
    var r = PromgateHarness.get(prometheus.url() + "/api/v1/query?query=written_through_promgate&time=" + sec(endMs));
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("\"via\":\"proxy\"").contains("\"42\"");
  }

  @Test
  void formatQueryIsAnsweredByPromgateLikePrometheus() throws Exception {
    // Queries whose formatting Prometheus 2.42 (the upstream here) and 3.x agree on, plus parse errors.
    for (String q : new String[] {"sum by(a)(rate(x{b=\"<&>\"}[5m])) > 1 and on(c) y", "up", "1+1",
        "rate(http_requests_total{job=~\"a.*\"}[5m] offset 1h)", "topk(3, sum without(instance)(x))", "sum(", ""}) {
      String path = "/api/v1/format_query?query=" + enc(q);
      sameGet(path);
      HttpResponse<byte[]> post = PromgateHarness.postForm(promgate.url() + "/api/v1/format_query", "query=" + enc(q));
      assertThat(new String(post.body(), StandardCharsets.UTF_8))
          .isEqualTo(new String(PromgateHarness.get(prometheus.url() + path).body(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void emptyAnswersHaveTheShapeOfAnUnconfiguredPrometheus() throws Exception {
    // The Prometheus here has no rules, alerts, alertmanagers or scrape targets.
    for (var e : new io.promgate.gateway.http.Endpoint[] {io.promgate.gateway.http.Endpoint.RULES,
        io.promgate.gateway.http.Endpoint.ALERTS, io.promgate.gateway.http.Endpoint.TARGETS,
        io.promgate.gateway.http.Endpoint.ALERTMANAGERS}) {
      String direct = new String(PromgateHarness.get(prometheus.url() + e.path()).body(), StandardCharsets.UTF_8);
      assertThat("{\"status\":\"success\",\"data\":" + io.promgate.gateway.backend.EmptyAnswers.dataJson(e) + "}")
          .as(e.path()).isEqualTo(direct);
    }
  }

  @Test
  void buildinfoIsOursInPrometheusShape() throws Exception {
    JsonNode theirs = JSON.readTree(PromgateHarness.get(prometheus.url() + "/api/v1/status/buildinfo").body());
    JsonNode ours = JSON.readTree(PromgateHarness.get(promgate.url() + "/api/v1/status/buildinfo").body());
    assertThat(ours.get("status").asText()).isEqualTo("success");
    assertThat(ours.at("/data/version").asText()).isEqualTo(Version.get()).matches("\\d+\\.\\d+\\.\\d+.*");
    List<String> theirKeys = new ArrayList<>();
    theirs.get("data").fieldNames().forEachRemaining(theirKeys::add);
    List<String> ourKeys = new ArrayList<>();
    ours.get("data").fieldNames().forEachRemaining(ourKeys::add);
    assertThat(ourKeys).containsExactlyInAnyOrderElementsOf(theirKeys);
    assertThat(ours.get("data").has("features")).as("Grafana must not take us for Mimir").isFalse();
  }

  @Test
  void selfMetricsPassPromtoolLint() throws Exception {
    PromgateHarness.get(promgate.url() + "/api/v1/query?query=up");
    byte[] metrics = PromgateHarness.get(promgate.url() + "/metrics").body();
    Process p = new ProcessBuilder(ExternalBinary.require("promtool").toString(), "check", "metrics")
        .redirectErrorStream(true).start();
    p.getOutputStream().write(metrics);
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("promtool check metrics: %s", out).isZero();
  }

  @Test
  void readyFollowsTheUpstream() throws Exception {
    assertThat(PromgateHarness.get(promgate.url() + "/-/ready").statusCode()).isEqualTo(200);
    String metrics = new String(PromgateHarness.get(promgate.url() + "/metrics").body(), StandardCharsets.UTF_8);
    assertThat(metrics).contains("promgate_upstream_request_duration_seconds_count{backend=\"upstream\"}");
  }
}
