package io.promgate.gateway.federation;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A misbehaving "Prometheus" on a real TCP socket, speaking just enough HTTP/1.1 by hand to fail in the
 * ways real upstreams do: it never answers, answers with a body that trickles forever (so idle timeouts
 * never fire), closes the connection in the middle of the body, answers garbage (not JSON; random
 * streamed-protobuf frames or truncated snappy for remote read), or answers 500.
 *
 * <p>Every accepted connection is counted, and so is every close (by either side), so a test can tell
 * whether the gateway leaks connections: after the queries, no exchange may stay open ({@link #inFlight()});
 * idle keep-alive connections in the gateway's pools may ({@link #open()} counts them too). Runs on
 * its own Vert.x instance so that it shares no threads with the gateway under test.
 */
final class FaultyBackend implements AutoCloseable {
  enum Mode { HANG, TRICKLE, CLOSE_MID_BODY, GARBAGE, TRUNCATED_SNAPPY, ERROR_500, HEALTHY, SLOW }

  static final java.util.List<Mode> FAULTS = java.util.List.of(Mode.HANG, Mode.TRICKLE, Mode.CLOSE_MID_BODY,
      Mode.GARBAGE, Mode.TRUNCATED_SNAPPY, Mode.ERROR_500);

  private final Vertx vertx = Vertx.vertx();
  private final NetServer server;
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger closed = new AtomicInteger();
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  /** What each open connection asked for and in which mode it was answered (for failure messages). */
  private final Map<NetSocket, String> asked = new ConcurrentHashMap<>();
  private volatile Mode mode = Mode.HANG;

  FaultyBackend() throws Exception {
    server = vertx.createNetServer().connectHandler(this::accept);
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  void mode(Mode m) {
    mode = m;
  }

  int accepted() {
    return accepted.get();
  }

  /** Connections accepted and not yet closed. */
  int open() {
    return accepted.get() - closed.get();
  }

  /** Open connections that carried a request: an exchange nobody ended. */
  int inFlight() {
    return asked.size();
  }

  /** The open connections, and mode and request line of each exchange still open. */
  String describeOpen() {
    return open() + " open, exchanges: " + asked.values();
  }

  private void accept(NetSocket s) {
    accepted.incrementAndGet();
    sockets.add(s);
    s.closeHandler(v -> {
      sockets.remove(s);
      asked.remove(s);
      closed.incrementAndGet();
    });
    s.exceptionHandler(t -> { });
    StringBuilder head = new StringBuilder();
    s.handler(buf -> {
      if (head.indexOf("\r\n\r\n") >= 0) {
        return; // a body, or a pipelined request: ignored, one answer per connection is enough
      }
      head.append(buf.toString(StandardCharsets.ISO_8859_1));
      if (head.indexOf("\r\n\r\n") >= 0) {
        String requestLine = head.substring(0, head.indexOf("\r\n"));
        asked.put(s, mode + " " + requestLine.substring(0, Math.min(120, requestLine.length())));
        answer(s, requestLine.contains("/api/v1/read"));
      }
    });
  }

  private void answer(NetSocket s, boolean remoteRead) {
    answer(s, remoteRead, mode);
  }

  private void answer(NetSocket s, boolean remoteRead, Mode mode) {
    switch (mode) {
      case SLOW -> vertx.setTimer(300, t -> answer(s, remoteRead, Mode.HEALTHY)); // slow, but within any timeout
      case HANG -> { }
      case TRICKLE -> {
        s.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n");
        long id = vertx.setPeriodic(100, t -> s.write(" "));
        s.closeHandler(v -> {
          vertx.cancelTimer(id);
          sockets.remove(s);
      asked.remove(s);
          closed.incrementAndGet();
        });
      }
      case CLOSE_MID_BODY -> {
        String ct = remoteRead ? "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse"
            : "application/json";
        s.write("HTTP/1.1 200 OK\r\nContent-Type: " + ct + "\r\nContent-Length: 5000\r\n\r\n"
            + "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[");
        s.close();
      }
      case GARBAGE -> {
        byte[] junk = new byte[700];
        new Random(7).nextBytes(junk);
        Buffer body = remoteRead ? Buffer.buffer(junk) : Buffer.buffer("<html><body>502 Bad Gateway, probably</body>");
        String ct = remoteRead ? "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse"
            : "application/json";
        s.write(Buffer.buffer("HTTP/1.1 200 OK\r\nContent-Type: " + ct + "\r\nContent-Length: " + body.length()
            + "\r\nConnection: close\r\n\r\n").appendBuffer(body)).onComplete(x -> s.close());
      }
      case TRUNCATED_SNAPPY -> {
        // A snappy block announcing 4000 bytes of protobuf and carrying a literal of 3 bytes.
        Buffer body = Buffer.buffer(new byte[] {(byte) 0xa0, 0x1f, 0x08, 0x0a, 0x02, 0x12});
        String ct = remoteRead ? "application/x-protobuf" : "application/json";
        s.write(Buffer.buffer("HTTP/1.1 200 OK\r\nContent-Type: " + ct + "\r\nContent-Encoding: snappy\r\n"
            + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n").appendBuffer(body))
            .onComplete(x -> s.close());
      }
      case ERROR_500 -> {
        String body = "internal server error: the disk is on fire\n";
        s.write("HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: "
            + body.length() + "\r\nConnection: close\r\n\r\n" + body).onComplete(x -> s.close());
      }
      case HEALTHY -> {
        // An empty but well-formed answer: one empty remote-read result, or an empty vector.
        Buffer body;
        String ct;
        try {
          body = remoteRead ? Buffer.buffer(org.xerial.snappy.Snappy.compress(io.promgate.storeapi.prompb.ReadResponse
              .newBuilder().addResults(io.promgate.storeapi.prompb.QueryResult.getDefaultInstance()).build()
              .toByteArray())) : Buffer.buffer("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}");
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        ct = remoteRead ? "application/x-protobuf\r\nContent-Encoding: snappy" : "application/json";
        s.write(Buffer.buffer("HTTP/1.1 200 OK\r\nContent-Type: " + ct + "\r\nContent-Length: " + body.length()
            + "\r\nConnection: close\r\n\r\n").appendBuffer(body)).onComplete(x -> s.close());
      }
    }
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
