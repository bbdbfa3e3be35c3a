package io.promgate.gateway.security;

import io.promgate.routing.config.SecurityConfig;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.Optional;

/**
 * A backend's {@code tls:} on a Vert.x HTTP client: trusted CA, client certificate (mutual TLS), and
 * {@code insecure-skip-verify} (trust all, no host check) only when the config asks for it. Every client
 * that talks to a {@code prometheus} backend should pass its options through here.
 */
public final class BackendTlsOptions {
  private BackendTlsOptions() {}

  public static HttpClientOptions apply(HttpClientOptions o, Optional<SecurityConfig.BackendTls> tls) {
    if (tls.isEmpty()) {
      return o;
    }
    SecurityConfig.BackendTls t = tls.get();
    t.caFile().ifPresent(ca -> o.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
    if (t.certFile().isPresent() && t.keyFile().isPresent()) {
      o.setKeyCertOptions(new PemKeyCertOptions().setCertPath(t.certFile().get().toString())
          .setKeyPath(t.keyFile().get().toString()));
    }
    if (t.insecureSkipVerify()) {
      o.setTrustAll(true).setVerifyHost(false);
    }
    return o;
  }
}
