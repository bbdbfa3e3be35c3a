package io.promgate.gateway.backend;

import io.promgate.gateway.http.ApiException;
import io.promgate.gateway.http.ErrorType;
import io.vertx.core.Future;

/** Used when nothing can answer queries: every query endpoint gets a clear 503 {@code unavailable}. */
public final class UnconfiguredBackend implements QueryBackend {
  private final String why;

  public UnconfiguredBackend(String why) {
    this.why = why;
  }

  private <T> Future<T> fail() {
    return Future.failedFuture(new ApiException(ErrorType.UNAVAILABLE, why));
  }

  @Override public Future<ApiResponse> instantQuery(ApiRequest r) { return fail(); }
  @Override public Future<ApiResponse> rangeQuery(ApiRequest r) { return fail(); }
  @Override public Future<ApiResponse> series(ApiRequest r) { return fail(); }
  @Override public Future<ApiResponse> labels(ApiRequest r) { return fail(); }
  @Override public Future<ApiResponse> labelValues(ApiRequest r, String name) { return fail(); }
  @Override public Future<ApiResponse> metadata(ApiRequest r) { return fail(); }
  @Override
  public Future<ApiResponse> other(ApiRequest r) {
    ApiResponse empty = EmptyAnswers.forEndpoint(r.endpoint());
    return empty != null ? Future.succeededFuture(empty) : fail();
  }

  @Override
  public Future<Boolean> ready() {
    return Future.succeededFuture(false);
  }

  @Override
  public String describe() {
    return "no backend (" + why + ")";
  }
}
