package io.promgate.gateway.backend.prometheus;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.Series;
import io.promgate.model.SeriesSet;
import io.promgate.model.SeriesSets;
import io.promgate.model.merge.ArraySeries;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Raw data from a backend without remote read (Thanos Query, VictoriaMetrics), as promxy does it: an
 * instant query of {@code {matchers}[range]} at the end of the sub-range returns every sample in the range.
 *
 * <p>What is lost: the query API never returns stale markers (Prometheus drops them when it builds a
 * matrix), so a series that ended inside the range looks as if it were still there for up to the lookback
 * delta after its last sample once promgate evaluates over it. Remote read has no such loss; prefer it.
 *
 * <p>The range is {@code end - start + 1} ms: Prometheus 3 reads {@code (t - r, t]}, 2.x {@code [t - r, t]};
 * both then cover {@code [start, end]} (2.x one millisecond more, trimmed by the engine).
 */
final class InstantQueryRead {
  private InstantQueryRead() {}

  static Future<SeriesSet> select(PrometheusStore store, String tenant, long mint, long maxt,
      List<LabelMatcher> matchers) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    form.add("query", selector(matchers) + "[" + (maxt - mint + 1) + "ms]");
    form.add("time", seconds(maxt));
    return store.apiCall("/api/v1/query", tenant, form).map(InstantQueryRead::decode);
  }

  static SeriesSet decode(JsonObject json) {
    JsonObject data = json.getJsonObject("data");
    List<Series> out = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    JsonArray ws = json.getJsonArray("warnings");
    if (ws != null) {
      ws.forEach(w -> warnings.add(String.valueOf(w)));
    }
    if (data == null || !"matrix".equals(data.getString("resultType"))) {
      return SeriesSets.of(out, warnings);
    }
    for (Object o : data.getJsonArray("result")) {
      JsonObject s = (JsonObject) o;
      Labels.Builder b = Labels.builder();
      for (Map.Entry<String, Object> e : s.getJsonObject("metric")) {
        b.set(e.getKey(), String.valueOf(e.getValue()));
      }
      JsonArray values = s.getJsonArray("values");
      int n = values == null ? 0 : values.size();
      long[] t = new long[n];
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        JsonArray p = values.getJsonArray(i);
        t[i] = millis(p.getValue(0));
        v[i] = parseValue(p.getString(1));
      }
      out.add(new ArraySeries(b.build(), t, v));
    }
    return SeriesSets.of(out, warnings);
  }

  /** A selector text for matchers: {@code {__name__="x", job=~"a.*"}}. */
  static String selector(List<LabelMatcher> matchers) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < matchers.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(matchers.get(i));
    }
    return sb.append('}').toString();
  }

  static String seconds(long ms) {
    return BigDecimal.valueOf(ms, 3).toPlainString();
  }

  static long millis(Object seconds) {
    return new BigDecimal(String.valueOf(seconds)).movePointRight(3).setScale(0, java.math.RoundingMode.HALF_EVEN)
        .longValueExact();
  }

  static double parseValue(String s) {
    return switch (s) {
      case "NaN" -> Double.NaN;
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(s);
    };
  }
}
