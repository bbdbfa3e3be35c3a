package io.promgate.gateway.backend;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.promgate.gateway.http.Endpoint;
import io.promgate.promql.ast.Expr;
import io.promgate.tenant.TenantSet;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One Prometheus API read call, as a backend sees it. The raw query string and form body are kept so a
 * pass-through backend can forward them without decoding; {@link #params()} decodes and merges them
 * lazily (URL first, then body, as Go's {@code Request.ParseForm}) for backends that evaluate locally.
 *
 * @param apiPath path without tenant and {@code /prometheus} prefixes, e.g. {@code /api/v1/query}
 * @param rawQuery the URL query string, or null
 * @param body the request body of a POST (null for GET)
 * @param isForm whether {@code body} is {@code application/x-www-form-urlencoded}
 * @param headers the client's request headers (backends forward only those their config names)
 * @param parsed the {@code query} parameter parsed once for every stage that needs it ({@link #expr()})
 */
public record ApiRequest(Endpoint endpoint, HttpMethod method, String apiPath, String rawQuery, Buffer body,
    boolean isForm, TenantSet tenants, MultiMap headers, ParsedQuery parsed) {

  public ApiRequest {
    parsed = parsed == null ? new ParsedQuery() : parsed;
  }

  /** A request whose query is not parsed yet. */
  public ApiRequest(Endpoint endpoint, HttpMethod method, String apiPath, String rawQuery, Buffer body,
      boolean isForm, TenantSet tenants, MultiMap headers) {
    this(endpoint, method, apiPath, rawQuery, body, isForm, tenants, headers, null);
  }

  /**
   * The {@code query} parameter ("" when absent) parsed, at most once per request and text; throws the
   * parser's {@link io.promgate.promql.parser.ParseException}, which each caller maps as it always did.
   */
  public Expr expr() {
    String q = params().get("query");
    return parsed.expr(q == null ? "" : q);
  }

  /** The same request with other headers, keeping what was parsed. */
  public ApiRequest withHeaders(MultiMap otherHeaders) {
    return new ApiRequest(endpoint, method, apiPath, rawQuery, body, isForm, tenants, otherHeaders, parsed);
  }

  /** All parameters, URL and form body merged: a name may repeat ({@code match[]}). */
  public MultiMap params() {
    return params(rawQuery, isForm ? body : null);
  }

  /** The parameters of a URL query string (or null) and a form body (or null), merged as {@link #params()}. */
  public static MultiMap params(String rawQuery, Buffer formBody) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      add(out, rawQuery);
    }
    if (formBody != null && formBody.length() > 0) {
      add(out, formBody.toString(StandardCharsets.UTF_8));
    }
    return out;
  }

  /** The form-encoded union of URL and body parameters, for forwarding as one POST body. */
  public String mergedForm() {
    boolean hasQuery = rawQuery != null && !rawQuery.isEmpty();
    boolean hasBody = isForm && body != null && body.length() > 0;
    if (hasQuery && hasBody) {
      // Both are already application/x-www-form-urlencoded; '&' joins them without re-encoding.
      return rawQuery + "&" + body.toString(StandardCharsets.UTF_8);
    }
    return hasQuery ? rawQuery : hasBody ? body.toString(StandardCharsets.UTF_8) : "";
  }

  private static void add(MultiMap out, String encoded) {
    for (Map.Entry<String, List<String>> e : new QueryStringDecoder(encoded, StandardCharsets.UTF_8, false)
        .parameters().entrySet()) {
      out.add(e.getKey(), e.getValue());
    }
  }
}
