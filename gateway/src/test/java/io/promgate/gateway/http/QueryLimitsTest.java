package io.promgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.gateway.it.PromgateHarness;
import io.promgate.routing.config.ConfigLoader;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code tenancy.limits}: max-query-range (400 naming the limit) and max-concurrent-queries (429), per tenant. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryLimitsTest {
  private Vertx vertx;
  private CapturingUpstream upstream;
  private PromgateHarness promgate;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new CapturingUpstream(vertx);
    promgate = PromgateHarness.start(ConfigLoader.parse("""
        server: { http: '127.0.0.1:0' }
        tenancy:
          limits:
            max-query-range: 1d
            max-concurrent-queries: 2
            tenants:
              big: { max-query-range: 30d, max-concurrent-queries: 0 }
        backends:
          prom: { type: prometheus, url: '%s' }
        """.formatted(upstream.url())), List.of());
  }

  @AfterAll
  void stop() throws Exception {
    promgate.close();
    upstream.close();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private HttpResponse<byte[]> range(String tenant, long seconds) throws Exception {
    return PromgateHarness.get(promgate.url() + "/tenant/" + tenant + "/api/v1/query_range?query=up&start=0&end=" + seconds + "&step=60");
  }

  @Test
  void rangeLongerThanTheTenantsLimitIsRefused() throws Exception {
    upstream.delayMs = 0;
    HttpResponse<byte[]> r = range("small", 2 * 86400);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("bad_data")
        .contains("max-query-range 86400s").contains("query length: 172800s");
    assertThat(range("small", 86400).statusCode()).isEqualTo(200);
    assertThat(range("big", 20 * 86400).statusCode()).isEqualTo(200);
    assertThat(PromgateHarness.postForm(promgate.url() + "/api/v1/query_range", "query=up&start=0&end=999999&step=60",
        "X-Scope-OrgID", "big|small").statusCode()).as("a|b: every tenant's limit").isEqualTo(400);
  }

  /** Sent at once (the JDK client is asynchronous), so all five are in flight together. */
  private CompletableFuture<Integer> async(String path) {
    return PromgateHarness.HTTP.sendAsync(java.net.http.HttpRequest.newBuilder(java.net.URI.create(promgate.url() + path)).build(),
        HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
  }

  @Test
  void concurrentQueriesBeyondTheLimitGet429() throws Exception {
    upstream.delayMs = 700;
    try {
      List<CompletableFuture<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        calls.add(async("/tenant/busy/api/v1/query?query=up"));
      }
      List<Integer> statuses = calls.stream().map(CompletableFuture::join).toList();
      assertThat(statuses).contains(200, 429);
      assertThat(statuses.stream().filter(s -> s == 200).count()).isLessThanOrEqualTo(3); // a late one may find a freed slot
      assertThat(PromgateHarness.get(promgate.url() + "/tenant/busy/api/v1/query?query=up").statusCode())
          .as("slots are released").isEqualTo(200);
      // Unlimited tenant: all pass at once.
      List<CompletableFuture<Integer>> big = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        big.add(async("/tenant/big/api/v1/query?query=up"));
      }
      assertThat(big.stream().map(CompletableFuture::join).toList()).containsOnly(200);
    } finally {
      upstream.delayMs = 0;
    }
  }
}
