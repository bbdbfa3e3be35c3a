package io.promgate.gateway.it;

import io.promgate.gateway.GatewayPlugin;
import io.promgate.gateway.GatewayServer;
import io.promgate.routing.config.PromgateConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** An in-process promgate on a free port, with a small blocking HTTP client for tests. */
public final class PromgateHarness implements AutoCloseable {
  public static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final GatewayServer server;

  private PromgateHarness(GatewayServer server) {
    this.server = server;
  }

  /** {@code config} should listen on 127.0.0.1:0. */
  public static PromgateHarness start(PromgateConfig config, List<GatewayPlugin> plugins) throws Exception {
    return new PromgateHarness(GatewayServer.start(config, plugins).toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS));
  }

  public GatewayServer server() {
    return server;
  }

  public String url() {
    return "http://127.0.0.1:" + server.port();
  }

  public static HttpResponse<byte[]> get(String url, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return exchange(b.build());
  }

  /**
   * The whole exchange within 60 s: the request's own timeout ends at the response head, and a body that
   * stalls after it would otherwise hang the test (and CI) for ever.
   */
  private static HttpResponse<byte[]> exchange(HttpRequest req) throws Exception {
    try {
      return HTTP.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()).get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception c ? c : e; // as send() would throw it
    }
  }

  public static HttpResponse<byte[]> postForm(String url, String form, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return exchange(b.build());
  }

  @Override
  public void close() throws Exception {
    server.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
