package io.promgate.gateway.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promgate.gateway.it.PromgateHarness;
import io.promgate.gateway.it.RealPrometheus;
import io.promgate.gateway.it.RemoteWrite;
import io.promgate.routing.config.ConfigLoader;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus 2.42 behind basic auth ({@code --web.config.file}): promgate's {@code basic-auth} reaches
 * it on every path (pushdown, remote read, instant-query reads, series and labels), a wrong password
 * costs a warning naming the backend (or 503 without partial responses), and a client's own
 * {@code Authorization} goes up on the federated paths when the backend's {@code forward-headers} name it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackendAuthIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String USER = "promgate";
  static final String PASSWORD = "s3cret-pw";

  RealPrometheus secured;
  long t0;
  @TempDir
  Path dir;

  @BeforeAll
  void start() throws Exception {
    secured = RealPrometheus.startWithBasicAuth(USER, PASSWORD);
    t0 = System.currentTimeMillis() / 1000 * 1000;
    long[] ts = new long[20];
    double[] vs = new double[20];
    for (int i = 0; i < 20; i++) {
      ts[i] = t0 - (19 - i) * 15_000L;
      vs[i] = i;
    }
    secured.remoteWrite(new RemoteWrite().add(
        new RemoteWrite.TestSeries(Map.of("__name__", "auth_demo", "job", "x"), ts, vs)));
  }

  @AfterAll
  void stop() {
    secured.close();
  }

  PromgateHarness gateway(String backend) throws Exception {
    return PromgateHarness.start(ConfigLoader.parse("server: { http: 127.0.0.1:0 }\nbackends:\n  secured: "
        + backend.formatted(secured.url()) + "\n"), List.of(new FederationPlugin()));
  }

  JsonNode get(PromgateHarness g, String pathAndQuery, String... headers) throws Exception {
    HttpResponse<byte[]> r = PromgateHarness.get(g.url() + pathAndQuery, headers);
    JsonNode j = JSON.readTree(r.body());
    ((com.fasterxml.jackson.databind.node.ObjectNode) j).put("httpStatus", r.statusCode());
    return j;
  }

  String instant(String q) {
    return "/api/v1/query?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&time=" + t0 / 1000;
  }

  void assertServed(JsonNode j) {
    assertThat(j.path("httpStatus").asInt()).as(j.toString()).isEqualTo(200);
    assertThat(j.path("warnings").isMissingNode()).as(j.toString()).isTrue();
  }

  @Test
  void basicAuthFromAPasswordFileReachesEveryFederatedPath() throws Exception {
    Path pw = Files.writeString(dir.resolve("pw"), PASSWORD + "\n");
    for (String read : List.of("remote-read", "query")) {
      // The external label keeps the query away from pushdown: promgate reads raw data and evaluates.
      try (PromgateHarness g = gateway("{ type: prometheus, url: %s, read: " + read
          + ", external-labels: { source: s }, basic-auth: { username: " + USER + ", password-file: '" + pw + "' } }")) {
        JsonNode q = get(g, instant("sum by (source) (auth_demo)"));
        assertServed(q);
        assertThat(q.at("/data/result/0/metric/source").asText()).isEqualTo("s");
        assertThat(q.at("/data/result/0/value/1").asText()).as(read).isEqualTo("19");
        JsonNode series = get(g, "/api/v1/series?match[]=auth_demo");
        assertServed(series);
        assertThat(series.at("/data/0/job").asText()).isEqualTo("x");
        JsonNode values = get(g, "/api/v1/label/job/values");
        assertServed(values);
        assertThat(values.at("/data/0").asText()).isEqualTo("x");
      }
    }
  }

  @Test
  void inlinePasswordReachesThePushdownPath() throws Exception {
    try (PromgateHarness g = gateway("{ type: prometheus, url: %s, basic-auth: { username: " + USER
        + ", password: " + PASSWORD + " } }")) {
      JsonNode q = get(g, instant("auth_demo"));
      assertServed(q);
      assertThat(q.at("/data/result/0/value/1").asText()).isEqualTo("19");
      assertThat(PromgateHarness.get(g.url() + "/-/ready").statusCode()).as("readiness probes authenticate too")
          .isEqualTo(200);
    }
  }

  @Test
  void wrongPasswordIsAWarningNamingTheBackendOrA503() throws Exception {
    try (PromgateHarness g = gateway("{ type: prometheus, url: %s, external-labels: { source: s }, timeout: 5s,"
        + " basic-auth: { username: " + USER + ", password: wrong } }")) {
      JsonNode partial = get(g, instant("auth_demo"));
      assertThat(partial.path("httpStatus").asInt()).isEqualTo(200);
      assertThat(partial.at("/warnings/0").asText()).contains("backend secured failed").contains("401");
      JsonNode strict = get(g, instant("auth_demo") + "&partial_response=false");
      assertThat(strict.path("httpStatus").asInt()).isEqualTo(503);
      assertThat(strict.path("errorType").asText()).isEqualTo("unavailable");
    }
  }

  @Test
  void forwardedClientAuthorizationReachesRemoteReadAndMetadata() throws Exception {
    String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(
        (USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    try (PromgateHarness g = gateway("{ type: prometheus, url: %s, external-labels: { source: s },"
        + " forward-headers: [Authorization] }")) {
      JsonNode q = get(g, instant("auth_demo"), "Authorization", basic);
      assertServed(q);
      assertThat(q.at("/data/result/0/metric/job").asText()).isEqualTo("x");
      JsonNode labels = get(g, "/api/v1/labels", "Authorization", basic);
      assertServed(labels);
      assertThat(labels.get("data").toString()).contains("job");
      JsonNode anonymous = get(g, instant("auth_demo"));
      assertThat(anonymous.at("/warnings/0").asText()).as("nothing forwarded, nothing served").contains("401");
    }
  }
}
