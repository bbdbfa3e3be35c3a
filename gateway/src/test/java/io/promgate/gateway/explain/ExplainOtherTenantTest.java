package io.promgate.gateway.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.gateway.GatewayPlugin;
import io.promgate.gateway.it.PromgateHarness;
import io.promgate.gateway.it.RemoteWrite;
import io.promgate.routing.config.ConfigLoader;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With grants in place (issue 12), explain names another tenant that holds an unknown metric
 * ({@code other_tenant}) only when the caller's credential may read that tenant, and never any other.
 * Tenants team-b and team-c both have {@code payments_total}; team-a has not.
 */
class ExplainOtherTenantTest {
  @TempDir
  static Path dir;
  static PromgateHarness gw;
  static final long NOW = System.currentTimeMillis() / 15_000 * 15_000;

  static String basic(String user) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":pw-" + user).getBytes(StandardCharsets.UTF_8));
  }

  static String hash(String user) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(("pw-" + user).getBytes(StandardCharsets.UTF_8)));
  }

  @BeforeAll
  static void start() throws Exception {
    List<GatewayPlugin> plugins = ServiceLoader.load(GatewayPlugin.class).stream().map(ServiceLoader.Provider::get).toList();
    gw = PromgateHarness.start(ConfigLoader.parse("""
        server: { http: 127.0.0.1:0, grpc: 127.0.0.1:0 }
        storage: { path: %s }
        tenancy:
          default: ""
          require-auth: true
          credentials:
            - { user: both, password-hash: '%s', read: [team-a, team-b] }
            - { user: solo, password-hash: '%s', read: [team-a] }
            - { user: star, password-hash: '%s', read: ["*"] }
            - { user: writer, password-hash: '%s', write: ["*"] }
        backends:
          local: { type: local }
        routes:
          - tenants: [team-a, team-b, team-c]
            windows: [ { backends: [local] } ]
        """.formatted(dir, hash("both"), hash("solo"), hash("star"), hash("writer"))), plugins);
    write("team-a", "http_requests_total");
    write("team-b", "payments_total");
    write("team-c", "payments_total");
  }

  static void write(String tenant, String metric) throws Exception {
    long[] ts = new long[21];
    double[] v = new double[ts.length];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = NOW - (ts.length - 1 - i) * 15_000L;
      v[i] = i;
    }
    byte[] body = new RemoteWrite().add(new RemoteWrite.TestSeries(Map.of("__name__", metric, "job", "api"), ts, v))
        .snappyBody();
    HttpResponse<String> r = PromgateHarness.HTTP.send(HttpRequest.newBuilder(URI.create(gw.url() + "/tenant/" + tenant
        + "/api/v1/write")).header("Authorization", basic("writer")).header("Content-Type", "application/x-protobuf")
        .header("Content-Encoding", "snappy").header("X-Prometheus-Remote-Write-Version", "0.1.0")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
  }

  @AfterAll
  static void stop() throws Exception {
    if (gw != null) {
      gw.close();
    }
  }

  static JsonObject explain(String user, String tenant, String query) throws Exception {
    var r = PromgateHarness.get(gw.url() + "/tenant/" + tenant + "/api/v1/explain?query="
        + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&time=" + NOW / 1000.0, "Authorization", basic(user));
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(r.statusCode()).as(body).isEqualTo(200);
    return new JsonObject(body).getJsonObject("data");
  }

  static JsonObject onlyDiagnosis(JsonObject d) {
    assertThat(d.getJsonArray("diagnoses")).as(d.encode()).hasSize(1);
    return d.getJsonArray("diagnoses").getJsonObject(0);
  }

  @Test
  void namesOnlyTheOtherTenantsTheCredentialMayRead() throws Exception {
    JsonObject d = explain("both", "team-a", "rate(payments_total[5m])");
    JsonObject diag = onlyDiagnosis(d);
    assertThat(diag.getString("code")).isEqualTo("other_tenant");
    assertThat(diag.getString("message")).contains("team-b");
    assertThat(d.encode()).doesNotContain("team-c");
  }

  @Test
  void aCredentialForOneTenantHearsNothingOfOthers() throws Exception {
    JsonObject d = explain("solo", "team-a", "rate(payments_total[5m])");
    assertThat(onlyDiagnosis(d).getString("code")).isEqualTo("unknown_metric");
    assertThat(d.encode()).doesNotContain("team-b").doesNotContain("team-c").doesNotContain("other_tenant");
  }

  @Test
  void aStarGrantCoversTheTenantsTheRoutesName() throws Exception {
    JsonObject diag = onlyDiagnosis(explain("star", "team-a", "payments_total"));
    assertThat(diag.getString("code")).isEqualTo("other_tenant");
    assertThat(diag.getString("message")).contains("team-b").contains("team-c");
  }

  @Test
  void aMetricOfTheCallersOwnTenantIsNotAnOtherTenantCase() throws Exception {
    JsonObject d = explain("both", "team-b", "payments_total");
    assertThat(d.getJsonArray("diagnoses")).as(d.encode()).isEmpty();
    assertThat(d.encode()).doesNotContain("team-c").doesNotContain("team-a");
  }
}
