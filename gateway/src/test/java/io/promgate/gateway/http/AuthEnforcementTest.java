package io.promgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.promgate.gateway.GatewayPlugin;
import io.promgate.gateway.it.PromgateHarness;
import io.promgate.routing.config.ConfigLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code tenancy.require-auth: true} at the HTTP edge, against a capturing upstream and a write route:
 * 401 with challenges, 403 for ungranted tenants ({@code a|b} needs both), write grants for write routes
 * (including a large body that waits, paused, while bcrypt runs on a worker), health endpoints open, and
 * credentials never forwarded upstream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthEnforcementTest {
  private Vertx vertx;
  private CapturingUpstream upstream;
  private PromgateHarness promgate;

  static String bcrypt(String pw) {
    return new String(BCrypt.withDefaults().hash(6, pw.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
  }

  static String sha(String s) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  static String basic(String user, String pw) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + pw).getBytes(StandardCharsets.UTF_8));
  }

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new CapturingUpstream(vertx);
    // A write route echoing how many body bytes it received, as the store's remote-write route would read them.
    GatewayPlugin writeRoute = ctx -> {
      ctx.route("/api/v1/write", true, (req, tenants, path) -> req.body().compose(b -> req.response()
          .setStatusCode(204).putHeader("X-Body-Bytes", String.valueOf(b.length()))
          .putHeader("X-Tenant", tenants.headerValue()).end()));
      return Future.succeededFuture();
    };
    promgate = PromgateHarness.start(ConfigLoader.parse("""
        server: { http: '127.0.0.1:0' }
        tenancy:
          require-auth: true
          credentials:
            - { user: grafana, password-hash: '%s', read: [a, b] }
            - { user: only-a, password-hash: '%s', read: [a] }
            - { name: agent, bearer-token-hash: '%s', write: [a] }
            - { user: pusher, password-hash: '%s', write: ['*'] }
        backends:
          prom: { type: prometheus, url: '%s' }
        """.formatted(bcrypt("g-pw"), sha("a-pw"), sha("tok-1"), bcrypt("p-pw"), upstream.url())), List.of(writeRoute));
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
  }

  private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    return PromgateHarness.get(promgate.url() + path, headers);
  }

  private static String body(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void noCredentialsIs401WithChallengesOnEveryTenantEndpoint() throws Exception {
    for (String path : List.of("/api/v1/query?query=up", "/tenant/a/api/v1/labels", "/api/v1/format_query?query=up",
        "/api/v1/status/buildinfo", "/", "/prometheus/api/v1/series?match[]=up")) {
      HttpResponse<byte[]> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(401);
      assertThat(body(r)).as(path).contains("\"errorType\":\"unauthorized\"").contains("\"status\":\"error\"");
      assertThat(r.headers().allValues("WWW-Authenticate")).as(path)
          .anySatisfy(v -> assertThat(v).startsWith("Basic realm="))
          .anySatisfy(v -> assertThat(v).startsWith("Bearer"));
    }
    assertThat(get("/api/v1/query?query=up", "Authorization", basic("grafana", "wrong")).statusCode()).isEqualTo(401);
    assertThat(get("/api/v1/query?query=up", "Authorization", "Bearer nope").statusCode()).isEqualTo(401);
    assertThat(upstream.requests).isEmpty();
  }

  @Test
  void healthReadyAndMetricsStayOpen() throws Exception {
    assertThat(get("/-/healthy").statusCode()).isEqualTo(200);
    assertThat(get("/-/ready").statusCode()).isEqualTo(200);
    assertThat(get("/metrics").statusCode()).isEqualTo(200);
  }

  @Test
  void grantedReadPassesWithoutForwardingTheCredentials() throws Exception {
    for (int i = 0; i < 2; i++) { // the second time from the verification cache
      HttpResponse<byte[]> r = get("/tenant/b/api/v1/query?query=up", "Authorization", basic("grafana", "g-pw"));
      assertThat(r.statusCode()).isEqualTo(200);
      CapturingUpstream.Captured c = upstream.next();
      assertThat(c.headers().get("X-Scope-OrgID")).isEqualTo("b");
      assertThat(c.headers().contains("Authorization")).isFalse();
    }
    assertThat(get("/api/v1/query?query=up", "Authorization", basic("grafana", "g-pw"), "X-Scope-OrgID", "a|b")
        .statusCode()).isEqualTo(200);
    assertThat(upstream.next().headers().get("X-Scope-OrgID")).isEqualTo("a|b");
  }

  @Test
  void ungrantedTenantIs403AndEveryTenantOfAMultiTenantReadMustBeGranted() throws Exception {
    HttpResponse<byte[]> r = get("/tenant/b/api/v1/query?query=up", "Authorization", basic("only-a", "a-pw"));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(body(r)).contains("\"errorType\":\"forbidden\"").contains("only-a").doesNotContain("a-pw");
    assertThat(get("/api/v1/labels", "Authorization", basic("only-a", "a-pw"), "X-Scope-OrgID", "a|b").statusCode())
        .isEqualTo(403);
    assertThat(get("/api/v1/labels", "Authorization", basic("grafana", "g-pw"), "X-Scope-OrgID", "a|c").statusCode())
        .isEqualTo(403);
    assertThat(get("/api/v1/labels", "Authorization", basic("only-a", "a-pw"), "X-Scope-OrgID", "a").statusCode())
        .isEqualTo(200);
    // The default tenant (anonymous) is a tenant like any other.
    assertThat(get("/api/v1/labels", "Authorization", basic("only-a", "a-pw")).statusCode()).isEqualTo(403);
  }

  @Test
  void writeRoutesNeedAWriteGrantAndTheBodySurvivesTheOffLoopCheck() throws Exception {
    byte[] big = new byte[3 << 20];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) i;
    }
    HttpResponse<byte[]> w = post("/tenant/zz/api/v1/write", big, basic("pusher", "p-pw"));
    assertThat(w.statusCode()).isEqualTo(204);
    assertThat(w.headers().firstValue("X-Body-Bytes")).contains(String.valueOf(big.length));
    assertThat(w.headers().firstValue("X-Tenant")).contains("zz");
    assertThat(post("/api/v1/push", new byte[10], "Bearer tok-1", "X-Scope-OrgID", "a").statusCode())
        .as("write route registered for /api/v1/write only; /push is proxied but still a write").isIn(200, 204);
    assertThat(post("/tenant/b/api/v1/write", new byte[10], "Bearer tok-1").statusCode()).isEqualTo(403);
    assertThat(post("/tenant/a/api/v1/write", new byte[10], basic("grafana", "g-pw")).statusCode())
        .as("read grant is not a write grant").isEqualTo(403);
    assertThat(get("/tenant/a/api/v1/query?query=up", "Authorization", "Bearer tok-1").statusCode())
        .as("write grant is not a read grant").isEqualTo(403);
  }

  private HttpResponse<byte[]> post(String path, byte[] body, String auth, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(promgate.url() + path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", auth).header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return PromgateHarness.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
