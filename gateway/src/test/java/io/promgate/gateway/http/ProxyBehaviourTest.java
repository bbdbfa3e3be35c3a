package io.promgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.gateway.it.PromgateHarness;
import io.promgate.gateway.it.RealPrometheus;
import io.promgate.routing.config.ConfigLoader;
import io.promgate.routing.config.PromgateConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The pass-through path against a capturing upstream: tenant header injection and precedence, prefixes,
 * header forwarding policy, parameter merging, status relay, and the error envelope.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyBehaviourTest {
  private Vertx vertx;
  private CapturingUpstream upstream;
  private PromgateHarness promgate;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new CapturingUpstream(vertx);
    promgate = PromgateHarness.start(ConfigLoader.parse("""
        server: { http: '127.0.0.1:0' }
        backends:
          prom: { type: prometheus, url: '%s/prefix/', forward-headers: [X-Grafana-User], headers: { X-Static: s1 } }
        """.formatted(upstream.url())), List.of());
  }

  @AfterAll
  void stop() throws Exception {
    promgate.close();
    upstream.close();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  @BeforeEach
  void reset() {
    upstream.requests.clear();
    upstream.status = 200;
    upstream.replyHeaders = MultiMap.caseInsensitiveMultiMap();
    upstream.chunked = false;
  }

  private static String body(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void pathTenantOverwritesTheClientsHeader() throws Exception {
    var r = PromgateHarness.get(promgate.url() + "/tenant/prod/api/v1/query?query=up&time=4",
        "X-Scope-OrgID", "other", "THANOS-TENANT", "third");
    assertThat(r.statusCode()).isEqualTo(200);
    var c = upstream.next();
    assertThat(c.uri()).isEqualTo("/prefix/api/v1/query?query=up&time=4");
    assertThat(c.headers().getAll("X-Scope-OrgID")).containsExactly("prod");
    assertThat(c.headers().get("THANOS-TENANT")).as("client tenant headers are not forwarded").isNull();
  }

  @Test
  void headerTenantsAndDefault() throws Exception {
    PromgateHarness.get(promgate.url() + "/api/v1/labels", "X-Scope-OrgID", "team-a");
    assertThat(upstream.next().headers().get("X-Scope-OrgID")).isEqualTo("team-a");
    PromgateHarness.get(promgate.url() + "/api/v1/labels", "THANOS-TENANT", "team-b");
    assertThat(upstream.next().headers().get("X-Scope-OrgID")).isEqualTo("team-b");
    PromgateHarness.get(promgate.url() + "/api/v1/labels");
    assertThat(upstream.next().headers().get("X-Scope-OrgID")).isEqualTo("anonymous");
    PromgateHarness.get(promgate.url() + "/tenant/a%7Cb/api/v1/labels");
    assertThat(upstream.next().headers().get("X-Scope-OrgID")).isEqualTo("a|b");
  }

  @Test
  void invalidTenantsAreBadDataAndNeverReachUpstream() throws Exception {
    for (String[] req : new String[][] {{"/tenant/a%2Fb/api/v1/query?query=up"}, {"/tenant/../api/v1/query"},
        {"/api/v1/query?query=up", "X-Scope-OrgID", "bad tenant"}, {"/tenant/" + "x".repeat(151) + "/api/v1/query"}}) {
      String[] headers = java.util.Arrays.copyOfRange(req, 1, req.length);
      var r = PromgateHarness.get(promgate.url() + req[0], headers);
      assertThat(r.statusCode()).as(req[0]).isEqualTo(400);
      assertThat(body(r)).startsWith("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"");
    }
    assertThat(upstream.requests).isEmpty();
  }

  @Test
  void prometheusPrefixAloneAndAfterTenant() throws Exception {
    PromgateHarness.get(promgate.url() + "/prometheus/api/v1/series?match[]=up");
    assertThat(upstream.next().uri()).isEqualTo("/prefix/api/v1/series?match[]=up");
    PromgateHarness.get(promgate.url() + "/tenant/t1/prometheus/api/v1/label/job/values");
    var c = upstream.next();
    assertThat(c.uri()).isEqualTo("/prefix/api/v1/label/job/values");
    assertThat(c.headers().get("X-Scope-OrgID")).isEqualTo("t1");
  }

  @Test
  void onlyListedClientHeadersAreForwarded() throws Exception {
    PromgateHarness.get(promgate.url() + "/api/v1/query?query=up", "Authorization", "Bearer secret",
        "X-Grafana-User", "admin", "Cookie", "c=1", "Accept-Encoding", "gzip");
    var h = upstream.next().headers();
    assertThat(h.get("Authorization")).isNull();
    assertThat(h.get("Cookie")).isNull();
    assertThat(h.get("X-Grafana-User")).isEqualTo("admin");
    assertThat(h.get("X-Static")).isEqualTo("s1");
    assertThat(h.get("Accept-Encoding")).isEqualTo("gzip");
  }

  @Test
  void postMergesUrlAndBodyParameters() throws Exception {
    PromgateHarness.postForm(promgate.url() + "/api/v1/query_range?dedup=false&x=%26", "query=up&start=1&end=2&step=1");
    var c = upstream.next();
    assertThat(c.method()).isEqualTo("POST");
    assertThat(c.uri()).isEqualTo("/prefix/api/v1/query_range");
    assertThat(c.headers().get("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    assertThat(c.body()).isEqualTo("dedup=false&x=%26&query=up&start=1&end=2&step=1");
  }

  @Test
  void statusBodyAndHeadersAreRelayedWithoutHopByHop() throws Exception {
    upstream.status = 422;
    upstream.reply = "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"boom\"}";
    upstream.replyHeaders = MultiMap.caseInsensitiveMultiMap().add("X-Custom", "1").add("Keep-Alive", "timeout=5");
    var r = PromgateHarness.get(promgate.url() + "/api/v1/query?query=x");
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(body(r)).isEqualTo(upstream.reply);
    assertThat(r.headers().firstValue("X-Custom")).contains("1");
    assertThat(r.headers().firstValue("Keep-Alive")).isEmpty();
    upstream.reply = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}";
  }

  @Test
  void largeChunkedBodiesStreamThroughIntact() throws Exception {
    StringBuilder big = new StringBuilder("{\"status\":\"success\",\"data\":[");
    for (int i = 0; i < 60_000; i++) {
      big.append(i == 0 ? "" : ",").append("\"series_").append(i).append('"');
    }
    String reply = big.append("]}").toString();
    String saved = upstream.reply;
    try {
      upstream.reply = reply;
      upstream.chunked = true;
      var r = PromgateHarness.get(promgate.url() + "/api/v1/label/__name__/values");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).hasSize(reply.length());
      assertThat(body(r)).isEqualTo(reply);
      upstream.chunked = false;
      assertThat(body(PromgateHarness.get(promgate.url() + "/api/v1/label/__name__/values"))).isEqualTo(reply);
    } finally {
      upstream.reply = saved;
    }
  }

  @Test
  void formatAndParseQueryNeverReachTheUpstream() throws Exception {
    var f = PromgateHarness.get(promgate.url() + "/tenant/t/api/v1/format_query?query=sum%28up%29by%28job%29");
    assertThat(body(f)).isEqualTo("{\"status\":\"success\",\"data\":\"sum by (job) (up)\"}");
    var p = PromgateHarness.postForm(promgate.url() + "/api/v1/parse_query", "query=up");
    assertThat(body(p)).isEqualTo("{\"status\":\"success\",\"data\":{\"matchers\":[{\"name\":\"__name__\",\"type\":\"=\","
        + "\"value\":\"up\"}],\"name\":\"up\",\"offset\":0,\"startOrEnd\":null,\"timestamp\":null,\"type\":\"vectorSelector\"}}");
    var bad = PromgateHarness.get(promgate.url() + "/api/v1/parse_query?query=sum%28");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(body(bad)).startsWith("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"query\\\": 1:5: parse error:");
    assertThat(upstream.requests).isEmpty();
  }

  @Test
  void ownEndpointsNeedNoUpstream() throws Exception {
    upstream.requests.clear();
    assertThat(body(PromgateHarness.get(promgate.url() + "/-/healthy"))).contains("Healthy");
    var bi = PromgateHarness.get(promgate.url() + "/tenant/x/api/v1/status/buildinfo");
    assertThat(body(bi)).startsWith("{\"status\":\"success\",\"data\":{\"version\":");
    assertThat(PromgateHarness.get(promgate.url() + "/nope").statusCode()).isEqualTo(404);
    assertThat(upstream.requests).isEmpty();
    PromgateHarness.get(promgate.url() + "/api/v1/query?query=up");
    String metrics = body(PromgateHarness.get(promgate.url() + "/metrics"));
    assertThat(metrics).contains("promgate_http_requests_total{handler=\"/api/v1/query\",code=\"200\"}")
        .contains("promgate_http_request_duration_seconds_bucket{handler=\"/api/v1/query\",le=\"+Inf\"}");
  }

  @Test
  void unreachableUpstreamIs503Unavailable() throws Exception {
    int closed = RealPrometheus.freePort();
    PromgateConfig c = ConfigLoader.parse("server: { http: '127.0.0.1:0' }\nbackends: { p: { type: prometheus, url: 'http://127.0.0.1:"
        + closed + "' } }");
    try (PromgateHarness dead = PromgateHarness.start(c, List.of())) {
      var r = PromgateHarness.get(dead.url() + "/api/v1/query?query=up");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(body(r)).startsWith("{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"upstream p (http://127.0.0.1:" + closed);
      assertThat(PromgateHarness.get(dead.url() + "/-/ready").statusCode()).isEqualTo(503);
      assertThat(body(PromgateHarness.get(dead.url() + "/metrics")))
          .contains("promgate_upstream_errors_total{backend=\"p\",kind=\"unavailable\"} 1");
    }
  }

  @Test
  void slowUpstreamTimesOutWith503() throws Exception {
    PromgateConfig c = ConfigLoader.parse("server: { http: '127.0.0.1:0' }\nbackends: { slow: { type: prometheus, url: '"
        + upstream.url() + "', timeout: 300ms } }");
    upstream.delayMs = 3000;
    try (PromgateHarness p = PromgateHarness.start(c, List.of())) {
      long t0 = System.nanoTime();
      var r = PromgateHarness.get(p.url() + "/api/v1/query?query=up");
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(body(r)).startsWith("{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"upstream slow");
      assertThat(ms).isLessThan(2500);
    } finally {
      upstream.delayMs = 0;
    }
  }

  @Test
  void noBackendAnswers503ButIsHealthy() throws Exception {
    try (PromgateHarness none = PromgateHarness.start(ConfigLoader.parse("server: { http: '127.0.0.1:0' }"), List.of())) {
      assertThat(PromgateHarness.get(none.url() + "/-/healthy").statusCode()).isEqualTo(200);
      assertThat(PromgateHarness.get(none.url() + "/-/ready").statusCode()).isEqualTo(503);
      var r = PromgateHarness.get(none.url() + "/api/v1/query?query=up");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(body(r)).contains("\"errorType\":\"unavailable\"").contains("no backend is configured");
      // Grafana asks every datasource for rules and alerts: empty successes, never 404 or 503.
      assertThat(body(PromgateHarness.get(none.url() + "/api/v1/rules")))
          .isEqualTo("{\"status\":\"success\",\"data\":{\"groups\":[]}}");
      assertThat(body(PromgateHarness.get(none.url() + "/api/v1/alerts")))
          .isEqualTo("{\"status\":\"success\",\"data\":{\"alerts\":[]}}");
    }
  }

  @Test
  void configuredTenantHeaderNameAndRequiredTenant() throws Exception {
    PromgateConfig c = ConfigLoader.parse("""
        server: { http: '127.0.0.1:0' }
        tenancy: { default: '', upstream-header: X-Tenant }
        backends: { p: { type: prometheus, url: '%s' } }
        """.formatted(upstream.url()));
    try (PromgateHarness p = PromgateHarness.start(c, List.of())) {
      var r = PromgateHarness.get(p.url() + "/api/v1/query?query=up");
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(body(r)).contains("\"errorType\":\"unauthorized\"");
      PromgateHarness.get(p.url() + "/tenant/acme/api/v1/query?query=up");
      var h = upstream.next().headers();
      assertThat(h.get("X-Tenant")).isEqualTo("acme");
      assertThat(h.get("X-Scope-OrgID")).isNull();
    }
  }
}
