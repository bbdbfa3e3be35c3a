package io.promgate.gateway.security;

import io.promgate.routing.config.SecurityConfig;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.Optional;

/**
 * {@code server.tls} on the HTTP server: PEM certificate chain and key; with {@code client-ca-file},
 * mutual TLS where a client without a certificate signed by that CA cannot even finish the handshake.
 * HTTP/2 is offered through ALPN next to HTTP/1.1, as Prometheus' own web server does with TLS.
 */
public final class ServerTls {
  private ServerTls() {}

  public static HttpServerOptions apply(HttpServerOptions o, Optional<SecurityConfig.Tls> tls) {
    if (tls.isEmpty()) {
      return o;
    }
    SecurityConfig.Tls t = tls.get();
    o.setSsl(true).setUseAlpn(true).setKeyCertOptions(new PemKeyCertOptions()
        .setCertPath(t.certFile().toString()).setKeyPath(t.keyFile().toString()));
    t.clientCaFile().ifPresent(ca -> o.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString()))
        .setClientAuth(ClientAuth.REQUIRED));
    return o;
  }
}
