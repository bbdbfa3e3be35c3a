package io.promgate.storeapi;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Blocking TLS preparation of a StoreAPI client, for a worker thread: everything that would otherwise run
 * on the event loop of the first connection the first time (file reads, class loading and initialisation
 * of the JDK's TLS stack, certificate path validation).
 */
final class TlsWarmUp {
  private TlsWarmUp() {
  }

  /** Replaces the PEM paths of {@code http} by their contents, so connecting reads no file. */
  static void inMemoryPem(HttpClientOptions http) {
    if (http.getTrustOptions() instanceof PemTrustOptions t && !t.getCertPaths().isEmpty()) {
      PemTrustOptions mem = new PemTrustOptions();
      t.getCertPaths().forEach(p -> mem.addCertValue(read(p)));
      t.getCertValues().forEach(mem::addCertValue);
      http.setTrustOptions(mem);
    }
    if (http.getKeyCertOptions() instanceof PemKeyCertOptions k && !k.getCertPaths().isEmpty()) {
      PemKeyCertOptions mem = new PemKeyCertOptions();
      k.getCertPaths().forEach(p -> mem.addCertValue(read(p)));
      k.getKeyPaths().forEach(p -> mem.addKeyValue(read(p)));
      http.setKeyCertOptions(mem);
    }
  }

  private static Buffer read(String path) {
    try {
      return Buffer.buffer(Files.readAllBytes(Path.of(path)));
    } catch (IOException e) {
      throw new UncheckedIOException("storeapi backend: cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Builds a client TLS context like the one Vert.x will build (JDK provider, ALPN h2, same key and trust
   * material), starts a handshake in memory up to the ClientHello, and validates the configured CA against
   * itself. The results are thrown away; what stays is the initialised TLS stack of the JVM.
   */
  static void run(Vertx vertx, HttpClientOptions http, StoreApiClientConfig config) throws Exception {
    KeyManagerFactory kmf = http.getKeyCertOptions() == null ? null : http.getKeyCertOptions().getKeyManagerFactory(vertx);
    TrustManagerFactory tmf = config.tlsInsecure() ? InsecureTrustManagerFactory.INSTANCE
        : http.getTrustOptions() == null ? null : http.getTrustOptions().getTrustManagerFactory(vertx);
    SslContext ctx = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).keyManager(kmf).trustManager(tmf)
        .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2))
        .build();
    SSLEngine engine = ctx.newEngine(ByteBufAllocator.DEFAULT, config.host(), config.port());
    engine.beginHandshake();
    engine.wrap(ByteBuffer.allocate(0), ByteBuffer.allocate(engine.getSession().getPacketBufferSize()));
    engine.closeOutbound();
    if (tmf != null && !config.tlsInsecure() && config.tlsCaPath() != null) {
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509TrustManager x && x.getAcceptedIssuers().length > 0) {
          X509Certificate ca = x.getAcceptedIssuers()[0];
          try {
            x.checkServerTrusted(new X509Certificate[] {ca}, "ECDHE_RSA");
          } catch (Exception e) {
            // A CA that is not a valid server certificate itself; the validator has been loaded all the same.
          }
        }
      }
    }
  }
}
