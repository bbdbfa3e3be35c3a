package io.promgate.gateway.http;

/**
 * Prometheus API error types and their HTTP statuses: the single mapping at the HTTP edge (DESIGN.md,
 * "Errors"). Prometheus' own ({@code web/api/v1} {@code errorType}s) plus promgate's auth and limit types.
 */
public enum ErrorType {
  BAD_DATA("bad_data", 400),
  EXECUTION("execution", 422),
  CANCELED("canceled", 499),
  TIMEOUT("timeout", 503),
  UNAVAILABLE("unavailable", 503),
  INTERNAL("internal", 500),
  NOT_FOUND("not_found", 404),
  UNAUTHORIZED("unauthorized", 401),
  FORBIDDEN("forbidden", 403),
  TOO_MANY_REQUESTS("too_many_requests", 429),
  /** A request body over the limit: bad data, with the status that tells clients not to retry as is. */
  TOO_LARGE("bad_data", 413);

  private final String wireName;
  private final int status;

  ErrorType(String wireName, int status) {
    this.wireName = wireName;
    this.status = status;
  }

  public String wireName() {
    return wireName;
  }

  public int status() {
    return status;
  }

  public static ErrorType ofWireName(String name) {
    for (ErrorType t : values()) {
      if (t.wireName.equals(name)) {
        return t;
      }
    }
    return INTERNAL;
  }
}
