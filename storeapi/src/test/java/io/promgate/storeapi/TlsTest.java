package io.promgate.storeapi;

import static io.promgate.storeapi.StoreApiTestSupport.flatten;
import static io.promgate.storeapi.StoreApiTestSupport.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.Querier;
import io.promgate.model.SelectHints;
import io.promgate.model.StorageException;
import io.vertx.core.Vertx;
import io.vertx.core.net.SelfSignedCertificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TLS when a PEM certificate and key are configured; a plaintext client cannot talk to it. */
class TlsTest {
  static Vertx vertx;
  static SelfSignedCertificate cert;
  static StoreApiServer server;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    cert = SelfSignedCertificate.create("localhost");
    InMemoryTenants store = new InMemoryTenants().addSeries("anonymous", Labels.of("__name__", "up"), 0, 3);
    server = get(StoreApiServer.start(vertx, store, StoreApiServerConfig.builder().host("127.0.0.1").port(0)
        .tls(cert.certificatePath(), cert.privateKeyPath()).build()));
  }

  @AfterAll
  static void stop() {
    get(server.close());
    get(vertx.close());
    cert.delete();
  }

  @Test
  void tlsClientTrustingTheCertificateReadsSeries() {
    StoreApiQueryable client = StoreApiQueryable.create(vertx,
        new StoreApiClientConfig("localhost", server.port(), null, Duration.ofSeconds(10), true,
            cert.certificatePath(), false));
    try (Querier q = client.querier(0, Long.MAX_VALUE)) {
      assertThat(flatten(q.select(true, SelectHints.ofRange(0, Long.MAX_VALUE), List.of(LabelMatcher.eq("__name__", "up")))))
          .singleElement().satisfies(f -> assertThat(f.samples()).hasSize(3));
    } finally {
      get(client.close());
    }
  }

  @Test
  void plaintextClientFails() {
    StoreApiQueryable client = StoreApiQueryable.create(vertx,
        StoreApiClientConfig.plaintext("127.0.0.1", server.port()).withTimeout(Duration.ofSeconds(5)));
    try (Querier q = client.querier(0, Long.MAX_VALUE)) {
      assertThatThrownBy(() -> q.labelNames(List.of())).isInstanceOf(StorageException.class);
    } finally {
      get(client.close());
    }
  }
}
