package io.promgate.storeapi;

import static io.promgate.storeapi.StoreApiTestSupport.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promgate.model.Labels;
import io.promgate.storeapi.thanos.info.InfoRequest;
import io.promgate.storeapi.thanos.info.InfoResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With a client CA the StoreAPI server completes the TLS handshake only for clients it signed. */
class MutualTlsTest {
  static Vertx vertx;
  static SelfSignedCertificate server;
  static SelfSignedCertificate client;
  static SelfSignedCertificate stranger;
  static StoreApiServer store;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    server = SelfSignedCertificate.create("localhost");
    client = SelfSignedCertificate.create("client");
    stranger = SelfSignedCertificate.create("stranger");
    store = get(StoreApiServer.start(vertx, new InMemoryTenants().addSeries("anonymous", Labels.of("__name__", "up"), 0, 3),
        StoreApiServerConfig.builder().host("127.0.0.1").port(0).tls(server.certificatePath(), server.privateKeyPath())
            .tlsClientCa(client.certificatePath()).build()));
  }

  @AfterAll
  static void stop() {
    get(store.close());
    get(vertx.close());
    server.delete();
    client.delete();
    stranger.delete();
  }

  static InfoResponse info(SelfSignedCertificate presented) {
    HttpClientOptions http = new HttpClientOptions().setSsl(true).setUseAlpn(true).setVerifyHost(false)
        .setTrustOptions(new PemTrustOptions().addCertPath(server.certificatePath()));
    if (presented != null) {
      http.setKeyCertOptions(new PemKeyCertOptions().setCertPath(presented.certificatePath()).setKeyPath(presented.privateKeyPath()));
    }
    GrpcClient c = GrpcClient.client(vertx, new GrpcClientOptions(), http);
    try {
      Future<InfoResponse> f = c.request(SocketAddress.inetSocketAddress(store.port(), "127.0.0.1"), ThanosMethods.CLIENT_INFO)
          .compose(call -> call.send(InfoRequest.getDefaultInstance()).compose(resp -> resp.last()));
      return get(f);
    } finally {
      get(c.close());
    }
  }

  @Test
  void onlyClientsSignedByTheCaGetAnswers() {
    assertThat(info(client).getLabelSetsCount()).isEqualTo(1);
    assertThatThrownBy(() -> info(null)).isNotNull();
    assertThatThrownBy(() -> info(stranger)).isNotNull();
  }

  @Test
  void aClientCaWithoutACertificateIsRefused() {
    assertThatThrownBy(() -> StoreApiServerConfig.builder().tlsClientCa(client.certificatePath()).build())
        .hasMessageContaining("mutual TLS");
  }
}
