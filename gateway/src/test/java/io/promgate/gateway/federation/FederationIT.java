package io.promgate.gateway.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.promgate.gateway.backend.prometheus.ReadMode;
import io.promgate.gateway.it.PromgateHarness;
import io.promgate.gateway.it.RealPrometheus;
import io.promgate.routing.config.ConfigLoader;
import io.promgate.routing.config.PromgateConfig;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The acceptance scenarios of issue 8 against real Prometheus 2.42 processes:
 * (a) a query set through a time-split federation equals a reference Prometheus holding all the data;
 * (b) an HA pair with a gap deduplicates to the gap-free copy; (c) a dead backend costs a warning, or a
 * 503 without partial responses, and its breaker opens and closes; (d) tenants never see each other's data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FederationIT {
  static final long MIN = 60_000;
  static final long H = 60 * MIN;

  long t0;
  long boundary;
  RealPrometheus reference;
  RealPrometheus recent;
  RealPrometheus older;
  RealPrometheus haA;
  RealPrometheus haB;
  TcpProxy olderProxy;
  FederationPlugin splitPlugin;
  PromgateHarness split;
  PromgateHarness ha;
  PromgateHarness tenants;

  @BeforeAll
  void start() throws Exception {
    t0 = (System.currentTimeMillis() / SeedData.STEP) * SeedData.STEP - SeedData.STEP;
    boundary = t0 - H;
    reference = RealPrometheus.start();
    recent = RealPrometheus.start();
    older = RealPrometheus.start();
    haA = RealPrometheus.start("global:\n  external_labels:\n    replica: a\n", List.of());
    haB = RealPrometheus.start("global:\n  external_labels:\n    replica: b\n", List.of());
    olderProxy = new TcpProxy(older.port());

    SeedData seed = new SeedData(t0 - 3 * H, t0, 42);
    seed.writeTo(reference, Long.MIN_VALUE, Long.MAX_VALUE, Map.of());
    seed.writeTo(older, Long.MIN_VALUE, boundary, Map.of());
    seed.writeTo(recent, boundary, Long.MAX_VALUE, Map.of());

    HaData haData = new HaData(t0 - H, t0);
    haData.full.writeTo(reference, Long.MIN_VALUE, Long.MAX_VALUE, Map.of());
    haData.gapped.writeTo(haA, Long.MIN_VALUE, Long.MAX_VALUE, Map.of());
    haData.full.writeTo(haB, Long.MIN_VALUE, Long.MAX_VALUE, Map.of());

    Clock clock = Clock.fixed(Instant.ofEpochMilli(t0), ZoneOffset.UTC);
    GuardOptions guards = new GuardOptions(50, 2, 4, Duration.ofSeconds(1), 0);
    splitPlugin = new FederationPlugin(guards, ReadMode.AUTO, null, clock);
    split = PromgateHarness.start(config("""
        backends:
          recent: { type: prometheus, url: %s, timeout: 5s }
          older:  { type: prometheus, url: http://127.0.0.1:%d, timeout: 5s }
        routes:
          - windows:
              - { newer-than: 1h, backends: [recent] }
              - { older-than: 1h, backends: [older] }
        partial-response: true
        """.formatted(recent.url(), olderProxy.port()), clock), List.of(splitPlugin));
    ha = PromgateHarness.start(config("""
        backends:
          ha-a: { type: prometheus, url: %s, external-labels: { replica: a } }
          ha-b: { type: prometheus, url: %s, external-labels: { replica: b } }
        routes:
          - windows: [ { backends: [ha-a, ha-b] } ]
        dedup: { replica-labels: [replica] }
        """.formatted(haA.url(), haB.url()), clock),
        List.of(new FederationPlugin(guards, ReadMode.AUTO, null, clock)));
    tenants = PromgateHarness.start(config("""
        tenancy: { default: "", upstream-header: X-Scope-OrgID }
        backends:
          team-a-prom: { type: prometheus, url: %s }
          team-b-prom: { type: prometheus, url: %s, external-labels: { replica: b } }
        routes:
          - tenants: [team-a]
            windows: [ { backends: [team-a-prom] } ]
          - tenants: [team-b]
            windows: [ { backends: [team-b-prom] } ]
        dedup: { replica-labels: [] }
        """.formatted(reference.url(), haB.url()), clock),
        List.of(new FederationPlugin(guards, ReadMode.AUTO, null, clock)));
  }

  static PromgateConfig config(String yaml, Clock clock) {
    return ConfigLoader.parse("server: { http: 127.0.0.1:0 }\n" + yaml, clock);
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {split, ha, tenants, olderProxy, reference, recent, older, haA, haB}) {
      if (c != null) {
        c.close();
      }
    }
  }

  static String sec(long ms) {
    return BigDecimal.valueOf(ms, 3).toPlainString();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static JsonNode get(String url, String... headers) throws Exception {
    HttpResponse<byte[]> r = PromgateHarness.get(url, headers);
    return PromJson.parse(r.body());
  }

  List<String> queries() {
    String atB = sec(boundary + 7_000);
    String atBefore = sec(boundary - 3 * MIN + 7_000);
    return List.of(
        "http_requests_total",
        "rate(http_requests_total[5m])",
        "sum by (code) (rate(http_requests_total[5m]))",
        "sum(rate(http_requests_total[10m])) by (instance)",
        "irate(http_requests_total[2m])",
        "increase(http_requests_total[1h])",
        "resets(http_requests_total[2h])",
        "changes(temperature_celsius[30m])",
        "avg_over_time(temperature_celsius[20m])",
        "max_over_time(temperature_celsius[90m])",
        "min_over_time(temperature_celsius[1h])",
        "quantile_over_time(0.9, temperature_celsius[45m])",
        "stddev_over_time(temperature_celsius[30m])",
        "count_over_time(http_requests_total[1h])",
        "histogram_quantile(0.9, sum by (le) (rate(req_duration_seconds_bucket[5m])))",
        "histogram_quantile(0.5, rate(req_duration_seconds_bucket[10m]))",
        "topk(2, rate(http_requests_total[5m]))",
        "bottomk(1, temperature_celsius)",
        "max_over_time(rate(http_requests_total[4m53s])[30m:1m])",
        "avg_over_time(temperature_celsius[10m:30s])",
        "rate(http_requests_total[5m] offset 30m)",
        "sum(http_requests_total offset 1h)",
        "http_requests_total @ " + atB,
        "rate(http_requests_total[5m] @ " + atBefore + ")",
        "label_replace(rate(http_requests_total[5m]), \"svc\", \"$1\", \"instance\", \"i(.*)\")",
        "label_join(temperature_celsius, \"where\", \"-\", \"room\", \"job\")",
        "delta(temperature_celsius[15m])",
        "deriv(temperature_celsius[20m])",
        "predict_linear(temperature_celsius[30m], 3600)",
        "sum without (instance) (rate(http_requests_total[5m]))",
        "count by (job) (http_requests_total)",
        "avg(temperature_celsius)",
        "rate(http_requests_total[5m]) / ignoring(code) group_left sum without (code) (rate(http_requests_total[5m]))",
        "sum(rate(http_requests_total{code=\"500\"}[5m])) / sum(rate(http_requests_total[5m]))",
        "temperature_celsius > bool 21",
        "abs(deriv(temperature_celsius[10m]))",
        "sort_desc(sum by (room) (temperature_celsius))",
        "count_values(\"v\", floor(temperature_celsius))",
        "absent(nonexistent_metric)",
        "vector(1) + scalar(sum(temperature_celsius))",
        "time() - timestamp(temperature_celsius)",
        "last_over_time(ephemeral_jobs[2h])",
        "sum_over_time(http_requests_total{instance=~\"i.\"}[3m])",
        "rate(http_requests_total[1h30m])",
        "quantile by (job) (0.5, temperature_celsius)",
        "stdvar(temperature_celsius)",
        "clamp_max(temperature_celsius, 21)",
        "round(rate(http_requests_total[5m]), 0.01)",
        "max_over_time(temperature_celsius[30m:1m] @ " + atB + ")",
        "ephemeral_jobs");
  }

  @Test
  @Order(1)
  void splitFederationAnswersLikeTheReference() throws Exception {
    long[] instants = {boundary + 7_000, boundary - 2 * MIN + 22_000, boundary + 4 * MIN + 22_000,
        t0 - 2 * H + 3 * MIN + 7_000, t0 - 5 * MIN + 7_000, t0 - 150 * MIN + 37_000};
    long[][] ranges = {{boundary - 40 * MIN + 7_000, boundary + 40 * MIN + 7_000, 60_000},
        {t0 - 170 * MIN + 7_000, t0 - 7_000, 300_000}, {boundary - 10 * MIN + 3_000, boundary + 5 * MIN, 45_000}};
    // Evaluation instants are never on the 15s sample grid: Prometheus 2.42 (the reference) reads closed
    // windows [t-r, t], promgate Prometheus 3's left-open (t-r, t]; they differ only for a sample exactly at t-r.
    List<String> failures = new ArrayList<>();
    int compared = 0;
    for (String q : queries()) {
      for (long t : instants) {
        String path = "/api/v1/query?query=" + enc(q) + "&time=" + sec(t);
        String d = PromJson.diff(get(reference.url() + path), get(split.url() + path));
        compared++;
        if (d != null) {
          failures.add(q + " @ " + sec(t) + ": " + d);
        }
      }
      for (long[] r : ranges) {
        String path = "/api/v1/query_range?query=" + enc(q) + "&start=" + sec(r[0]) + "&end=" + sec(r[1])
            + "&step=" + sec(r[2]);
        String d = PromJson.diff(get(reference.url() + path), get(split.url() + path));
        compared++;
        if (d != null) {
          failures.add(q + " range " + sec(r[0]) + ".." + sec(r[1]) + ": " + d);
        }
      }
    }
    assertThat(queries()).hasSizeGreaterThanOrEqualTo(40);
    assertThat(failures).as("%d of %d comparisons differ", failures.size(), compared).isEmpty();
  }

  @Test
  @Order(2)
  void haPairDeduplicatesToTheGapFreeCopy() throws Exception {
    // Replica a has a gap [t0-40m, t0-30m). Dedup switches to b after the gap (skipping the penalty's two
    // samples right after a's last one, as Thanos does), so compare where no window sees the switch.
    List<String> failures = new ArrayList<>();
    long[] instants = {t0 - 34 * MIN + 7_000, t0 - 31 * MIN + 22_000, t0 - 20 * MIN + 7_000, t0 - 50 * MIN + 7_000};
    for (String q : List.of("ha_requests_total", "rate(ha_requests_total[5m])", "sum(increase(ha_requests_total[3m]))",
        "count_over_time(ha_requests_total[4m])")) {
      for (long t : instants) {
        String path = "/api/v1/query?query=" + enc(q) + "&time=" + sec(t);
        String d = PromJson.diff(get(reference.url() + path), get(ha.url() + path));
        if (d != null) {
          failures.add(q + " @ " + sec(t) + ": " + d);
        }
      }
      String range = "/api/v1/query_range?query=" + enc(q) + "&start=" + sec(t0 - 34 * MIN + 7_000) + "&end="
          + sec(t0 - 2 * MIN + 7_000) + "&step=30";
      String d = PromJson.diff(get(reference.url() + range), get(ha.url() + range));
      if (d != null) {
        failures.add(q + " range: " + d);
      }
    }
    assertThat(failures).isEmpty();

    String q = "/api/v1/query?query=" + enc("ha_requests_total") + "&time=" + sec(t0 - 20 * MIN + 7_000);
    assertThat(PromJson.seriesNames(get(ha.url() + q))).containsExactly("{\"__name__\":\"ha_requests_total\",\"job\":\"ha\"}");
    assertThat(PromJson.seriesNames(get(ha.url() + q + "&dedup=false"))).hasSize(2)
        .anyMatch(s -> s.contains("\"replica\":\"a\"")).anyMatch(s -> s.contains("\"replica\":\"b\""));
    assertThat(PromJson.seriesNames(get(ha.url() + q + "&replicaLabels[]=nothing"))).hasSize(2);
    // Inside a's gap without dedup only b has data.
    String inGap = "/api/v1/query?query=" + enc("ha_requests_total") + "&time=" + sec(t0 - 33 * MIN + 7_000);
    assertThat(PromJson.seriesNames(get(ha.url() + inGap + "&dedup=false"))).singleElement()
        .satisfies(s -> assertThat(s).contains("\"replica\":\"b\""));
  }

  @Test
  @Order(3)
  void tenantsNeverSeeEachOthersData() throws Exception {
    String t = sec(t0 - 10 * MIN);
    String[] a = {"X-Scope-OrgID", "team-a"};
    String[] b = {"X-Scope-OrgID", "team-b"};
    String q = "/api/v1/query?query=" + enc("count by (__name__) ({__name__=~\".+\"})") + "&time=" + t;
    assertThat(PromJson.seriesNames(get(tenants.url() + q, a))).anyMatch(s -> s.contains("http_requests_total"));
    assertThat(PromJson.seriesNames(get(tenants.url() + q, b))).containsExactly("{\"__name__\":\"ha_requests_total\"}");
    String series = "/api/v1/series?match[]=" + enc("{__name__=~\".+\"}") + "&start=" + sec(t0 - 3 * H) + "&end=" + sec(t0);
    assertThat(get(tenants.url() + series, b).path("data").toString()).doesNotContain("http_requests_total")
        .contains("ha_requests_total");
    assertThat(get(tenants.url() + "/api/v1/labels", b).path("data").toString()).doesNotContain("instance")
        .contains("replica");
    assertThat(get(tenants.url() + "/api/v1/label/__name__/values", b).path("data").toString())
        .isEqualTo("[\"ha_requests_total\"]");
    assertThat(get(tenants.url() + "/api/v1/label/replica/values", a).path("data").toString()).isEqualTo("[]");
    assertThat(get(tenants.url() + "/api/v1/label/replica/values", b).path("data").toString()).isEqualTo("[\"b\"]");
    // A tenant without a route reads nothing at all.
    assertThat(PromJson.seriesNames(get(tenants.url() + q, "X-Scope-OrgID", "team-c"))).isEmpty();
    // Both at once: each series carries its tenant.
    JsonNode both = get(tenants.url() + "/api/v1/query?query=" + enc("count by (__tenant_id__) (ha_requests_total)")
        + "&time=" + t, "X-Scope-OrgID", "team-a|team-b");
    assertThat(PromJson.seriesNames(both)).containsExactlyInAnyOrder("{\"__tenant_id__\":\"team-a\"}",
        "{\"__tenant_id__\":\"team-b\"}");
  }

  @Test
  @Order(4)
  void deadBackendGivesWarningOr503AndItsBreakerOpensAndCloses() throws Exception {
    // Reads across the boundary, so both backends are asked (a query only one backend serves is pushed down,
    // and a pushed-down query has nothing partial to return: its failure is the upstream's error).
    String q = "/api/v1/query?query=" + enc("sum(rate(http_requests_total[5m]))") + "&time=" + sec(boundary + 2 * MIN + 7_000);
    JsonNode before = get(split.url() + q);
    assertThat(before.path("warnings").isMissingNode()).as("%s", before).isTrue();
    olderProxy.stop();
    JsonNode partial = get(split.url() + q);
    assertThat(partial.path("status").asText()).as("%s", partial).isEqualTo("success");
    assertThat(partial.path("warnings").toString()).contains("backend older failed");
    HttpResponse<byte[]> strict = PromgateHarness.get(split.url() + q + "&partial_response=false");
    assertThat(strict.statusCode()).isEqualTo(503);
    JsonNode err = PromJson.parse(strict.body());
    assertThat(err.path("errorType").asText()).isEqualTo("unavailable");
    assertThat(err.path("error").asText()).contains("older");

    BackendGuard guard = splitPlugin.guards().get("older");
    for (int i = 0; i < 20 && guard.state() != CircuitBreaker.State.OPEN; i++) {
      get(split.url() + q);
    }
    assertThat(guard.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(get(split.url() + q).path("warnings").toString()).contains("circuit breaker open");
    assertThat(new String(PromgateHarness.get(split.url() + "/metrics").body(), StandardCharsets.UTF_8))
        .contains("promgate_backend_circuit_breaker_state{backend=\"older\",state=\"open\"} 1");
    // Recent data does not touch the dead backend at all.
    assertThat(get(split.url() + "/api/v1/query?query=" + enc("sum(rate(http_requests_total[5m]))") + "&time="
        + sec(t0 - 5 * MIN)).path("warnings").isMissingNode()).isTrue();

    olderProxy.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline && guard.state() != CircuitBreaker.State.CLOSED) {
      last = get(split.url() + q);
      if (guard.state() != CircuitBreaker.State.CLOSED) {
        Thread.onSpinWait();
        Thread.sleep(100); // polling the open breaker's wait (1s), not a fixed sleep for an outcome
      }
    }
    assertThat(guard.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(get(split.url() + q).path("warnings").isMissingNode()).as("%s", last).isTrue();
  }
}
