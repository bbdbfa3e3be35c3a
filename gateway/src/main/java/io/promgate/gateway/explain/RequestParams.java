package io.promgate.gateway.explain;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.promgate.gateway.http.ApiException;
import io.promgate.gateway.http.ErrorType;
import io.promgate.promql.parser.PromQLParser;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Parameters of a GET query string and a form POST merged, as Prometheus' API reads them. */
final class RequestParams {
  private RequestParams() {
  }

  static MultiMap of(HttpServerRequest req, Buffer body) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    add(out, req.query());
    String ct = req.getHeader("Content-Type");
    if (body != null && body.length() > 0 && ct != null && ct.startsWith("application/x-www-form-urlencoded")) {
      add(out, body.toString(StandardCharsets.UTF_8));
    }
    return out;
  }

  private static void add(MultiMap out, String encoded) {
    if (encoded == null || encoded.isEmpty()) {
      return;
    }
    for (Map.Entry<String, List<String>> e : new QueryStringDecoder(encoded, StandardCharsets.UTF_8, false)
        .parameters().entrySet()) {
      out.add(e.getKey(), e.getValue());
    }
  }

  /** Float seconds or RFC 3339, as Prometheus' {@code parseTime}. */
  static long time(MultiMap p, String name, long dflt) {
    String v = p.get(name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      return Math.round(Double.parseDouble(v) * 1000);
    } catch (NumberFormatException e) {
      try {
        return Instant.parse(v).toEpochMilli();
      } catch (RuntimeException e2) {
        throw new ApiException(ErrorType.BAD_DATA, "invalid parameter \"" + name + "\": cannot parse \"" + v
            + "\" to a valid timestamp");
      }
    }
  }

  /** Float seconds or a Prometheus duration ({@code 1m}). */
  static long duration(MultiMap p, String name, long dflt) {
    String v = p.get(name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      return Math.round(Double.parseDouble(v) * 1000);
    } catch (NumberFormatException e) {
      try {
        return PromQLParser.parseDuration(v);
      } catch (RuntimeException e2) {
        throw new ApiException(ErrorType.BAD_DATA, "invalid parameter \"" + name + "\": cannot parse \"" + v
            + "\" to a valid duration");
      }
    }
  }
}
