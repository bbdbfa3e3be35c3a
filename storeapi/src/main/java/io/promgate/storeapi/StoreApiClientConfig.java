package io.promgate.storeapi;

import java.time.Duration;
import java.util.Objects;

/**
 * A remote StoreAPI backend ({@code type: storeapi}).
 *
 * @param host server host
 * @param port server port
 * @param tenant sent as {@code thanos-tenant} metadata; null sends none (the server's default tenant)
 * @param timeout deadline of each call, propagated to the server as {@code grpc-timeout}
 * @param tls whether to speak TLS
 * @param tlsCaPath PEM file of the CAs to trust; null uses the JVM's trust store
 * @param tlsInsecure skip certificate verification (tests only)
 * @param tlsCertPath PEM client certificate for mutual TLS; null presents none
 * @param tlsKeyPath PEM key of {@code tlsCertPath}
 */
public record StoreApiClientConfig(
    String host, int port, String tenant, Duration timeout, boolean tls, String tlsCaPath, boolean tlsInsecure,
    String tlsCertPath, String tlsKeyPath) {

  /** Without a client certificate. */
  public StoreApiClientConfig(String host, int port, String tenant, Duration timeout, boolean tls, String tlsCaPath,
      boolean tlsInsecure) {
    this(host, port, tenant, timeout, tls, tlsCaPath, tlsInsecure, null, null);
  }

  public StoreApiClientConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(timeout, "timeout");
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("storeapi backend: port out of range: " + port);
    }
    if ((tlsCertPath == null) != (tlsKeyPath == null)) {
      throw new IllegalArgumentException("storeapi backend: a client certificate needs both cert and key");
    }
  }

  /** A plaintext backend with a 2-minute deadline (Thanos Query's default query timeout). */
  public static StoreApiClientConfig plaintext(String host, int port) {
    return new StoreApiClientConfig(host, port, null, Duration.ofMinutes(2), false, null, false);
  }

  /** Parses {@code host:port} as written in {@code address:} of the config. */
  public static StoreApiClientConfig ofAddress(String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("storeapi backend address must be host:port, got " + address);
    }
    try {
      return plaintext(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("storeapi backend address must be host:port, got " + address, e);
    }
  }

  public StoreApiClientConfig withTenant(String tenant) {
    return new StoreApiClientConfig(host, port, tenant, timeout, tls, tlsCaPath, tlsInsecure, tlsCertPath, tlsKeyPath);
  }

  public StoreApiClientConfig withTimeout(Duration timeout) {
    return new StoreApiClientConfig(host, port, tenant, timeout, tls, tlsCaPath, tlsInsecure, tlsCertPath, tlsKeyPath);
  }

  public StoreApiClientConfig withTls(String caPath, boolean insecure) {
    return new StoreApiClientConfig(host, port, tenant, timeout, true, caPath, insecure, tlsCertPath, tlsKeyPath);
  }

  /** TLS with a client certificate (mutual TLS). */
  public StoreApiClientConfig withClientCertificate(String certPath, String keyPath) {
    return new StoreApiClientConfig(host, port, tenant, timeout, true, tlsCaPath, tlsInsecure, certPath, keyPath);
  }
}
