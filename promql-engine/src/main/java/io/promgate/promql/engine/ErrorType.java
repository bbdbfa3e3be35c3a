package io.promgate.promql.engine;

/** Prometheus' API error types that evaluation can end in; the HTTP edge maps them to statuses. */
public enum ErrorType {
  /** 422: the query is valid but cannot be evaluated (duplicate series, too many samples...). */
  EXECUTION("execution"),
  /** 400: bad input, e.g. too many points per series. */
  BAD_DATA("bad_data"),
  /** 503: the deadline passed. */
  TIMEOUT("timeout"),
  /** 499: the caller cancelled. */
  CANCELED("canceled");

  private final String apiName;

  ErrorType(String apiName) {
    this.apiName = apiName;
  }

  /** As written in the API's {@code errorType}. */
  public String apiName() {
    return apiName;
  }
}
