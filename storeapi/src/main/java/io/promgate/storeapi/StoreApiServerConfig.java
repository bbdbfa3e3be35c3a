package io.promgate.storeapi;

import io.promgate.model.Labels;
import java.util.Objects;

/**
 * How the StoreAPI server listens and what it advertises. Immutable; build with {@link #builder()}.
 *
 * @param host address to bind, e.g. {@code 0.0.0.0}
 * @param port port to bind; 0 picks a free one (read it back from {@link StoreApiServer#port()})
 * @param externalLabels labels added to every served series and advertised in Info
 * @param defaultTenant tenant of calls without {@code thanos-tenant} metadata
 * @param allTenants Thanos Receive mode: calls without a tenant see every tenant, labelled by {@code tenantLabel}
 * @param tenantLabel name of the label carrying the tenant ({@code tenant_id} as Thanos Receive)
 * @param tlsCertPath PEM certificate chain; TLS is on when this and the key are given
 * @param tlsKeyPath PEM private key
 * @param tlsClientCaPath PEM CA(s) that client certificates must be signed by (mutual TLS); null: no client
 *     certificate asked for
 */
public record StoreApiServerConfig(
    String host,
    int port,
    Labels externalLabels,
    String defaultTenant,
    boolean allTenants,
    String tenantLabel,
    String tlsCertPath,
    String tlsKeyPath,
    String tlsClientCaPath) {

  /** Without mutual TLS (the shape before issue 12). */
  public StoreApiServerConfig(String host, int port, Labels externalLabels, String defaultTenant, boolean allTenants,
      String tenantLabel, String tlsCertPath, String tlsKeyPath) {
    this(host, port, externalLabels, defaultTenant, allTenants, tenantLabel, tlsCertPath, tlsKeyPath, null);
  }

  public StoreApiServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(externalLabels, "externalLabels");
    Objects.requireNonNull(defaultTenant, "defaultTenant");
    Objects.requireNonNull(tenantLabel, "tenantLabel");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("server.grpc: port out of range: " + port);
    }
    if ((tlsCertPath == null) != (tlsKeyPath == null)) {
      throw new IllegalArgumentException("server.grpc TLS needs both a certificate and a key");
    }
    if (tlsClientCaPath != null && tlsCertPath == null) {
      throw new IllegalArgumentException("server.grpc mutual TLS (client CA) needs a certificate and a key");
    }
    if (externalLabels.has(tenantLabel)) {
      throw new IllegalArgumentException("external labels must not set the tenant label " + tenantLabel);
    }
  }

  public boolean tls() {
    return tlsCertPath != null;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Defaults: {@code 0.0.0.0:10901}, no external labels, tenant {@code anonymous}, plaintext. */
  public static final class Builder {
    private String host = "0.0.0.0";
    private int port = 10901;
    private Labels externalLabels = Labels.EMPTY;
    private String defaultTenant = "anonymous";
    private boolean allTenants;
    private String tenantLabel = "tenant_id";
    private String tlsCertPath;
    private String tlsKeyPath;
    private String tlsClientCaPath;

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** {@code host:port} as in {@code server.grpc} / {@code --grpc-listen}; a bare {@code :port} binds all. */
    public Builder listen(String address) {
      int colon = address.lastIndexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("server.grpc must be host:port, got " + address);
      }
      String h = address.substring(0, colon);
      if (h.startsWith("[") && h.endsWith("]")) {
        h = h.substring(1, h.length() - 1);
      }
      try {
        this.port = Integer.parseInt(address.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("server.grpc must be host:port, got " + address, e);
      }
      this.host = h.isEmpty() ? "0.0.0.0" : h;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder externalLabels(Labels labels) {
      this.externalLabels = labels;
      return this;
    }

    public Builder defaultTenant(String tenant) {
      this.defaultTenant = tenant;
      return this;
    }

    public Builder allTenants(boolean allTenants) {
      this.allTenants = allTenants;
      return this;
    }

    public Builder tenantLabel(String name) {
      this.tenantLabel = name;
      return this;
    }

    public Builder tls(String certPemPath, String keyPemPath) {
      this.tlsCertPath = certPemPath;
      this.tlsKeyPath = keyPemPath;
      return this;
    }

    /** Mutual TLS: clients must present a certificate signed by a CA in this PEM file. */
    public Builder tlsClientCa(String caPemPath) {
      this.tlsClientCaPath = caPemPath;
      return this;
    }

    public StoreApiServerConfig build() {
      return new StoreApiServerConfig(host, port, externalLabels, defaultTenant, allTenants, tenantLabel,
          tlsCertPath, tlsKeyPath, tlsClientCaPath);
    }
  }
}
