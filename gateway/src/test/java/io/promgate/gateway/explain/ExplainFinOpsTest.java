package io.promgate.gateway.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.gateway.GatewayPlugin;
import io.promgate.gateway.it.PromgateHarness;
import io.promgate.gateway.it.RealPrometheus;
import io.promgate.gateway.it.RemoteWrite;
import io.promgate.routing.config.ConfigLoader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's FinOps story against a real promgate (embedded default: bundled store, plugins as
 * ServiceLoader lists them), data in by remote write, the fixture dashboard linted over HTTP.
 */
class ExplainFinOpsTest {
  @TempDir
  static Path dir;
  static PromgateHarness gw;
  static final long NOW = System.currentTimeMillis() / 15_000 * 15_000;

  @BeforeAll
  static void start() throws Exception {
    var c = ConfigLoader.parse("server: { http: 127.0.0.1:0, grpc: 127.0.0.1:0 }\nstorage: { path: "
        + dir.resolve("data") + " }\n");
    List<GatewayPlugin> plugins = ServiceLoader.load(GatewayPlugin.class).stream().map(ServiceLoader.Provider::get).toList();
    assertThat(plugins).anyMatch(p -> p instanceof ExplainPlugin);
    gw = PromgateHarness.start(c, plugins);
    RemoteWrite w = new RemoteWrite();
    for (String service : List.of("ec2", "s3", "rds")) {
      w.add(series("aws_cost_exporter_current_month_cost", service, 100));
      w.add(series("aws_cost_exporter_previous_month_cost", service, 900));
    }
    for (String replica : List.of("a", "b")) {
      RemoteWrite.TestSeries t = series("ha_scrape_up", "ha", 1);
      Map<String, String> l = new HashMap<>(t.labels());
      l.put("replica", replica);
      w.add(new RemoteWrite.TestSeries(l, t.timestamps(), t.values()));
    }
    w.add(endsStale("job_gone_recently", 60_000));
    w.add(endsStale("job_gone_long_ago", 600_000));
    RealPrometheus.remoteWrite(gw.url() + "/api/v1/write", w);
  }

