package io.promgate.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.gateway.federation.FederationPlugin;
import io.promgate.gateway.it.PromgateHarness;
import io.promgate.gateway.it.RawWrite;
import io.promgate.routing.config.ConfigLoader;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tenancy.limits} on remote write over real HTTP against the wired embedded store: the ingestion rate
 * (429 {@code too_many_requests} envelope with Retry-After, per tenant, overridable), the label limits (400
 * naming the limit; the request's good series are stored), and {@code promgate_limit_refusals_total}.
 *
 * <p>The rate is 1 sample/s with a burst of 50, so a second 50-sample request right after the first needs
 * ~50 s of refill: refused however slow the machine is.
 */
class IngestLimitsTest {
  static final String PB = "application/x-protobuf";

  @TempDir
  Path dir;
  PromgateHarness gw;
  long now;

  @BeforeEach
  void start() throws Exception {
    gw = PromgateHarness.start(ConfigLoader.parse("""
            server: { http: 127.0.0.1:0, grpc: 127.0.0.1:0 }
            storage: { path: %s }
            tenancy:
              limits:
                ingestion-rate: 1
                ingestion-burst-size: 50
                max-label-names-per-series: 4
                max-label-name-length: 12
                max-label-value-length: 16
                tenants:
                  big: { ingestion-rate: 0, max-label-names-per-series: 0 }
            """.formatted(dir)), List.of(new StorePlugin(), new FederationPlugin()));
    now = System.currentTimeMillis();
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
  }

  HttpResponse<String> write(String tenant, RawWrite w) throws Exception {
    return RawWrite.post(gw.url() + "/tenant/" + tenant + "/api/v1/write", PB, w.snappy());
  }

  /** One series with {@code n} samples, one per second up to now. */
  RawWrite samples(String name, int n) {
    long[] ts = new long[n];
    double[] vs = new double[n];
    for (int i = 0; i < n; i++) {
      ts[i] = now - (n - i) * 1000L;
      vs[i] = i;
    }
    return new RawWrite().add(List.of("__name__", name), ts, vs);
  }

  String metrics() throws Exception {
    return new String(PromgateHarness.get(gw.url() + "/metrics").body(), StandardCharsets.UTF_8);
  }

  @Test
  void overTheIngestionRateIs429WithRetryAfterPerTenant() throws Exception {
    assertThat(write("t", samples("a", 50)).statusCode()).isEqualTo(204);
    HttpResponse<String> r = write("t", samples("b", 50));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("status")).isEqualTo("error");
    assertThat(body.getString("errorType")).isEqualTo("too_many_requests");
    assertThat(body.getString("error")).contains("tenant \"t\"").contains("ingestion-rate 1 samples/s")
        .contains("ingestion-burst-size 50");
    long retryAfter = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAfter).isBetween(1L, 50L);
    // Another tenant has its own bucket; "big" has no rate limit at all.
    assertThat(write("u", samples("b", 50)).statusCode()).isEqualTo(204);
    for (int i = 0; i < 3; i++) {
      assertThat(write("big", samples("c" + i, 100)).statusCode()).isEqualTo(204);
    }
    assertThat(metrics()).contains("promgate_limit_refusals_total{limit=\"ingestion-rate\",tenant=\"t\"} 1")
        .doesNotContain("promgate_limit_refusals_total{limit=\"ingestion-rate\",tenant=\"u\"}")
        .doesNotContain("promgate_limit_refusals_total{limit=\"ingestion-rate\",tenant=\"big\"}");
  }

  @Test
  void labelLimitsRefuseTheSeriesWith400NamingTheLimit() throws Exception {
    long[] t = {now};
    double[] v = {1};
    RawWrite tooMany = new RawWrite().add(List.of("__name__", "ok"), t, v)
        .add(List.of("__name__", "wide", "a", "1", "b", "2", "c", "3", "d", "4"), t, v);
    HttpResponse<String> r = write("t", tooMany);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.body()).startsWith("stored 1 of 2 samples").contains("has 5 label names")
        .contains("max-label-names-per-series 4");
    assertThat(write("big", tooMany).statusCode()).isEqualTo(204); // override: no such limit for big

    r = write("t", new RawWrite().add(List.of("__name__", "n", "a_very_long_label_name", "x"), t, v));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("\"a_very_long_label_name\"").contains("max-label-name-length 12");

    r = write("t", new RawWrite().add(List.of("__name__", "n", "path", "/a/rather/long/path/value"), t, v));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("max-label-value-length 16");
    // The same label set again is refused again (the decoder's label cache keeps the per-tenant check).
    assertThat(write("t", new RawWrite().add(List.of("__name__", "n", "path", "/a/rather/long/path/value"), t, v))
        .statusCode()).isEqualTo(400);

    String m = metrics();
    assertThat(m).contains("promgate_limit_refusals_total{limit=\"max-label-names-per-series\",tenant=\"t\"} 1")
        .contains("promgate_limit_refusals_total{limit=\"max-label-name-length\",tenant=\"t\"} 1")
        .contains("promgate_limit_refusals_total{limit=\"max-label-value-length\",tenant=\"t\"} 2");
    List<String> stored = new ArrayList<>();
    new JsonObject(new String(PromgateHarness.get(gw.url() + "/tenant/t/api/v1/label/__name__/values").body(),
        StandardCharsets.UTF_8)).getJsonArray("data").forEach(o -> stored.add((String) o));
    assertThat(stored).containsExactly("ok");
  }
}
