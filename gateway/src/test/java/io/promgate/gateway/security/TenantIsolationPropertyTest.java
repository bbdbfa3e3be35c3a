package io.promgate.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.gateway.GatewayPlugin;
import io.promgate.gateway.it.PromgateHarness;
import io.promgate.gateway.it.RemoteWrite;
import io.promgate.gateway.store.StorePlugin;
import io.promgate.routing.config.ConfigLoader;
import io.promgate.storeapi.thanos.LabelMatcher;
import io.promgate.storeapi.thanos.LabelNamesRequest;
import io.promgate.storeapi.thanos.LabelValuesRequest;
import io.promgate.storeapi.thanos.SeriesRequest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * No response leaks another tenant (issue 12), as a property over every read endpoint and both protocols.
 * Three tenants hold series whose metric names, label names, label values, job values and metadata help
 * carry tenant markers ({@code zqm_qa}, {@code zql_qa}, ...). Random requests: HTTP API endpoints (query,
 * query_range (again and again, so the results cache answers too), series, labels, label values,
 * metadata, explain) and StoreAPI Series/LabelNames/LabelValues over gRPC, with credentials granting
 * different subsets, tenants by path, header or {@code thanos-tenant} metadata, single or {@code a|b}.
 *
 * <p>The property: a successful answer names only tenants that were both asked for and readable by the
 * caller (asking for an unreadable one must have been refused), and contains no marker of any other tenant
 * — except markers the request itself typed (a parse error or explain may echo the query).
 */
class TenantIsolationPropertyTest {
  static final List<String> TENANTS = List.of("qa", "qb", "qc");
  static final List<String> MARKERS = List.of("zqm_", "zql_", "zqv_", "zqj_", "zqh_", "iso-");

  record Cred(String header, Set<String> reads) {
  }

  static final Map<String, Cred> CREDS = Map.of(
      "ua", new Cred(basic("ua", "pa"), Set.of("qa")),
      "uab", new Cred(basic("uab", "pab"), Set.of("qa", "qb")),
      "tokb", new Cred("Bearer tok-b", Set.of("qb")),
      "all", new Cred(basic("all", "pall"), Set.of("qa", "qb", "qc")),
      "none", new Cred(null, Set.of()),
      "wrong", new Cred(basic("ua", "nope"), Set.of()),
      "writer", new Cred(basic("w", "pw"), Set.of()));

  static Vertx vertx;
  static HttpClientAgent h2;
  static Path dir;
  static StorePlugin store;
  static PromgateHarness gw;
  static final long END = (System.currentTimeMillis() - 20 * 60_000) / 60_000 * 60_000;
  static final long START = END - 60 * 60_000;

  static String basic(String u, String p) {
    return "Basic " + Base64.getEncoder().encodeToString((u + ":" + p).getBytes(StandardCharsets.UTF_8));
  }

  static String sha(String s) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  static String id(String t) {
    return "iso-" + t;
  }

  @BeforeContainer
  static void start() throws Exception {
    vertx = Vertx.vertx();
    dir = Files.createTempDirectory("tenant-iso");
    List<GatewayPlugin> plugins = new ArrayList<>();
    store = new StorePlugin();
    plugins.add(store);
    ServiceLoader.load(GatewayPlugin.class).stream().map(ServiceLoader.Provider::get)
        .filter(p -> !(p instanceof StorePlugin)).forEach(plugins::add);
    gw = PromgateHarness.start(ConfigLoader.parse("""
        server: { http: 127.0.0.1:0, grpc: 127.0.0.1:0 }
        storage: { path: %s }
        tenancy:
          default: ""
          require-auth: true
          credentials:
            - { user: ua, password-hash: '%s', read: [iso-qa] }
            - { user: uab, password-hash: '%s', read: [iso-qa, iso-qb] }
            - { name: tokb, bearer-token-hash: '%s', read: [iso-qb] }
            - { user: all, password-hash: '%s', read: ['*'] }
            - { user: w, password-hash: '%s', write: ['*'] }
        cache: { max-bytes: 16MiB, max-freshness: 1m }
        """.formatted(dir, sha("pa"), sha("pab"), sha("tok-b"), sha("pall"), sha("pw"))), plugins);
    int n = (int) ((END - START) / 30_000) + 1;
    for (String t : TENANTS) {
      RemoteWrite w = new RemoteWrite();
      for (int s = 0; s < 2; s++) {
        long[] ts = new long[n];
        double[] vs = new double[n];
        for (int i = 0; i < n; i++) {
          ts[i] = START + i * 30_000L;
          vs[i] = i * (s + 1);
        }
        w.add(new RemoteWrite.TestSeries(Map.of("__name__", "zqm_" + t + "_total", "job", "zqj_" + t,
            "zql_" + t, "zqv_" + t + "_" + s, "shared", "x"), ts, vs));
      }
      var r = PromgateHarness.HTTP.send(HttpRequest.newBuilder(URI.create(gw.url() + "/tenant/" + id(t) + "/api/v1/write"))
          .header("Authorization", basic("w", "pw")).header("Content-Type", "application/x-protobuf")
          .header("Content-Encoding", "snappy").POST(HttpRequest.BodyPublishers.ofByteArray(w.snappyBody())).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    }
    h2 = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setDefaultHost("127.0.0.1").setDefaultPort(store.grpcPort()));
  }

