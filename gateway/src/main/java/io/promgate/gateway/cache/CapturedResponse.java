package io.promgate.gateway.cache;

import io.promgate.gateway.backend.ApiResponse;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;

/**
 * Runs an {@link ApiResponse} into memory instead of a socket, so the cache can read a backend's answer
 * whatever the backend (a streamed pass-through or a rendered one). {@link HttpServerResponse} is a large
 * interface of which a response writer uses a handful of methods (status, headers, write, end, and what
 * {@code pipeTo} needs); a dynamic proxy implements those and answers the rest neutrally, instead of a
 * 100-method class that would break with every Vert.x release.
 */
final class CapturedResponse implements InvocationHandler {
  /** A complete answer: status, headers and the whole body. */
  record Captured(int status, MultiMap headers, Buffer body) {
    byte[] bytes() {
      return body.getBytes();
    }
  }

  private final MultiMap headers = HttpHeaders.headers();
  private final Buffer body = Buffer.buffer();
  private int status = 200;
  private boolean ended;
  private boolean reset;
  private HttpServerResponse proxy;

  static Future<Captured> capture(ApiResponse r) {
    CapturedResponse h = new CapturedResponse();
    h.proxy = (HttpServerResponse) Proxy.newProxyInstance(CapturedResponse.class.getClassLoader(),
        new Class<?>[] {HttpServerResponse.class}, h);
    return r.send(h.proxy).compose(v -> h.ended && !h.reset
        ? Future.succeededFuture(new Captured(h.status, h.headers, h.body))
        : Future.failedFuture(new IllegalStateException("the backend's answer was cut off")));
  }

  @Override
  public Object invoke(Object self, Method m, Object[] args) {
    switch (m.getName()) {
      case "setStatusCode":
        status = (Integer) args[0];
        return proxy;
      case "getStatusCode":
        return status;
      case "headers":
        return headers;
      case "putHeader":
        if (args[1] instanceof Iterable<?> values) {
          for (Object v : values) {
            headers.add(args[0].toString(), v.toString());
          }
        } else {
          headers.set(args[0].toString(), args[1].toString());
        }
        return proxy;
      case "write":
        append(args[0]);
        return Future.succeededFuture();
      case "end":
        if (args != null && args.length > 0) {
          append(args[0]);
        }
        ended = true;
        return Future.succeededFuture();
      case "ended":
        return ended;
      case "reset":
        reset = true;
        return m.getReturnType() == boolean.class ? Boolean.TRUE : null;
      case "toString":
        return "CapturedResponse[" + status + "]";
      case "hashCode":
        return System.identityHashCode(self);
      case "equals":
        return self == args[0];
      default:
        return neutral(m.getReturnType());
    }
  }

  private void append(Object chunk) {
    if (chunk instanceof Buffer b) {
      body.appendBuffer(b);
    } else if (chunk instanceof String s) {
      body.appendString(s, StandardCharsets.UTF_8.name());
    }
  }

  /** Fluent setters return the proxy; queries answer "nothing special" (not full, not closed...). */
  private Object neutral(Class<?> type) {
    if (type.isInstance(proxy)) {
      return proxy;
    } else if (type == boolean.class) {
      return false;
    } else if (type == int.class) {
      return 0;
    } else if (type == long.class) {
      return 0L;
    } else if (type == Future.class) {
      return Future.succeededFuture();
    }
    return null;
  }
}
