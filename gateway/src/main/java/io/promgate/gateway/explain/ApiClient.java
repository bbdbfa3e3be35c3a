package io.promgate.gateway.explain;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The CLI's way to a running promgate: blocking (a CLI has nothing else to do), tenant by the
 * {@code /tenant/<id>/} prefix every promgate endpoint accepts. Answers the envelope's {@code data} or
 * throws {@link Failure} with the server's error (the CLI's exit 2: could not run).
 */
public final class ApiClient {
  /** The request could not be answered: connection, HTTP status, or an error envelope. */
  public static final class Failure extends Exception {
    public Failure(String message) {
      super(message);
    }
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;

  public ApiClient(String url, String tenant) {
    String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.base = tenant == null || tenant.isEmpty() ? u : u + "/tenant/" + URLEncoder.encode(tenant, StandardCharsets.UTF_8);
  }

  public JsonObject postForm(String path, String form) throws Failure {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type",
        "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
  }

  public JsonObject postJson(String pathAndQuery, String json) throws Failure {
    return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  public static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private JsonObject send(HttpRequest.Builder b) throws Failure {
    HttpResponse<String> r;
    try {
      r = http.send(b.timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new Failure("cannot reach " + base + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted");
    }
    JsonObject body;
    try {
      body = new JsonObject(r.body());
    } catch (RuntimeException e) {
      throw new Failure("HTTP " + r.statusCode() + " from " + base + " (not a Prometheus API answer)");
    }
    if (!"success".equals(body.getString("status"))) {
      throw new Failure(body.getString("errorType", "HTTP " + r.statusCode()) + ": " + body.getString("error", r.body()));
    }
    return body.getJsonObject("data");
  }
}
