package io.promgate.gateway.write;

import io.promgate.gateway.http.Envelope;
import io.promgate.gateway.http.ErrorType;

/**
 * What to answer a remote-write request: an HTTP status and, for errors, a body. Most errors are plain text
 * as from Prometheus' receiver ({@code http.Error}: the message and a newline, {@code text/plain;
 * charset=utf-8}); a rate-limit refusal is promgate's own and uses the JSON error envelope with
 * {@code too_many_requests} and a {@code Retry-After} (remote-write senders read only the status and the
 * header; people and tools reading the body get the same shape as from the query API).
 *
 * @param retryAfterSeconds for {@code Retry-After}; 0 for none
 */
public record WriteResult(int status, String message, String contentType, long retryAfterSeconds) {
  public static final String CONTENT_TYPE = "text/plain; charset=utf-8";
  static final String JSON = "application/json";

  public WriteResult(int status, String message) {
    this(status, message, CONTENT_TYPE, 0);
  }

  static WriteResult stored() {
    return new WriteResult(204, "");
  }

  static WriteResult error(int status, String message) {
    return new WriteResult(status, message.endsWith("\n") ? message : message + "\n");
  }

  static WriteResult tooManyRequests(String message, long retryAfterSeconds) {
    return new WriteResult(429, Envelope.error(ErrorType.TOO_MANY_REQUESTS, message).toString(), JSON,
        retryAfterSeconds);
  }

  public boolean ok() {
    return status / 100 == 2;
  }
}
