package io.promgate.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.gateway.it.PromgateHarness;
import io.promgate.routing.config.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A {@code prometheus} backend behind HTTPS with a certificate the JVM does not trust: refused without
 * {@code tls:}, served with {@code ca-file} or with {@code insecure-skip-verify}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackendTlsTest {
  private Vertx vertx;
  private SelfSignedCertificate cert;
  private HttpServer upstream;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    cert = SelfSignedCertificate.create("localhost");
    upstream = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
            .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.certificatePath()).setKeyPath(cert.privateKeyPath())))
        .requestHandler(req -> req.response().putHeader("Content-Type", "application/json")
            .end("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"))
        .listen(0, "localhost").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  void stop() throws Exception {
    upstream.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get();
    cert.delete();
  }

  private int queryStatus(String tls) throws Exception {
    try (PromgateHarness p = PromgateHarness.start(ConfigLoader.parse("""
        server: { http: '127.0.0.1:0' }
        backends:
          prom: { type: prometheus, url: 'https://localhost:%d', timeout: 5s %s }
        """.formatted(upstream.actualPort(), tls)), List.of())) {
      return PromgateHarness.get(p.url() + "/api/v1/query?query=up").statusCode();
    }
  }

  @Test
  void untrustedCertificateIsRefusedUnlessTrustedOrSkipped() throws Exception {
    assertThat(queryStatus("")).isGreaterThanOrEqualTo(500);
    assertThat(queryStatus(", tls: { ca-file: '" + cert.certificatePath() + "' }")).isEqualTo(200);
    assertThat(queryStatus(", tls: { insecure-skip-verify: true }")).isEqualTo(200);
  }
}
