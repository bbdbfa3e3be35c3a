package io.promgate.gateway.write;

/**
 * What to answer a remote-write request: an HTTP status and, for errors, a plain-text body (Prometheus'
 * receiver answers with {@code http.Error}: the message and a newline, {@code text/plain; charset=utf-8}).
 */
public record WriteResult(int status, String message) {
  public static final String CONTENT_TYPE = "text/plain; charset=utf-8";

  static WriteResult stored() {
    return new WriteResult(204, "");
  }

  static WriteResult error(int status, String message) {
    return new WriteResult(status, message.endsWith("\n") ? message : message + "\n");
  }

  public boolean ok() {
    return status / 100 == 2;
  }
}
