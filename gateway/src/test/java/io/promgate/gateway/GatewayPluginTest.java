package io.promgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.gateway.backend.ApiRequest;
import io.promgate.gateway.backend.ApiResponse;
import io.promgate.gateway.backend.QueryBackend;
import io.promgate.gateway.http.ApiException;
import io.promgate.gateway.http.ErrorType;
import io.promgate.gateway.it.PromgateHarness;
import io.promgate.routing.config.ConfigLoader;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The extension points the lead wires the engine, store and write path through: a plugin's QueryBackend
 * receives merged parameters and the tenant; plugin routes get the resolved tenant; failures of any kind
 * are mapped once to the Prometheus envelope without stack traces.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayPluginTest {
  private final AtomicReference<ApiRequest> seen = new AtomicReference<>();
  private PromgateHarness promgate;

  /** A fake local engine: echoes the merged params; "fail:<type>" queries fail with that error type. */
  private final class EchoBackend implements QueryBackend {
    private Future<ApiResponse> answer(ApiRequest r) {
      seen.set(r);
      String q = r.params().get("query");
      if (q != null && q.startsWith("fail:")) {
        String kind = q.substring(5);
        if (kind.equals("npe")) {
          throw new NullPointerException("boom at the edge");
        }
        return Future.failedFuture(new ApiException(ErrorType.ofWireName(kind), "failed as " + kind));
      }
      return Future.succeededFuture(ApiResponse.success("{\"resultType\":\"scalar\",\"result\":[1,\""
          + r.params().getAll("match[]").size() + "\"]}"));
    }

    @Override public Future<ApiResponse> instantQuery(ApiRequest r) { return answer(r); }
    @Override public Future<ApiResponse> rangeQuery(ApiRequest r) { return answer(r); }
    @Override public Future<ApiResponse> series(ApiRequest r) { return answer(r); }
    @Override public Future<ApiResponse> labels(ApiRequest r) { return answer(r); }
    @Override public Future<ApiResponse> labelValues(ApiRequest r, String name) {
      return Future.succeededFuture(ApiResponse.success("[\"" + name + "\"]"));
    }
    @Override public Future<ApiResponse> metadata(ApiRequest r) { return answer(r); }
    @Override public Future<ApiResponse> other(ApiRequest r) { return Future.succeededFuture(ApiResponse.success("{}")); }
    @Override public Future<Boolean> ready() { return Future.succeededFuture(true); }
    @Override public String describe() { return "echo"; }
  }

  @BeforeAll
  void start() throws Exception {
    GatewayPlugin plugin = ctx -> {
      ctx.queryBackend(new EchoBackend());
      ctx.route("/api/v1/write", true, (req, tenants, path) ->
          req.response().setStatusCode(204).putHeader("X-Tenant-Seen", tenants.headerValue()).end());
      return Future.succeededFuture();
    };
    promgate = PromgateHarness.start(ConfigLoader.parse("server: { http: '127.0.0.1:0' }\nstorage: {}\n"),
        List.of(plugin));
  }

  @AfterAll
  void stop() throws Exception {
    promgate.close();
  }

  private static String body(java.net.http.HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void backendGetsMergedParamsAndTenant() throws Exception {
    var r = PromgateHarness.postForm(promgate.url() + "/tenant/t9/api/v1/series?match[]=a", "match[]=b&match[]=c");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(body(r)).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"3\"]}}");
    assertThat(seen.get().tenants().ids()).containsExactly("t9");
    assertThat(seen.get().apiPath()).isEqualTo("/api/v1/series");
    var lv = PromgateHarness.get(promgate.url() + "/api/v1/label/U__a_2e_b/values");
    assertThat(body(lv)).contains("[\"U__a_2e_b\"]");
    assertThat(PromgateHarness.get(promgate.url() + "/-/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void errorsAreMappedOnceAtTheEdge() throws Exception {
    String[][] cases = {{"bad_data", "400"}, {"execution", "422"}, {"canceled", "499"}, {"timeout", "503"},
        {"unavailable", "503"}, {"internal", "500"}, {"not_found", "404"}, {"unauthorized", "401"},
        {"forbidden", "403"}, {"too_many_requests", "429"}};
    for (String[] c : cases) {
      var r = PromgateHarness.get(promgate.url() + "/api/v1/query?query=fail:" + c[0]);
      assertThat(r.statusCode()).as(c[0]).isEqualTo(Integer.parseInt(c[1]));
      assertThat(body(r)).isEqualTo("{\"status\":\"error\",\"errorType\":\"" + c[0] + "\",\"error\":\"failed as " + c[0] + "\"}");
    }
    var npe = PromgateHarness.get(promgate.url() + "/api/v1/query?query=fail:npe");
    assertThat(npe.statusCode()).isEqualTo(500);
    assertThat(body(npe)).isEqualTo("{\"status\":\"error\",\"errorType\":\"internal\",\"error\":\"boom at the edge\"}");
  }

  @Test
  void pluginRoutesGetTheResolvedTenant() throws Exception {
    var r = PromgateHarness.postForm(promgate.url() + "/tenant/w1/api/v1/write", "");
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.headers().firstValue("X-Tenant-Seen")).contains("w1");
    var bad = PromgateHarness.postForm(promgate.url() + "/api/v1/write", "", "X-Scope-OrgID", "..");
    assertThat(bad.statusCode()).isEqualTo(400);
  }
}
