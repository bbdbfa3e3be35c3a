package io.promgate.gateway.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promgate.gateway.it.PromgateHarness;
import io.promgate.model.Labels;
import io.promgate.model.Queryable;
import io.promgate.promql.engine.storage.MemoryStorage;
import io.promgate.routing.config.ConfigLoader;
import io.promgate.storeapi.StoreApiServer;
import io.promgate.storeapi.StoreApiServerConfig;
import io.promgate.storeapi.TenantQueryables;
import io.vertx.core.Vertx;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A {@code storeapi} backend's {@code tls:} against our own StoreAPI server speaking TLS that asks for a
 * client certificate (mutual TLS): served with the CA and the client certificate, with
 * {@code insecure-skip-verify} plus the certificate; refused in plaintext, without the client certificate, and
 * with an untrusted server certificate. Failures are warnings naming the backend, as for any backend.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoreApiTlsIT {
  static final ObjectMapper JSON = new ObjectMapper();

  Vertx vertx;
  SelfSignedCertificate serverCert;
  SelfSignedCertificate clientCert;
  SelfSignedCertificate stranger;
  StoreApiServer store;
  long t0;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    serverCert = SelfSignedCertificate.create("localhost");
    clientCert = SelfSignedCertificate.create("promgate");
    stranger = SelfSignedCertificate.create("stranger");
    t0 = System.currentTimeMillis() / 1000 * 1000;
    MemoryStorage data = new MemoryStorage();
    for (int i = 0; i < 20; i++) {
      data.append(Labels.of("__name__", "tls_demo", "job", "x"), t0 - (19 - i) * 15_000L, i);
    }
    TenantQueryables tenants = new TenantQueryables() {
      @Override
      public Queryable forTenant(String tenant) {
        return data;
      }

      @Override
      public Set<String> tenants() {
        return Set.of("anonymous");
      }

      @Override
      public long minTime(String tenant) {
        return t0 - 19 * 15_000L;
      }

      @Override
      public long maxTime(String tenant) {
        return t0;
      }
    };
    store = StoreApiServer.start(vertx, tenants, StoreApiServerConfig.builder().host("127.0.0.1").port(0)
            .tls(serverCert.certificatePath(), serverCert.privateKeyPath()).tlsClientCa(clientCert.certificatePath())
            .build())
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  void stop() throws Exception {
    store.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    serverCert.delete();
    clientCert.delete();
    stranger.delete();
  }

  JsonNode query(String tls) throws Exception {
    try (PromgateHarness g = PromgateHarness.start(ConfigLoader.parse("""
        server: { http: 127.0.0.1:0 }
        backends:
          store: { type: storeapi, address: 'localhost:%d', timeout: 5s %s }
        """.formatted(store.port(), tls)), List.of(new FederationPlugin()))) {
      HttpResponse<byte[]> r = PromgateHarness.get(g.url() + "/api/v1/query?query="
          + URLEncoder.encode("sum(tls_demo)", StandardCharsets.UTF_8) + "&time=" + t0 / 1000);
      assertThat(r.statusCode()).isEqualTo(200);
      return JSON.readTree(r.body());
    }
  }

  String tls(String... entries) {
    return ", tls: { " + String.join(", ", entries) + " }";
  }

  String clientCertificate(SelfSignedCertificate c) {
    return "cert-file: '" + c.certificatePath() + "', key-file: '" + c.privateKeyPath() + "'";
  }

  @Test
  void mutualTlsWithTrustedCaAndClientCertificateIsServed() throws Exception {
    JsonNode j = query(tls("ca-file: '" + serverCert.certificatePath() + "'", clientCertificate(clientCert)));
    assertThat(j.path("warnings").isMissingNode()).as(j.toString()).isTrue();
    assertThat(j.at("/data/result/0/value/1").asText()).isEqualTo("19");
  }

  @Test
  void insecureSkipVerifyStillPresentsTheClientCertificate() throws Exception {
    JsonNode j = query(tls("insecure-skip-verify: true", clientCertificate(clientCert)));
    assertThat(j.path("warnings").isMissingNode()).as(j.toString()).isTrue();
    assertThat(j.at("/data/result/0/value/1").asText()).isEqualTo("19");
  }

  @Test
  void plaintextUntrustedOrUnknownClientsAreRefused() throws Exception {
    for (String tls : List.of("",
        tls(clientCertificate(clientCert)), // server certificate not trusted by the JVM
        tls("ca-file: '" + serverCert.certificatePath() + "'"), // no client certificate
        tls("ca-file: '" + serverCert.certificatePath() + "'", clientCertificate(stranger)))) {
      JsonNode j = query(tls);
      assertThat(j.at("/data/result").size()).as(tls).isZero();
      assertThat(j.at("/warnings/0").asText()).as(tls).contains("backend store failed");
    }
  }
}
