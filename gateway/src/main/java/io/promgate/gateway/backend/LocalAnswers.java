package io.promgate.gateway.backend;

import io.promgate.gateway.http.ApiException;
import io.promgate.gateway.http.ErrorType;
import io.vertx.core.Future;

/**
 * What promgate answers itself for the read endpoints no backend serves when nothing can take them
 * unchanged (the embedded store, federation without a Prometheus): the {@link EmptyAnswers} Grafana probes
 * for, plus empty {@code status/config} and {@code status/flags} (a store has no Prometheus config or
 * flags). Anything else is Prometheus' 404.
 */
public final class LocalAnswers {
  private LocalAnswers() {}

  public static Future<ApiResponse> answer(ApiRequest r) {
    String data = EmptyAnswers.dataJson(r.endpoint());
    if (data == null) {
      data = switch (r.apiPath()) {
        case "/api/v1/status/config" -> "{\"yaml\":\"\"}";
        case "/api/v1/status/flags", "/api/v1/status/runtimeinfo", "/api/v1/status/walreplay" -> "{}";
        default -> null;
      };
    }
    if (data == null) {
      return Future.failedFuture(new ApiException(ErrorType.NOT_FOUND, "no such endpoint: " + r.apiPath()));
    }
    return Future.succeededFuture(ApiResponse.success(data));
  }
}
