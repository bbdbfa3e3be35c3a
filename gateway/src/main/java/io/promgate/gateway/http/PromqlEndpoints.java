package io.promgate.gateway.http;

import io.promgate.gateway.backend.ApiRequest;
import io.promgate.gateway.backend.ApiResponse;
import io.promgate.promql.ast.Expr;
import io.promgate.promql.parser.ParseException;
import io.promgate.promql.parser.Printer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * {@code /api/v1/format_query} and {@code /api/v1/parse_query}, always answered by promgate itself
 * (DESIGN.md, "Pushdown"): the query is parsed with promgate's parser, formatted as Prometheus'
 * {@code Pretty(0)} or translated to the UI's AST JSON. Parsing runs off the event loop (a pathological
 * query may take a while); errors are Prometheus' own {@code invalid parameter "query": ...} bad_data.
 */
final class PromqlEndpoints {
  private PromqlEndpoints() {}

  static Future<ApiResponse> format(ApiRequest r) {
    return parse(r).map(e -> {
      StringBuilder sb = new StringBuilder(64).append("{\"status\":\"success\",\"data\":");
      GoJson.string(Printer.pretty(e), sb);
      return ApiResponse.json(200, io.vertx.core.buffer.Buffer.buffer(sb.append('}').toString()));
    });
  }

  static Future<ApiResponse> parseQuery(ApiRequest r) {
    return parse(r).map(e -> {
      StringBuilder sb = new StringBuilder(256).append("{\"status\":\"success\",\"data\":");
      GoJson.write(AstJson.translate(e), sb);
      return ApiResponse.json(200, io.vertx.core.buffer.Buffer.buffer(sb.append('}').toString()));
    });
  }

  private static Future<Expr> parse(ApiRequest r) {
    Context ctx = Vertx.currentContext();
    if (ctx == null) {
      return Future.succeededFuture(parseNow(r));
    }
    return ctx.owner().executeBlocking(() -> parseNow(r), false);
  }

  private static Expr parseNow(ApiRequest r) {
    try {
      return r.expr();
    } catch (ParseException e) {
      throw new ApiException(ErrorType.BAD_DATA, "invalid parameter \"query\": " + e.getMessage());
    }
  }
}
