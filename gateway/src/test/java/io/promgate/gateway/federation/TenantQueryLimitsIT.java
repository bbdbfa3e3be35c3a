package io.promgate.gateway.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.promgate.gateway.backend.prometheus.ReadMode;
import io.promgate.gateway.it.PromgateHarness;
import io.promgate.gateway.it.RealPrometheus;
import io.promgate.model.Labels;
import io.promgate.promql.engine.storage.MemoryStorage;
import io.promgate.routing.config.ConfigLoader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code tenancy.limits} on evaluated queries (issue 12), against a real Prometheus read through
 * federation: series fetched and samples loaded per query (422 {@code execution}), the time range of the
 * query and of its selectors (400 {@code bad_data}), the query timeout (503 {@code timeout}) and the POST
 * body size of read calls (413). Every refusal names its limit and value and is counted per tenant and limit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantQueryLimitsIT {
  static final long MIN = 60_000;
  /** Series of the StoreAPI backend {@code wide}. */
  static final int WIDE_SERIES = 20_000;
  long t0;
  RealPrometheus prom;
  FaultyBackend hanging;
  FaultyStore wide;
  PromgateHarness gw;

  @BeforeAll
  void start() throws Exception {
    t0 = (System.currentTimeMillis() / SeedData.STEP) * SeedData.STEP - SeedData.STEP;
    prom = RealPrometheus.start();
    new SeedData(t0 - 60 * MIN, t0, 3).writeTo(prom, Long.MIN_VALUE, Long.MAX_VALUE, Map.of());
    hanging = new FaultyBackend();
    hanging.mode(FaultyBackend.Mode.HANG);
    MemoryStorage many = new MemoryStorage();
    for (int i = 0; i < WIDE_SERIES; i++) {
      // The padding makes the whole answer (12 MB) many times the client's flow-control window (1 MiB).
      Labels l = Labels.of("__name__", "wide_metric", "i", Integer.toString(i), "pad", "x".repeat(500));
      for (long t = t0 - 5 * MIN; t <= t0; t += SeedData.STEP) {
        many.append(l, t, i);
      }
    }
    wide = new FaultyStore(many, t0 - 5 * MIN, t0, List.of());
    wide.mode(FaultyStore.Mode.HEALTHY);
    Clock clock = Clock.fixed(Instant.ofEpochMilli(t0), ZoneOffset.UTC);
    gw = PromgateHarness.start(ConfigLoader.parse("""
        server: { http: 127.0.0.1:0 }
        tenancy:
          default: small
          limits:
            max-query-range: 1d
            max-series-per-query: 5
            max-samples-per-query: 100
            max-request-body: 2KiB
            max-points-per-series: 1000
            tenants:
              big: { max-query-range: 30d, max-series-per-query: 0, max-samples-per-query: 0, max-request-body: 1MiB,
                     max-points-per-series: 0 }
              slow: { query-timeout: 300ms }
        backends:
          prom: { type: prometheus, url: %s, external-labels: { source: p } }
          hang: { type: prometheus, url: %s, timeout: 20s }
          wide: { type: storeapi, address: '%s', timeout: 20s }
        routes:
          - tenants: [slow]
            windows: [ { backends: [hang] } ]
          - tenants: [wide]
            windows: [ { backends: [wide] } ]
          - tenants: [small, big]
            windows: [ { backends: [prom] } ]
        """.formatted(prom.url(), hanging.url(), wide.address()), clock),
        List.of(new FederationPlugin(GuardOptions.defaults(), ReadMode.AUTO, null, clock)));
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {gw, hanging, wide, prom}) {
      if (c != null) {
        c.close();
      }
    }
  }

  HttpResponse<byte[]> query(String tenant, String q) throws Exception {
    return PromgateHarness.get(gw.url() + "/api/v1/query?query=" + FederationIT.enc(q) + "&time="
        + FederationIT.sec(t0 - MIN), "X-Scope-OrgID", tenant);
  }

  static JsonNode json(HttpResponse<byte[]> r) throws Exception {
    return PromJson.parse(r.body());
  }

  static void refused(HttpResponse<byte[]> r, int status, String errorType, String... mentions) throws Exception {
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(r.statusCode()).as(body).isEqualTo(status);
    assertThat(json(r).path("errorType").asText()).as(body).isEqualTo(errorType);
    assertThat(json(r).path("error").asText()).as(body).contains(mentions);
  }

  @Test
  void seriesPerQuery() throws Exception {
    assertThat(query("small", "http_requests_total").statusCode()).isEqualTo(200); // 4 series
    refused(query("small", "{__name__=~\"http_requests_total|temperature_celsius\"}"), 422, "execution",
        "max-series-per-query 5", "tenant \"small\"");
    assertThat(query("big", "{__name__=~\"http_requests_total|temperature_celsius\"}").statusCode()).isEqualTo(200);
  }

  /**
   * Refused while fetching: the StoreAPI stream is cancelled once the sixth series arrives, so the backend
   * stops after about one flow-control window of series instead of streaming all of them, and its call ends.
   */
  @Test
  void seriesPerQueryStopsTheFetchAtTheLimit() throws Exception {
    assertThat(query("wide", "wide_metric{i=~\"1|2|3\"}").statusCode()).isEqualTo(200);
    long before = wide.seriesServed();
    refused(query("wide", "sum(wide_metric)"), 422, "execution", "the query fetched 6 series, more than the limit",
        "max-series-per-query 5", "tenant \"wide\"");
    FaultBed.pollUntil(java.time.Duration.ofSeconds(10), () -> wide.inFlight() == 0);
    assertThat(wide.seriesServed() - before).as("series the store streamed before the cancel")
        .isLessThan(WIDE_SERIES / 4);
    String metrics = new String(PromgateHarness.get(gw.url() + "/metrics").body(), StandardCharsets.UTF_8);
    assertThat(metrics).containsPattern(
        "promgate_limit_refusals_total\\{limit=\"max-series-per-query\",tenant=\"wide\"} [1-9]");
  }

  @Test
  void samplesPerQuery() throws Exception {
    String q = "/api/v1/query_range?query=" + FederationIT.enc("max_over_time(http_requests_total[30m])")
        + "&start=" + FederationIT.sec(t0 - 30 * MIN) + "&end=" + FederationIT.sec(t0) + "&step=15";
    refused(PromgateHarness.get(gw.url() + q, "X-Scope-OrgID", "small"), 422, "execution",
        "too many samples", "max-samples-per-query 100");
    assertThat(PromgateHarness.get(gw.url() + q, "X-Scope-OrgID", "big").statusCode()).isEqualTo(200);
  }

  @Test
  void timeRangeOfTheQueryAndOfItsSelectors() throws Exception {
    refused(query("small", "rate(http_requests_total[2d])"), 400, "bad_data", "max-query-range 86400s",
        "172800s");
    refused(query("small", "max_over_time(rate(http_requests_total[5m])[1d:1m])"), 400, "bad_data",
        "max-query-range 86400s");
    assertThat(query("small", "count_over_time(up[23h])").statusCode()).isEqualTo(200);
    assertThat(query("big", "rate(http_requests_total[2d])").statusCode()).isEqualTo(200);
  }

  @Test
  void pointsPerSeries() throws Exception {
    // 1h at 3s: 1,201 points, under Prometheus' 11,000 but over small's 1,000.
    String q = "/api/v1/query_range?query=" + FederationIT.enc("up") + "&start=" + FederationIT.sec(t0 - 60 * MIN)
        + "&end=" + FederationIT.sec(t0) + "&step=3";
    refused(PromgateHarness.get(gw.url() + q, "X-Scope-OrgID", "small"), 400, "bad_data",
        "exceeded maximum resolution", "max-points-per-series 1000", "tenant \"small\"");
    assertThat(PromgateHarness.get(gw.url() + q, "X-Scope-OrgID", "big").statusCode()).isEqualTo(200);
    String coarse = q.replace("&step=3", "&step=15"); // 241 points
    assertThat(PromgateHarness.get(gw.url() + coarse, "X-Scope-OrgID", "small").statusCode()).isEqualTo(200);
  }

  @Test
  void queryTimeout() throws Exception {
    long t = System.nanoTime();
    refused(query("slow", "up"), 503, "timeout", "query-timeout 300ms", "tenant \"slow\"");
    assertThat((System.nanoTime() - t) / 1_000_000).as("answered at the limit, not at the backend's 20s timeout")
        .isLessThan(10_000);
  }

  @Test
  void postBodyOfReadCalls() throws Exception {
    String big = "query=" + "x".repeat(3000);
    refused(PromgateHarness.postForm(gw.url() + "/api/v1/query", big, "X-Scope-OrgID", "small"), 413, "bad_data",
        "max-request-body 2048 bytes");
    // Chunked, without Content-Length: refused while it streams.
    HttpResponse<byte[]> chunked = PromgateHarness.HTTP.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(gw.url() + "/api/v1/query")).header("X-Scope-OrgID", "small")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
            () -> new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    refused(chunked, 413, "bad_data", "max-request-body 2048 bytes");
    assertThat(PromgateHarness.postForm(gw.url() + "/api/v1/query", "query=" + FederationIT.enc("sum(http_requests_total)")
        + "&" + "x=" + "y".repeat(3000), "X-Scope-OrgID", "big").statusCode()).isEqualTo(200);
  }

  @Test
  void refusalsAreCountedPerTenantAndLimit() throws Exception {
    refused(query("small", "rate(http_requests_total[3d])"), 400, "bad_data", "max-query-range");
    String metrics = new String(PromgateHarness.get(gw.url() + "/metrics").body(), StandardCharsets.UTF_8);
    assertThat(metrics).contains("# TYPE promgate_limit_refusals_total counter")
        .containsPattern("promgate_limit_refusals_total\\{limit=\"max-query-range\",tenant=\"small\"} [1-9]");
  }
}
