package io.promgate.gateway.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.promgate.gateway.GatewayServer;
import io.promgate.gateway.it.PromgateHarness;
import io.promgate.routing.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The lean upstream client's connection handling, against an upstream written on raw sockets so that each
 * test decides what the upstream does with its connections: keep-alive reuse, upstreams that close after
 * every answer, the per-event-loop pool bound, an upstream dying mid-body, and a client leaving mid-stream
 * (the upstream connection must be dropped, not left streaming into a full buffer).
 */
class Http1UpstreamTest {
  private static final String BODY = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}";

  /** One connection of the scripted upstream: the test's script runs on its own thread. */
  @FunctionalInterface
  interface Script {
    void serve(Socket s, InputStream in, OutputStream out) throws Exception;
  }

  /** A loopback HTTP upstream on raw sockets that counts connections (and how many are open at once). */
  static final class ScriptedUpstream implements AutoCloseable {
    final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger maxOpen = new AtomicInteger();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    ScriptedUpstream(Script script) throws IOException {
      pool.execute(() -> {
        while (!server.isClosed()) {
          try {
            Socket s = server.accept();
            accepted.incrementAndGet();
            maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            pool.execute(() -> {
              try (s) {
                script.serve(s, s.getInputStream(), s.getOutputStream());
              } catch (Exception e) {
                // the script's peer went away: that is what some tests are about
              } finally {
                open.decrementAndGet();
              }
            });
          } catch (IOException e) {
            return;
          }
        }
      });
    }

    String url() {
      return "http://127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public void close() throws Exception {
      server.close();
      pool.shutdownNow();
    }
  }

  /** Reads one request head; false at the end of the stream. */
  static boolean readHead(InputStream in) throws IOException {
    int state = 0;
    int b;
    while ((b = in.read()) >= 0) {
      state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
      if (state == 4) {
        return true;
      }
    }
    return false;
  }

  static void answer(OutputStream out, String extraHeaders, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + extraHeaders + "Content-Length: " + b.length
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(b);
    out.flush();
  }

  static PromgateHarness promgate(ScriptedUpstream upstream, String extra) throws Exception {
    return PromgateHarness.start(ConfigLoader.parse("server: { http: '127.0.0.1:0' }\nbackends: { p: { type: prometheus, url: '"
        + upstream.url() + "'" + extra + " } }"), List.of());
  }

  static String body(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void keepAliveConnectionsAreReused() throws Exception {
    try (ScriptedUpstream up = new ScriptedUpstream((s, in, out) -> {
          while (readHead(in)) {
            answer(out, "", BODY);
          }
        });
        PromgateHarness p = promgate(up, "")) {
      for (int i = 0; i < 20; i++) {
        var r = PromgateHarness.get(p.url() + "/api/v1/query?query=up");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(body(r)).isEqualTo(BODY);
      }
      assertThat(up.accepted.get()).isEqualTo(1);
    }
  }

  @Test
  void upstreamsThatCloseAfterEachAnswerStillAnswerEveryRequest() throws Exception {
    try (ScriptedUpstream up = new ScriptedUpstream((s, in, out) -> {
          if (readHead(in)) {
            answer(out, "Connection: close\r\n", BODY);
          }
        });
        PromgateHarness p = promgate(up, "")) {
      for (int i = 0; i < 10; i++) {
        var r = PromgateHarness.get(p.url() + "/api/v1/query?query=up");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(body(r)).isEqualTo(BODY);
        assertThat(r.headers().firstValue("Connection")).isEmpty(); // hop-by-hop: not relayed
      }
      assertThat(up.accepted.get()).isEqualTo(10);
    }
  }

  @Test
  void requestsBeyondThePoolBoundWaitForAConnection() throws Exception {
    System.setProperty("promgate.upstreamPoolSize", "2");
    try (ScriptedUpstream up = new ScriptedUpstream((s, in, out) -> {
          while (readHead(in)) {
            Thread.sleep(50); // a slow upstream, so that requests pile up
            answer(out, "", BODY);
          }
        });
        PromgateHarness p = promgate(up, "")) {
      List<CompletableFuture<HttpResponse<byte[]>>> all = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        all.add(PromgateHarness.HTTP.sendAsync(HttpRequest.newBuilder(URI.create(p.url() + "/api/v1/query?query=up"))
            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray()));
      }
      for (var f : all) {
        var r = f.get(30, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(body(r)).isEqualTo(BODY);
      }
      assertThat(up.maxOpen.get()).isBetween(1, 2 * GatewayServer.eventLoops());
    } finally {
      System.clearProperty("promgate.upstreamPoolSize");
    }
  }

  @Test
  void anUpstreamDyingMidBodyResetsTheClientAndTheNextRequestWorks() throws Exception {
    AtomicInteger n = new AtomicInteger();
    try (ScriptedUpstream up = new ScriptedUpstream((s, in, out) -> {
          while (readHead(in)) {
            if (n.incrementAndGet() == 1) {
              out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{\"status\"".getBytes(StandardCharsets.US_ASCII));
              out.flush();
              return; // closes the connection 990 bytes short
            }
            answer(out, "", BODY);
          }
        });
        PromgateHarness p = promgate(up, "")) {
      Throwable t = catchThrowable(() -> {
        var r = PromgateHarness.get(p.url() + "/api/v1/query?query=up");
        assertThat(r.body().length).isLessThan(1000);
      });
      if (t != null) {
        assertThat(t).isInstanceOf(IOException.class);
      }
      var r = PromgateHarness.get(p.url() + "/api/v1/query?query=up");
      assertThat(body(r)).isEqualTo(BODY);
      assertThat(body(PromgateHarness.get(p.url() + "/metrics")))
          .contains("promgate_upstream_errors_total{backend=\"p\",kind=\"reset\"} 1");
    }
  }

  @Test
  void aClientLeavingMidStreamDropsTheUpstreamConnection() throws Exception {
    CountDownLatch upstreamSawClose = new CountDownLatch(1);
    byte[] chunk = new byte[64 * 1024];
    java.util.Arrays.fill(chunk, (byte) 'x');
    byte[] chunkHead = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    try (ScriptedUpstream up = new ScriptedUpstream((s, in, out) -> {
          readHead(in);
          out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
          try {
            while (true) { // an endless body: only promgate closing the connection ends it
              out.write(chunkHead);
              out.write(chunk);
              out.write('\r');
              out.write('\n');
            }
          } catch (IOException e) {
            upstreamSawClose.countDown();
          }
        });
        PromgateHarness p = promgate(up, "");
        Socket client = new Socket("127.0.0.1", Integer.parseInt(p.url().substring(p.url().lastIndexOf(':') + 1)))) {
      client.getOutputStream().write("GET /federate HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = client.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[16 * 1024];
      while (got.size() < 512 * 1024) {
        int k = in.read(buf);
        assertThat(k).isPositive();
        got.write(buf, 0, k);
      }
      assertThat(got.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200 OK").contains("xxxxxxxx");
      client.close();
      assertThat(upstreamSawClose.await(20, TimeUnit.SECONDS)).as("upstream connection closed").isTrue();
      String metrics = "";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!metrics.contains("kind=\"reset\"} 1") && System.nanoTime() < deadline) {
        metrics = body(PromgateHarness.get(p.url() + "/metrics"));
      }
      assertThat(metrics).contains("promgate_upstream_errors_total{backend=\"p\",kind=\"reset\"} 1");
    }
  }
}
