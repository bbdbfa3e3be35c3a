package io.promgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.gateway.GatewayPlugin;
import io.promgate.gateway.it.PromgateHarness;
import io.promgate.routing.config.ConfigLoader;
import io.vertx.core.Future;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The plain HTTP port speaks HTTP/1.1 only and ignores h2c upgrade requests, as Prometheus does (HTTP/2
 * comes through TLS ALPN, see ServerTlsTest). The JDK HttpClient asks for an h2c upgrade on every new plain
 * connection; when the 101 and more than its 16 KiB read buffer of HTTP/2 frames reached it together, it
 * lost the answer and waited for ever, its request timeout already stopped by the 101 (the
 * CachedAnswersTest stall of session 3: an answer of 18 KiB on the first request of a fresh server).
 */
class CleartextHttpVersionTest {
  /** Bigger than the JDK client's read buffer (jdk.httpclient.bufsize, 16 KiB). */
  static final int BIG = 64 * 1024;

  PromgateHarness promgate;

  @BeforeEach
  void start() throws Exception {
    String body = "{\"status\":\"success\",\"data\":\"" + "x".repeat(BIG) + "\"}";
    GatewayPlugin big = ctx -> {
      ctx.route("/api/v1/big", false, (req, tenants, path) -> req.response()
          .putHeader("Content-Type", "application/json").end(body));
      return Future.succeededFuture();
    };
    promgate = PromgateHarness.start(ConfigLoader.parse("server: { http: 127.0.0.1:0 }\n"), List.of(big));
  }

  @AfterEach
  void stop() throws Exception {
    promgate.close();
  }

  @Test
  void anH2cUpgradeRequestIsAnsweredOverHttp11() throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), promgate.server().port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      // What the JDK HttpClient sends first on a new plain connection.
      out.write(("GET /api/v1/big HTTP/1.1\r\nConnection: Upgrade, HTTP2-Settings\r\nContent-Length: 0\r\n"
          + "Host: 127.0.0.1\r\nHTTP2-Settings: AAEAAEAAAAIAAAAAAAMAAAAAAAQBAAAAAAUAAEAAAAYABgAA\r\nUpgrade: h2c\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      assertThat(head(s.getInputStream())).startsWith("HTTP/1.1 200 OK\r\n").doesNotContainIgnoringCase("upgrade");
    }
  }

  @Test
  void freshJdkClientsGetBigAnswersWhole() throws Exception {
    // A new client is a new connection, hence an upgrade request each time.
    for (int i = 0; i < 20; i++) {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      for (int k = 0; k < 2; k++) {
        HttpResponse<byte[]> r = client.sendAsync(HttpRequest.newBuilder(URI.create(promgate.url() + "/api/v1/big"))
            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray()).get(60, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(r.body().length).isGreaterThan(BIG);
      }
    }
  }

  /** The status line and headers of the first answer. */
  private static String head(InputStream in) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    while (!b.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      b.write(c);
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }
}