  /** 40 minutes of 15 s samples ending now. */
  static RemoteWrite.TestSeries series(String name, String service, double base) {
    long[] ts = new long[161];
    double[] v = new double[ts.length];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = NOW - (ts.length - 1 - i) * 15_000L;
      v[i] = base + i;
    }
    Map<String, String> l = new HashMap<>(Map.of("__name__", name, "cluster", "ops", "namespace", "finops",
        "service", service));
    return new RemoteWrite.TestSeries(l, ts, v);
  }

  /** 10 minutes of samples, then a stale marker {@code agoMs} before now (a target that went away). */
  static RemoteWrite.TestSeries endsStale(String name, long agoMs) {
    long[] ts = new long[41];
    double[] v = new double[ts.length];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = NOW - agoMs - (ts.length - 1 - i) * 15_000L;
      v[i] = i == ts.length - 1 ? io.promgate.model.StaleNaN.VALUE : 1;
    }
    return new RemoteWrite.TestSeries(Map.of("__name__", name, "job", "batch"), ts, v);
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
  }

  static JsonObject explain(String query, String tenantPrefix) throws Exception {
    var r = PromgateHarness.get(gw.url() + tenantPrefix + "/api/v1/explain?query="
        + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&time=" + NOW / 1000.0);
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(r.statusCode()).as(body).isEqualTo(200);
    return new JsonObject(body).getJsonObject("data");
  }

  static JsonObject lint(String dashboard) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(gw.url() + "/api/v1/lint/dashboard?range=1h&end=" + NOW / 1000.0))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(dashboard)).build();
    HttpResponse<String> r = PromgateHarness.HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body()).getJsonObject("data");
  }

  static JsonObject panel(JsonObject lint, int id) {
    for (Object o : lint.getJsonArray("panels")) {
      JsonObject p = (JsonObject) o;
      if (p.getInteger("id") == id) {
        return p;
      }
    }
    throw new AssertionError("no panel " + id + " in " + lint.encodePrettily());
  }

  static JsonObject only(JsonArray diagnoses) {
    assertThat(diagnoses).hasSize(1);
    return diagnoses.getJsonObject(0);
  }

  @Test
  void lintFindsEachFinOpsMistakeWithTheRightCodeAndSuggestion() throws Exception {
    Path fixture = Path.of(System.getProperty("promgate.root", "..")).resolve("test-data/explain/finops-dashboard.json");
    JsonObject r = lint(Files.readString(fixture));

    JsonObject unknown = only(panel(r, 1).getJsonArray("diagnoses"));
    assertThat(panel(r, 1).getString("status")).isEqualTo("no_data");
    assertThat(unknown.getString("code")).isEqualTo("unknown_metric");
    assertThat(unknown.getJsonArray("suggestions").getString(0))
        .isEqualTo("aws_cost_exporter_current_month_cost{cluster=\"ops\"}");

    JsonObject ns = only(panel(r, 2).getJsonArray("diagnoses"));
    assertThat(ns.getString("code")).isEqualTo("label_mismatch");
    assertThat(ns.getString("message")).contains("namespace=\"cost\"").contains("finops");
    assertThat(ns.getJsonArray("suggestions").getString(0)).contains("namespace=\"finops\"");

    // Nested row panel: custom and query variables, ${var:regex}, [[var]], $__rate_interval all resolved.
    JsonObject ok = panel(r, 4);
    assertThat(ok.getString("status")).as(ok.encodePrettily()).isEqualTo("ok");
    assertThat(ok.getJsonArray("targets").getJsonObject(0).getString("expr")).contains("service=~\"(ec2|rds|s3)\"");
    assertThat(ok.getJsonArray("targets").getJsonObject(1).getString("expr")).contains("[60s]").contains("cluster=\"ops\"");

    JsonObject old = only(panel(r, 5).getJsonArray("diagnoses"));
    assertThat(old.getString("code")).isEqualTo("no_samples_in_range");
    assertThat(old.getString("message")).contains("after the window ends");

    assertThat(panel(r, 6).getString("status")).isEqualTo("skipped");
    assertThat(panel(r, 6).getString("note")).contains("library panel Budget");
    assertThat(panel(r, 7).getString("status")).isEqualTo("error");
    assertThat(panel(r, 3).getString("status")).isEqualTo("ok");
    assertThat(r.getInteger("problems")).isEqualTo(4);
  }

  @Test
  void explainShowsThePlanAndCountsForAResult() throws Exception {
    JsonObject d = explain("sum by (service) (aws_cost_exporter_current_month_cost{cluster=\"ops\"})", "");
    assertThat(d.getString("query")).isEqualTo("sum by (service) (aws_cost_exporter_current_month_cost{cluster=\"ops\"})");
    assertThat(d.getString("tenant")).isEqualTo("anonymous");
    assertThat(d.getJsonArray("diagnoses")).isEmpty();
    JsonObject sel = d.getJsonArray("plan").getJsonObject(0);
    assertThat(sel.getJsonObject("range").getDouble("end")).isEqualTo(NOW / 1000.0);
    assertThat(sel.getJsonObject("range").getDouble("start")).isEqualTo((NOW - 300_000 + 1) / 1000.0);
    JsonObject local = sel.getJsonArray("backends").getJsonObject(0);
    assertThat(local.getString("name")).isEqualTo("local");
    assertThat(local.getInteger("series")).isEqualTo(3);
    assertThat(local.getLong("samples")).isEqualTo(3 * 20);
  }

  @Test
  void replicasMergingIntoOneSeriesAreNoted() throws Exception {
    JsonObject d = explain("ha_scrape_up", "");
    assertThat(d.getJsonArray("diagnoses")).isEmpty();
    assertThat(d.getJsonArray("notes").getString(0))
        .isEqualTo("ha_scrape_up: 2 series from the backends merge into 1 (replica labels [replica, prometheus_replica]"
            + " dropped, then deduplicated)");
    assertThat(explain("aws_cost_exporter_current_month_cost", "").getJsonArray("notes")).isEmpty();
  }

  @Test
  void seriesEndedByAStaleMarkerAreStale() throws Exception {
    for (String name : List.of("job_gone_recently", "job_gone_long_ago")) {
      JsonObject d = only(explain(name, "").getJsonArray("diagnoses"));
      assertThat(d.getString("code")).as(name).isEqualTo("stale");
      assertThat(d.getString("message")).contains("ended with a stale marker at");
    }
    long at = NOW - 60_000;
    assertThat(only(explain("job_gone_recently", "").getJsonArray("diagnoses")).getString("message"))
        .contains(java.time.Instant.ofEpochMilli(at).toString().replace(".000Z", "Z").replace("Z", ""));
  }

  record Run(int code, String out, String err) {}

  static Run cli(String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    var cl = io.promgate.gateway.cli.PromgateCli.commandLine();
    cl.setOut(new java.io.PrintWriter(out));
    cl.setErr(new java.io.PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  static String fixture() {
    return Path.of(System.getProperty("promgate.root", "..")).resolve("test-data/explain/finops-dashboard.json").toString();
  }

  @Test
  void lintDashboardCliPrintsVerdictsAndExitsOneOnProblems() {
    Run json = cli("lint-dashboard", "--url", gw.url(), "--format", "json", fixture());
    assertThat(json.code()).as(json.err()).isEqualTo(1);
    JsonArray panels = new JsonObject(json.out()).getJsonArray("panels");
    assertThat(panels.stream().map(p -> ((JsonObject) p).getInteger("id") + ":" + ((JsonObject) p).getString("status")))
        .containsExactly("1:no_data", "2:no_data", "3:ok", "4:ok", "5:no_data", "6:skipped", "7:error");
    Run text = cli("lint-dashboard", "--url", gw.url(), fixture());
    assertThat(text.code()).isEqualTo(1);
    assertThat(text.out()).contains("NO DATA  #1 Cluster cost this month")
        .contains("try: aws_cost_exporter_current_month_cost{cluster=\"ops\"}").contains("OK       #4");
  }

  @Test
  void cliExitCodes() throws Exception {
    Path good = dir.resolve("good.json");
    Files.writeString(good, "{\"title\":\"t\",\"panels\":[{\"id\":1,\"title\":\"cost\",\"targets\":[{\"expr\":"
        + "\"sum(max_over_time(aws_cost_exporter_current_month_cost[$__range]))\"}]}]}");
    assertThat(cli("lint-dashboard", "--url", gw.url(), good.toString()).code()).isZero();
    assertThat(cli("lint-dashboard", "--url", "http://127.0.0.1:" + RealPrometheus.freePort(), good.toString()).code())
        .isEqualTo(2);
    assertThat(cli("lint-dashboard", "--url", gw.url(), dir.resolve("missing.json").toString()).code()).isEqualTo(2);
    Run ex = cli("explain", "--url", gw.url(), "aws_cost_exporter_cluster_cost");
    assertThat(ex.code()).isEqualTo(1);
    assertThat(ex.out()).contains("unknown_metric: no metric named aws_cost_exporter_cluster_cost")
        .contains("backend local");
    assertThat(cli("explain", "--url", gw.url(), "--start", Long.toString(NOW / 1000 - 600), "--step", "15s",
        "aws_cost_exporter_current_month_cost").code()).isZero();
  }
}
