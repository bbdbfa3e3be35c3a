package io.promgate.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;

/** Prometheus' JSON envelope: {@code {"status":"success","data":...}} or the error form. */
public final class Envelope {
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

  private Envelope() {}

  public static Buffer error(ErrorType type, String message) {
    return Buffer.buffer("{\"status\":\"error\",\"errorType\":\"" + type.wireName() + "\",\"error\":"
        + Json.encode(message) + "}");
  }

  /** {@code dataJson} must already be JSON. */
  public static Buffer success(String dataJson) {
    return Buffer.buffer("{\"status\":\"success\",\"data\":" + dataJson + "}");
  }

  public static Future<Void> send(HttpServerResponse out, int status, Buffer body) {
    if (out.headWritten()) {
      // A streamed answer failed half way: the status is gone, so all we can do is cut the connection.
      out.reset();
      return Future.succeededFuture();
    }
    out.setStatusCode(status);
    out.headers().set(HttpHeaders.CONTENT_TYPE, JSON);
    return out.end(body);
  }

  public static Future<Void> sendError(HttpServerResponse out, Throwable t) {
    ErrorType type = t instanceof ApiException a ? a.type() : ErrorType.INTERNAL;
    String message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    return send(out, type.status(), error(type, message));
  }
}
