package io.promgate.routing.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One configured backend, by {@code type}. {@code name} is its key under {@code backends}. */
public sealed interface BackendConfig {
  String name();

  /** The {@code type:} value as written in YAML. */
  String type();

  /**
   * A Prometheus-compatible HTTP API (Prometheus, Thanos Query, Mimir, VictoriaMetrics).
   *
   * @param forwardHeaders client request headers passed on to this backend (e.g. {@code Authorization});
   *     nothing else from the client is forwarded, so credentials never leak by default
   * @param headers static headers added to every request
   * @param externalLabels labels that are part of this backend's series identity, as in Thanos
   * @param tls client TLS for https URLs ({@code tls:}); empty uses the JVM's trust store
   * @param read how raw data is read ({@code read:})
   * @param auth credentials sent on every request ({@code basic-auth:}, {@code bearer-token[-file]:})
   * @param guard circuit breaker and bulkhead ({@code breaker:}, {@code bulkhead:})
   */
  record Prometheus(String name, URI url, Duration timeout, List<String> forwardHeaders,
      Map<String, String> headers, Map<String, String> externalLabels,
      java.util.Optional<SecurityConfig.BackendTls> tls, BackendClient.ReadMethod read,
      java.util.Optional<BackendClient.Auth> auth, BackendClient.Guard guard) implements BackendConfig {
    public Prometheus {
      forwardHeaders = List.copyOf(forwardHeaders);
      headers = Map.copyOf(headers);
      externalLabels = Map.copyOf(externalLabels);
    }

    /** Without the client settings of issue 8 (defaults: auto read, no auth, default guard). */
    public Prometheus(String name, URI url, Duration timeout, List<String> forwardHeaders,
        Map<String, String> headers, Map<String, String> externalLabels,
        java.util.Optional<SecurityConfig.BackendTls> tls) {
      this(name, url, timeout, forwardHeaders, headers, externalLabels, tls, BackendClient.ReadMethod.AUTO,
          java.util.Optional.empty(), BackendClient.Guard.DEFAULT);
    }

    /** Without {@code tls:} (the shape before issue 12). */
    public Prometheus(String name, URI url, Duration timeout, List<String> forwardHeaders,
        Map<String, String> headers, Map<String, String> externalLabels) {
      this(name, url, timeout, forwardHeaders, headers, externalLabels, java.util.Optional.empty());
    }

    @Override
    public String type() {
      return "prometheus";
    }
  }

  /**
   * A Thanos StoreAPI gRPC server (store gateway, sidecar, receive, ruler, another promgate).
   *
   * @param tls TLS for the gRPC connection ({@code tls:}); empty is plaintext
   * @param guard circuit breaker and bulkhead ({@code breaker:}, {@code bulkhead:})
   */
  record StoreApi(String name, HostPort address, Duration timeout, Map<String, String> externalLabels,
      java.util.Optional<SecurityConfig.BackendTls> tls, BackendClient.Guard guard) implements BackendConfig {
    public StoreApi {
      externalLabels = Map.copyOf(externalLabels);
    }

    /** Plaintext, default guard. */
    public StoreApi(String name, HostPort address, Duration timeout, Map<String, String> externalLabels) {
      this(name, address, timeout, externalLabels, java.util.Optional.empty(), BackendClient.Guard.DEFAULT);
    }

    @Override
    public String type() {
      return "storeapi";
    }
  }

  /** The bundled store ({@code storage:}). */
  record Local(String name) implements BackendConfig {
    @Override
    public String type() {
      return "local";
    }
  }
}
