package io.promgate.storeapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promgate.model.Labels;
import org.junit.jupiter.api.Test;

class StoreApiServerConfigTest {
  @Test
  void listenParsesHostAndPort() {
    assertThat(StoreApiServerConfig.builder().build()).extracting(StoreApiServerConfig::host, StoreApiServerConfig::port)
        .containsExactly("0.0.0.0", 10901);
    assertThat(StoreApiServerConfig.builder().listen("127.0.0.1:1234").build())
        .extracting(StoreApiServerConfig::host, StoreApiServerConfig::port).containsExactly("127.0.0.1", 1234);
    assertThat(StoreApiServerConfig.builder().listen(":5").build().host()).isEqualTo("0.0.0.0");
    assertThat(StoreApiServerConfig.builder().listen("[::1]:7").build().host()).isEqualTo("::1");
  }

  @Test
  void invalidValuesAreNamed() {
    assertThatThrownBy(() -> StoreApiServerConfig.builder().listen("nohost").build())
        .hasMessageContaining("server.grpc").hasMessageContaining("nohost");
    assertThatThrownBy(() -> StoreApiServerConfig.builder().listen("h:x").build())
        .hasMessageContaining("h:x");
    assertThatThrownBy(() -> StoreApiServerConfig.builder().port(70000).build()).hasMessageContaining("70000");
    assertThatThrownBy(() -> StoreApiServerConfig.builder().tls("cert.pem", null).build())
        .hasMessageContaining("TLS");
    assertThatThrownBy(() -> StoreApiServerConfig.builder().externalLabels(Labels.of("tenant_id", "x")).build())
        .hasMessageContaining("tenant_id");
  }
}
