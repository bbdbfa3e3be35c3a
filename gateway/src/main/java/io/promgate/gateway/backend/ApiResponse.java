package io.promgate.gateway.backend;

import io.promgate.gateway.http.Envelope;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * An answer a backend produced, written by the HTTP edge. A pass-through backend streams the upstream body
 * straight into {@code out}; a local backend renders JSON. The returned future completes when the
 * response has been written (or fails when it could not be).
 */
@FunctionalInterface
public interface ApiResponse {
  Future<Void> send(HttpServerResponse out);

  /** A complete JSON body (already in Prometheus' envelope) with a status. */
  static ApiResponse json(int status, Buffer body) {
    return out -> Envelope.send(out, status, body);
  }

  /** {@code {"status":"success","data":<dataJson>}}. */
  static ApiResponse success(String dataJson) {
    return json(200, Envelope.success(dataJson));
  }
}
