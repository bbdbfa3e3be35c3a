package io.promgate.gateway.http;

/**
 * A failure with a Prometheus error type. Anything thrown on the request path that is not an ApiException
 * is answered as {@code internal} with its message only, never a stack trace.
 */
public final class ApiException extends RuntimeException {
  private final ErrorType type;
  private final String tenant;
  private final String limit;

  public ApiException(ErrorType type, String message) {
    this(type, message, null, null);
  }

  private ApiException(ErrorType type, String message, String tenant, String limit) {
    super(message, null, false, false);
    this.type = type;
    this.tenant = tenant;
    this.limit = limit;
  }

  /** A refusal by {@code tenant}'s {@code limit} (a {@code tenancy.limits} key), counted in /metrics. */
  public static ApiException limit(ErrorType type, String tenant, String limit, String message) {
    return new ApiException(type, message, tenant, limit);
  }

  /** The limit key that refused the call, or null. */
  public String limit() {
    return limit;
  }

  public String tenant() {
    return tenant;
  }

  public ErrorType type() {
    return type;
  }
}
