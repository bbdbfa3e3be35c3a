package io.promgate.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promgate.gateway.it.PromgateHarness;
import io.promgate.routing.config.ConfigLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code server.tls} with certificates made in the test: a client trusting the server's certificate gets
 * answers over HTTPS (HTTP/1.1 and HTTP/2), a plaintext client gets none, and with {@code client-ca-file}
 * only a client presenting a certificate signed by that CA gets through.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerTlsTest {
  private Vertx vertx;
  private SelfSignedCertificate serverCert;
  private SelfSignedCertificate clientCert;
  private SelfSignedCertificate strangerCert;
  private PromgateHarness tls;
  private PromgateHarness mtls;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    serverCert = SelfSignedCertificate.create("localhost");
    clientCert = SelfSignedCertificate.create("client");
    strangerCert = SelfSignedCertificate.create("stranger");
    tls = PromgateHarness.start(ConfigLoader.parse("""
        server: { http: '127.0.0.1:0', tls: { cert-file: '%s', key-file: '%s' } }
        """.formatted(serverCert.certificatePath(), serverCert.privateKeyPath())), List.of());
    mtls = PromgateHarness.start(ConfigLoader.parse("""
        server: { http: '127.0.0.1:0', tls: { cert-file: '%s', key-file: '%s', client-ca-file: '%s' } }
        """.formatted(serverCert.certificatePath(), serverCert.privateKeyPath(), clientCert.certificatePath())), List.of());
  }

  @AfterAll
  void stop() throws Exception {
    tls.close();
    mtls.close();
    serverCert.delete();
    clientCert.delete();
    strangerCert.delete();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private String get(HttpClientOptions o, int port, String path) throws Exception {
    HttpClient c = vertx.createHttpClient(o.setConnectTimeout(5000));
    try {
      Future<String> f = c.request(HttpMethod.GET, port, "127.0.0.1", path)
          .compose(req -> req.send().compose(resp -> resp.body().map(b -> resp.statusCode() + " " + resp.version() + " " + b)));
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      c.close();
    }
  }

  private HttpClientOptions trusting() {
    return new HttpClientOptions().setSsl(true).setVerifyHost(false)
        .setTrustOptions(new PemTrustOptions().addCertPath(serverCert.certificatePath()));
  }

  @Test
  void httpsClientTrustingTheCertificateIsServed() throws Exception {
    assertThat(get(trusting(), tls.server().port(), "/-/healthy")).startsWith("200 HTTP_1_1 Prometheus Server is Healthy");
    assertThat(get(trusting().setUseAlpn(true).setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2),
        tls.server().port(), "/api/v1/status/buildinfo")).startsWith("200 HTTP_2 {\"status\":\"success\"");
  }

  @Test
  void plaintextOrUntrustingClientsGetNothing() {
    assertThatThrownBy(() -> get(new HttpClientOptions(), tls.server().port(), "/-/healthy")).isNotNull();
    assertThatThrownBy(() -> get(new HttpClientOptions().setSsl(true).setVerifyHost(false), tls.server().port(), "/-/healthy"))
        .as("server certificate not trusted").isNotNull();
  }

  @Test
  void mutualTlsNeedsAClientCertificateFromTheConfiguredCa() throws Exception {
    assertThatThrownBy(() -> get(trusting(), mtls.server().port(), "/-/healthy")).as("no client certificate").isNotNull();
    assertThatThrownBy(() -> get(trusting().setKeyCertOptions(new PemKeyCertOptions()
        .setCertPath(strangerCert.certificatePath()).setKeyPath(strangerCert.privateKeyPath())), mtls.server().port(), "/-/healthy"))
        .as("certificate from another CA").isNotNull();
    assertThat(get(trusting().setKeyCertOptions(new PemKeyCertOptions()
        .setCertPath(clientCert.certificatePath()).setKeyPath(clientCert.privateKeyPath())), mtls.server().port(), "/-/healthy"))
        .startsWith("200");
  }
}
