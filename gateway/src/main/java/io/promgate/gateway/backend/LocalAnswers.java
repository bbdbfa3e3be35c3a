package io.promgate.gateway.backend;

import io.promgate.gateway.http.ApiException;
import io.promgate.gateway.http.ErrorType;
import io.promgate.promql.parser.ParseException;
import io.promgate.promql.parser.PromQLParser;
import io.promgate.promql.parser.Printer;
import io.vertx.core.Future;
import io.vertx.core.json.Json;

/**
 * What promgate answers itself for the read endpoints no backend serves when nothing can take them
 * unchanged (the embedded store, federation without a Prometheus): {@code format_query} from our own
 * printer, and empty successes in Prometheus' shapes for the endpoints Grafana probes ({@code rules},
 * {@code alerts}, {@code targets}, {@code query_exemplars}, {@code status/config}, {@code status/flags}...),
 * never a 404 for those.
 */
public final class LocalAnswers {
  private LocalAnswers() {}

  public static Future<ApiResponse> answer(ApiRequest r) {
    String p = r.apiPath();
    String data = switch (p) {
      case "/api/v1/rules" -> "{\"groups\":[]}";
      case "/api/v1/alerts" -> "{\"alerts\":[]}";
      case "/api/v1/targets" -> "{\"activeTargets\":[],\"droppedTargets\":[]}";
      case "/api/v1/targets/metadata", "/api/v1/query_exemplars" -> "[]";
      case "/api/v1/alertmanagers" -> "{\"activeAlertmanagers\":[],\"droppedAlertmanagers\":[]}";
      case "/api/v1/status/config" -> "{\"yaml\":\"\"}";
      case "/api/v1/status/flags", "/api/v1/status/runtimeinfo", "/api/v1/status/walreplay" -> "{}";
      case "/api/v1/format_query" -> formatQuery(r);
      default -> null;
    };
    if (data == null) {
      return Future.failedFuture(new ApiException(ErrorType.NOT_FOUND, "no such endpoint: " + p));
    }
    return Future.succeededFuture(ApiResponse.success(data));
  }

  private static String formatQuery(ApiRequest r) {
    String q = r.params().get("query");
    try {
      return Json.encode(Printer.print(PromQLParser.parse(q == null ? "" : q)));
    } catch (ParseException e) {
      throw new ApiException(ErrorType.BAD_DATA, "invalid parameter \"query\": " + e.getMessage());
    }
  }
}
