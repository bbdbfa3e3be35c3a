package io.promgate.gateway.http;

/**
 * A failure with a Prometheus error type. Anything thrown on the request path that is not an ApiException
 * is answered as {@code internal} with its message only, never a stack trace.
 */
public final class ApiException extends RuntimeException {
  private final ErrorType type;

  public ApiException(ErrorType type, String message) {
    super(message, null, false, false);
    this.type = type;
  }

  public ErrorType type() {
    return type;
  }
}
