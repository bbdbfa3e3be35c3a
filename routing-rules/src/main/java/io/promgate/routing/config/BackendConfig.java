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
   */
  record Prometheus(String name, URI url, Duration timeout, List<String> forwardHeaders,
      Map<String, String> headers, Map<String, String> externalLabels,
      java.util.Optional<SecurityConfig.BackendTls> tls) implements BackendConfig {
    public Prometheus {
      forwardHeaders = List.copyOf(forwardHeaders);
      headers = Map.copyOf(headers);
      externalLabels = Map.copyOf(externalLabels);
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

  /** A Thanos StoreAPI gRPC server (store gateway, sidecar, receive, ruler, another promgate). */
  record StoreApi(String name, HostPort address, Duration timeout, Map<String, String> externalLabels)
      implements BackendConfig {
    public StoreApi {
      externalLabels = Map.copyOf(externalLabels);
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
