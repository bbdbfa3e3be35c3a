package io.promgate.gateway.federation;

import io.promgate.model.Labels;
import io.promgate.promql.engine.FloatSeries;
import io.promgate.promql.engine.QueryResult;
import io.promgate.promql.engine.Sample;
import io.promgate.promql.engine.Value;
import io.promgate.promql.engine.ValueFormat;
import io.promgate.gateway.http.GoJson;
import io.vertx.core.json.Json;
import java.util.Collection;

/** Query results in Prometheus' JSON envelope, with warnings and infos, formatted as Prometheus does. */
final class ResultJson {
  private ResultJson() {}

  static String render(QueryResult r, Collection<String> extraWarnings) {
    StringBuilder sb = new StringBuilder(sizeHint(r.value()));
    sb.append("{\"status\":\"success\",\"data\":{\"resultType\":\"").append(r.value().resultType())
        .append("\",\"result\":");
    value(sb, r.value());
    sb.append('}');
    java.util.LinkedHashSet<String> warnings = new java.util.LinkedHashSet<>(extraWarnings);
    warnings.addAll(r.warnings());
    strings(sb, "warnings", warnings);
    strings(sb, "infos", r.infos());
    return sb.append('}').toString();
  }

  /** Roughly the rendered size, so that a large result is not copied over and over while it grows. */
  private static int sizeHint(Value v) {
    long n = 1024;
    if (v instanceof Value.Vector vec) {
      n += 160L * vec.samples().size();
    } else if (v instanceof Value.Matrix m) {
      for (FloatSeries s : m.series()) {
        n += 128 + 40L * s.size();
      }
    }
    return (int) Math.min(n, 64 << 20);
  }

  private static void strings(StringBuilder sb, String key, Collection<String> list) {
    if (list.isEmpty()) {
      return;
    }
    sb.append(",\"").append(key).append("\":[");
    boolean first = true;
    for (String s : list) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      sb.append(Json.encode(s));
    }
    sb.append(']');
  }

  private static void value(StringBuilder sb, Value v) {
    if (v instanceof Value.Scalar s) {
      point(sb, s.timestamp(), s.value());
    } else if (v instanceof Value.StringValue s) {
        sb.append('[').append(ValueFormat.formatTimestamp(s.timestamp())).append(',').append(Json.encode(s.value()))
            .append(']');
    } else if (v instanceof Value.Vector vec) {
        sb.append('[');
        boolean first = true;
        for (Sample s : vec.samples()) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          sb.append("{\"metric\":");
          labels(sb, s.metric());
          sb.append(",\"value\":");
          point(sb, s.timestamp(), s.value());
          sb.append('}');
        }
        sb.append(']');
    } else if (v instanceof Value.Matrix m) {
        sb.append('[');
        boolean first = true;
        for (FloatSeries s : m.series()) {
          if (s.size() == 0) {
            continue;
          }
          if (!first) {
            sb.append(',');
          }
          first = false;
          sb.append("{\"metric\":");
          labels(sb, s.metric());
          sb.append(",\"values\":[");
          for (int i = 0; i < s.size(); i++) {
            if (i > 0) {
              sb.append(',');
            }
            point(sb, s.timestampAt(i), s.valueAt(i));
          }
          sb.append("]}");
        }
        sb.append(']');
    }
  }

  private static void point(StringBuilder sb, long t, double v) {
    sb.append('[');
    ValueFormat.appendTimestamp(sb, t);
    sb.append(",\"");
    ValueFormat.appendValue(sb, v);
    sb.append("\"]");
  }

  static void labels(StringBuilder sb, Labels l) {
    sb.append('{');
    for (int i = 0; i < l.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      // Hand-written escaping (as Prometheus' encoder, HTML-safe): Json.encode per string went through a
      // Jackson generator each time, a visible cost for results with many series.
      GoJson.string(l.name(i), sb);
      sb.append(':');
      GoJson.string(l.value(i), sb);
    }
    sb.append('}');
  }
}
