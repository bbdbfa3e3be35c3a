package io.promgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.gateway.it.PromgateHarness;
import io.promgate.routing.config.ConfigLoader;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzing the HTTP edge (issue 12) of an in-process gateway in upstream mode with auth required: random
 * endpoints, tenant prefixes and headers, credentials, and parameters (times, durations, steps, matchers,
 * queries), by GET and by POST form. The upstream always answers 200, so any 5xx would be promgate's own;
 * every request must be answered with a status below 500 within the client timeout (no hang).
 * Tries: jqwik.tries.default (150 in {@code mvn verify}, more with {@code -Pfuzz}).
 */
class HttpParamsFuzzTest {
  static final String GOOD_AUTH = "Basic " + Base64.getEncoder().encodeToString("u:pw".getBytes(StandardCharsets.UTF_8));
  static Vertx vertx;
  static CapturingUpstream upstream;
  static PromgateHarness promgate;

  @BeforeContainer
  static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new CapturingUpstream(vertx);
    String sha = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest("pw".getBytes(StandardCharsets.UTF_8)));
    promgate = PromgateHarness.start(ConfigLoader.parse("""
        server: { http: '127.0.0.1:0' }
        tenancy:
          require-auth: true
          credentials: [ { user: u, password-hash: '%s', read: ['*'], write: [a] } ]
        backends:
          prom: { type: prometheus, url: '%s' }
        """.formatted(sha, upstream.url())), List.of());
  }

  @AfterContainer
  static void stop() throws Exception {
    promgate.close();
    upstream.close();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  record Req(boolean post, String path, List<String[]> params, String tenantHeader, String auth) {}

  static Arbitrary<String> ascii(int max) {
    return Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(max);
  }

  static Arbitrary<String> times() {
    return Arbitraries.oneOf(Arbitraries.longs().map(String::valueOf), Arbitraries.doubles().map(String::valueOf),
        Arbitraries.of("now", "", "NaN", "Inf", "-Inf", "1e309", "9223372036854775807", "-9223372036854775808",
            "2024-01-01T00:00:00Z", "2024-13-45T99:00:00Z", "2024-01-01T00:00:00.123456789+14:00", "1.5e-300"),
        ascii(30));
  }

  static Arbitrary<String> durations() {
    return Arbitraries.oneOf(Arbitraries.of("5m", "1h30m", "0s", "-1s", "1y", "99999999999999999999h", "1.5", "0",
        "1ms", "30s", "1e10", "0.0000001"), ascii(12), Arbitraries.integers().map(String::valueOf));
  }

  static Arbitrary<String> queries() {
    Arbitrary<String> atoms = Arbitraries.of("up", "rate(x[5m])", "sum by (job) (up)", "{__name__=~\".+\"}",
        "x offset -1h", "x @ end()", "histogram_quantile(0.9, x)", "x[1m:1s]", "1/0", "label_replace(x,\"a\",\"$1\",\"b\",\"(.*)\")",
        "{a=~\"(\"}", "topk(-1, x)", "x[0s]", "count_values(\"\", x)", "((((", "\"\\xff\"", "1e999", "-", "x{a=\"\\u0000\"}");
    return Arbitraries.oneOf(atoms, ascii(60),
        Combinators.combine(atoms, atoms, Arbitraries.of(" + ", " and ", " / on() ", " or ", "[", "{", ")")).as((a, b, op) -> a + op + b));
  }

  @Provide
  Arbitrary<Req> requests() {
    Arbitrary<String> endpoint = Arbitraries.of("/api/v1/query", "/api/v1/query_range", "/api/v1/series", "/api/v1/labels",
        "/api/v1/label/job/values", "/api/v1/label/%ZZ/values", "/api/v1/metadata", "/api/v1/format_query",
        "/api/v1/parse_query", "/api/v1/query_exemplars", "/api/v1/status/buildinfo", "/api/v1/rules", "/api/v1/write",
        "/api/v1/read", "/federate", "/api/v1/nope", "/", "/metrics", "/-/ready");
    Arbitrary<String> prefix = Arbitraries.oneOf(Arbitraries.of("", "/prometheus", "/tenant/a", "/tenant/a|b", "/tenant/..",
        "/tenant/", "/tenant/%2e%2e", "/tenant/a/prometheus"), ascii(20).map(s -> "/tenant/" + URLEncoder.encode(s, StandardCharsets.UTF_8)));
    Arbitrary<String[]> param = Arbitraries.oneOf(
        times().map(v -> new String[] {"time", v}), times().map(v -> new String[] {"start", v}),
        times().map(v -> new String[] {"end", v}), durations().map(v -> new String[] {"step", v}),
        durations().map(v -> new String[] {"timeout", v}), durations().map(v -> new String[] {"lookback_delta", v}),
        queries().map(v -> new String[] {"query", v}), queries().map(v -> new String[] {"match[]", v}),
        ascii(10).map(v -> new String[] {"limit", v}), ascii(10).map(v -> new String[] {"partial_response", v}),
        ascii(10).map(v -> new String[] {"x" + v, v}));
    Arbitrary<String> tenantHeader = Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.of("a", "a|b", "", "|", "..", "a|a"), ascii(20));
    Arbitrary<String> auth = Arbitraries.oneOf(Arbitraries.just(GOOD_AUTH), Arbitraries.just(null),
        Arbitraries.of("Basic ", "Basic !!!", "Bearer ", "Basic dTpwdw", "basic dTpwdw==", "Digest x"),
        ascii(40).map(s -> "Basic " + Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8))), ascii(40));
    return Combinators.combine(Arbitraries.of(true, false), Combinators.combine(prefix, endpoint).as(String::concat),
        param.list().ofMaxSize(6), tenantHeader, auth).as(Req::new);
  }

  @Property
  void neverA5xxNeverAHang(@ForAll("requests") Req r) throws Exception {
    assertNotA5xx(promgate.url(), r, true);
  }

  /** Sends {@code r} to the promgate at {@code baseUrl} (its credentials too when {@code withAuth}): never a 5xx. */
  static void assertNotA5xx(String baseUrl, Req r, boolean withAuth) throws Exception {
    List<String> kv = new ArrayList<>();
    for (String[] p : r.params()) {
      kv.add(URLEncoder.encode(p[0], StandardCharsets.UTF_8) + "=" + URLEncoder.encode(p[1], StandardCharsets.UTF_8));
    }
    String form = String.join("&", kv);
    HttpRequest.Builder b;
    try {
      b = HttpRequest.newBuilder(URI.create(baseUrl + r.path() + (r.post() || form.isEmpty() ? "" : "?" + form)))
          .timeout(Duration.ofSeconds(20));
    } catch (IllegalArgumentException notAUri) {
      return; // the client cannot even send it
    }
    if (r.post()) {
      b.header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
    }
    try {
      if (r.tenantHeader() != null) {
        b.header("X-Scope-OrgID", r.tenantHeader());
      }
      if (withAuth && r.auth() != null) {
        b.header("Authorization", r.auth());
      }
    } catch (IllegalArgumentException clientRefusesHeader) {
      return;
    }
    HttpResponse<String> resp = PromgateHarness.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(resp.statusCode()).as("%s -> %s", r, resp.body()).isLessThan(500);
  }
}
