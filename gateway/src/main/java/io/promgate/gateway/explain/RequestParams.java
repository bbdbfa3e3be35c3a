package io.promgate.gateway.explain;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/** Parameters of a GET query string and a form POST merged, as Prometheus' API reads them. */
final class RequestParams {
  private RequestParams() {
  }

  static MultiMap of(HttpServerRequest req, Buffer body) {
    String ct = req.getHeader("Content-Type");
    boolean form = ct != null && ct.startsWith("application/x-www-form-urlencoded");
    return io.promgate.gateway.backend.ApiRequest.params(req.query(), form ? body : null);
  }
}
