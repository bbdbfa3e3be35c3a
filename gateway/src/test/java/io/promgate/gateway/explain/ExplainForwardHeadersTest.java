package io.promgate.gateway.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.gateway.it.PromgateHarness;
import io.promgate.routing.config.ConfigLoader;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Explain and the dashboard linter talk to a backend with the client's {@code forward-headers}, as queries
 * do (an upstream may authorise or attribute by them), and with no other client header.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExplainForwardHeadersTest {
  Vertx vertx;
  HttpServer upstream;
  final LinkedBlockingQueue<MultiMap> received = new LinkedBlockingQueue<>();
  PromgateHarness gw;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    // Answers every call with an empty success, which each API reads as "nothing there".
    upstream = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      received.add(MultiMap.caseInsensitiveMultiMap().addAll(req.headers()));
      String data = req.path().endsWith("/query") || req.path().endsWith("/query_range")
          ? "{\"resultType\":\"matrix\",\"result\":[]}" : "[]";
      int status = req.path().endsWith("/read") ? 404 : 200;
      req.response().setStatusCode(status).putHeader("Content-Type", "application/json")
          .end("{\"status\":\"success\",\"data\":" + data + "}");
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    gw = PromgateHarness.start(ConfigLoader.parse("""
        server: { http: '127.0.0.1:0' }
        backends:
          prom: { type: prometheus, url: 'http://127.0.0.1:%d', forward-headers: [X-Grafana-User] }
        """.formatted(upstream.actualPort())), List.of(new ExplainPlugin()));
  }

  @AfterAll
  void stop() throws Exception {
    gw.close();
    upstream.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void clear() {
    received.clear();
  }

  /** The headers of every backend call so far (at least one). */
  List<MultiMap> calls() throws InterruptedException {
    List<MultiMap> out = new ArrayList<>();
    MultiMap first = received.poll(10, TimeUnit.SECONDS);
    assertThat(first).as("the backend received no call").isNotNull();
    out.add(first);
    received.drainTo(out);
    return out;
  }

  @Test
  void explainForwardsTheConfiguredClientHeadersToTheBackend() throws Exception {
    HttpResponse<byte[]> r = PromgateHarness.get(gw.url() + "/api/v1/explain?query="
        + URLEncoder.encode("rate(http_requests_total[5m])", StandardCharsets.UTF_8),
        "X-Grafana-User", "alice", "X-Not-Forwarded", "secret");
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    assertThat(calls()).allSatisfy(h -> {
      assertThat(h.getAll("X-Grafana-User")).containsExactly("alice");
      assertThat(h.contains("X-Not-Forwarded")).isFalse();
    });
  }

  @Test
  void dashboardLintForwardsTheConfiguredClientHeadersToTheBackend() throws Exception {
    String dashboard = """
        {"panels":[{"id":1,"title":"p","type":"timeseries","targets":[{"expr":"up"}]}]}
        """;
    HttpResponse<byte[]> r = PromgateHarness.HTTP.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(gw.url() + "/api/v1/lint/dashboard"))
        .header("Content-Type", "application/json").header("X-Grafana-User", "bob")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(dashboard)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    assertThat(calls()).allSatisfy(h -> assertThat(h.getAll("X-Grafana-User")).containsExactly("bob"));
  }

  @Test
  void withoutTheHeaderNothingIsForwarded() throws Exception {
    HttpResponse<byte[]> r = PromgateHarness.get(gw.url() + "/api/v1/explain?query=up");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(calls()).allSatisfy(h -> assertThat(h.contains("X-Grafana-User")).isFalse());
  }
}
