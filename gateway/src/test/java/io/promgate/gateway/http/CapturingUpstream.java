package io.promgate.gateway.http;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A tiny upstream that records each request (method, URI, headers, body) and answers a fixed reply. */
final class CapturingUpstream implements AutoCloseable {
  record Captured(String method, String uri, MultiMap headers, String body) {}

  final LinkedBlockingQueue<Captured> requests = new LinkedBlockingQueue<>();
  volatile int status = 200;
  volatile String reply = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}";
  volatile MultiMap replyHeaders = MultiMap.caseInsensitiveMultiMap();
  /** When set, the reply is written in 8 KiB chunks with chunked transfer encoding. */
  volatile boolean chunked;
  /** Milliseconds to wait before answering (a slow upstream). */
  volatile long delayMs;
  private final HttpServer server;

  CapturingUpstream(Vertx vertx) throws Exception {
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      requests.add(new Captured(req.method().name(), req.uri(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()),
          b.toString()));
      if (delayMs > 0) {
        vertx.setTimer(delayMs, t -> reply(req));
      } else {
        reply(req);
      }
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void reply(io.vertx.core.http.HttpServerRequest req) {
    {
      req.response().setStatusCode(status).headers().addAll(replyHeaders).set("Content-Type", "application/json");
      if (chunked) {
        req.response().setChunked(true);
        String r = reply;
        for (int i = 0; i < r.length(); i += 8192) {
          req.response().write(r.substring(i, Math.min(r.length(), i + 8192)));
        }
        req.response().end();
      } else {
        req.response().end(reply);
      }
    }
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  Captured next() throws InterruptedException {
    Captured c = requests.poll(10, TimeUnit.SECONDS);
    if (c == null) {
      throw new AssertionError("upstream received no request");
    }
    return c;
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