  /** Successful answers per endpoint: the property means little if everything was refused. */
  static final Map<String, Integer> ANSWERED = new java.util.concurrent.ConcurrentHashMap<>();

  @AfterContainer
  static void stop() throws Exception {
    System.out.println("TenantIsolationPropertyTest: successful answers per endpoint: " + ANSWERED);
    assertThat(ANSWERED.keySet().stream().filter(e -> e.startsWith("grpc_")).count()).isPositive();
    assertThat(ANSWERED.keySet().stream().filter(e -> !e.startsWith("grpc_")).count()).isGreaterThan(3);
    h2.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    gw.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Tenants asked for: empty for none; "via" is path, header or grpc. */
  record Req(String endpoint, String query, List<String> tenants, String via, String cred) {
  }

  @Provide
  Arbitrary<Req> requests() {
    Arbitrary<String> endpoint = Arbitraries.of("query", "query_range", "query_range", "series", "labels",
        "label_name_values", "label_job_values", "label_x_values", "metadata", "explain",
        "grpc_series", "grpc_label_names", "grpc_label_values");
    Arbitrary<String> query = Arbitraries.of("{__name__=~\"zqm_.+\"}", "count by (__name__, job) ({__name__=~\".+\"})",
        "sum by (zql_qa, zql_qb, zql_qc) (rate({shared=\"x\"}[5m]))", "topk(3, {job=~\"zqj_.*\"})",
        "zqm_qb_total", "zqm_qa_total{zql_qa=~\".*\"}", "{__tenant_id__=~\".+\"}", "group({shared=\"x\"}) by (job)",
        "absent(zqm_qc_total)", "up", "(");
    Arbitrary<List<String>> tenants = Arbitraries.of(List.<String>of(), List.of("qa"), List.of("qb"), List.of("qc"),
        List.of("qa", "qb"), List.of("qa", "qc"), List.of("qb", "qc"), List.of("qa", "qb", "qc"));
    Arbitrary<String> via = Arbitraries.of("path", "path", "header", "header", "both");
    // Weighted towards callers that can read something, so that most tries get an answer to check.
    Arbitrary<String> cred = Arbitraries.of("all", "all", "all", "uab", "uab", "uab", "ua", "ua", "tokb", "tokb",
        "none", "wrong", "writer");
    return Combinators.combine(endpoint, query, tenants, via, cred).as(Req::new);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Property
  void noAnswerContainsATenantTheCallerMayNotReadOrDidNotAskFor(@ForAll("requests") Req r) throws Exception {
    Cred cred = CREDS.get(r.cred());
    String tenantValue = String.join("|", r.tenants().stream().map(TenantIsolationPropertyTest::id).toList());
    int status;
    String body;
    String typed;
    if (r.endpoint().startsWith("grpc_")) {
      Object[] a = grpc(r, cred, tenantValue);
      status = (int) a[0];
      body = (String) a[1];
      typed = "";
    } else {
      String q = "start=" + START / 1000 + "&end=" + END / 1000;
      String path = switch (r.endpoint()) {
        case "query" -> "/api/v1/query?query=" + enc(r.query()) + "&time=" + END / 1000;
        case "query_range" -> "/api/v1/query_range?query=" + enc(r.query()) + "&" + q + "&step=60";
        case "series" -> "/api/v1/series?match%5B%5D=" + enc(r.query()) + "&" + q;
        case "labels" -> "/api/v1/labels?" + q;
        case "label_name_values" -> "/api/v1/label/__name__/values?" + q;
        case "label_job_values" -> "/api/v1/label/job/values?" + q;
        case "label_x_values" -> "/api/v1/label/zql_" + TENANTS.get(r.tenants().size() % 3) + "/values?" + q;
        case "metadata" -> "/api/v1/metadata";
        default -> "/api/v1/explain?query=" + enc(r.query()) + "&" + q;
      };
      typed = java.net.URLDecoder.decode(path, StandardCharsets.UTF_8);
      boolean byPath = !r.tenants().isEmpty() && !r.via().equals("header");
      boolean byHeader = !r.tenants().isEmpty() && !r.via().equals("path");
      // Both: the path wins (DESIGN.md); the header then names a tenant the caller may not read.
      String header = byPath && byHeader ? id("qc") : tenantValue;
      List<String> h = new ArrayList<>();
      if (byHeader) {
        h.add("X-Scope-OrgID");
        h.add(header);
      }
      if (cred.header() != null) {
        h.add("Authorization");
        h.add(cred.header());
      }
      var resp = PromgateHarness.get(gw.url() + (byPath ? "/tenant/" + tenantValue.replace("|", "%7C") : "") + path, h.toArray(String[]::new));
      status = resp.statusCode();
      body = new String(resp.body(), StandardCharsets.UTF_8);
    }
    assertThat(status).as("%s -> %s", r, body).isNotEqualTo(500);
    if (status / 100 != 2) {
      return;
    }
    ANSWERED.merge(r.endpoint(), 1, Integer::sum);
    Set<String> asked = new LinkedHashSet<>(r.tenants());
    if (asked.isEmpty() && r.endpoint().startsWith("grpc_")) {
      asked.addAll(TENANTS); // StoreAPI without thanos-tenant metadata reads every tenant, as Thanos does
    }
    assertThat(cred.reads()).as("%s answered %d though the caller may not read all of %s: %s", r, status, asked, body)
        .containsAll(asked);
    assertThat(asked).as("%s: answered without a tenant", r).isNotEmpty();
    for (String t : TENANTS) {
      if (asked.contains(t)) {
        continue;
      }
      for (String m : MARKERS) {
        String marker = m + t;
        if (!typed.contains(marker)) {
          assertThat(body).as("%s leaks tenant %s (%s)", r, t, marker).doesNotContain(marker);
        }
      }
    }
  }

  /** A StoreAPI call over raw h2c; returns {0 for OK else grpc status or -1, body as ISO-8859-1}. */
  static Object[] grpc(Req r, Cred cred, String tenantValue) throws Exception {
    List<io.promgate.storeapi.thanos.LabelMatcher> ms = List.of(LabelMatcher.newBuilder()
        .setType(LabelMatcher.Type.RE).setName("__name__").setValue(".+").build());
    String method;
    byte[] msg;
    switch (r.endpoint()) {
      case "grpc_series" -> {
        method = "/thanos.Store/Series";
        msg = SeriesRequest.newBuilder().setMinTime(START).setMaxTime(END).addAllMatchers(ms).build().toByteArray();
      }
      case "grpc_label_names" -> {
        method = "/thanos.Store/LabelNames";
        msg = LabelNamesRequest.newBuilder().setStart(START).setEnd(END).build().toByteArray();
      }
      default -> {
        method = "/thanos.Store/LabelValues";
        msg = LabelValuesRequest.newBuilder().setLabel(r.query().contains("zql") ? "zql_qb" : "job")
            .setStart(START).setEnd(END).build().toByteArray();
      }
    }
    Buffer framed = Buffer.buffer().appendByte((byte) 0).appendInt(msg.length).appendBytes(msg);
    return h2.request(HttpMethod.POST, method).compose(req -> {
      req.putHeader("content-type", "application/grpc").putHeader("te", "trailers");
      if (!r.tenants().isEmpty()) {
        req.putHeader("thanos-tenant", tenantValue);
      }
      if (cred.header() != null) {
        req.putHeader("authorization", cred.header());
      }
      return req.send(framed).compose(resp -> resp.body().map(b -> {
        String st = resp.getHeader("grpc-status") != null ? resp.getHeader("grpc-status") : resp.getTrailer("grpc-status");
        int code = st == null ? -1 : Integer.parseInt(st);
        return new Object[] {code == 0 ? 200 : 400 + code, b.toString(StandardCharsets.ISO_8859_1)};
      }));
    }).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
