package io.promgate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares two Prometheus API answers as Prometheus clients read them: the same status, result type and
 * series (in any order unless the query sorts), the same timestamps, and values equal up to a relative
 * epsilon of 1e-9 ("NaN" equals "NaN"). Used to check promgate against a real Prometheus, or against
 * another promgate.
 */
public final class ApiAnswers {
  private ApiAnswers() {}

  public static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** GETs {@code base + pathAndQuery} and returns the parsed body, asserting HTTP 200. */
  public static JsonObject get(String base, String pathAndQuery, String... headers) throws Exception {
    var r = PromgateHarness.get(base + pathAndQuery, headers);
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(r.statusCode()).as("%s%s: %s", base, pathAndQuery, body).isEqualTo(200);
    return new JsonObject(body);
  }

  /** Asserts that the {@code data} of two query answers agree; {@code what} names the query in failures. */
  public static void assertSameQueryData(String what, JsonObject expected, JsonObject actual) {
    JsonObject e = expected.getJsonObject("data");
    JsonObject a = actual.getJsonObject("data");
    assertThat(a.getString("resultType")).as(what).isEqualTo(e.getString("resultType"));
    Object er = e.getValue("result");
    Object ar = a.getValue("result");
    if (er instanceof JsonArray ea && ea.size() > 0 && ea.getValue(0) instanceof JsonObject) {
      List<JsonObject> es = sorted(ea);
      List<JsonObject> as = sorted((JsonArray) ar);
      assertThat(as.stream().map(o -> metricKey(o)).toList()).as("%s: series", what)
          .isEqualTo(es.stream().map(o -> metricKey(o)).toList());
      for (int i = 0; i < es.size(); i++) {
        String w = what + " " + metricKey(es.get(i));
        if (es.get(i).containsKey("value")) {
          assertSamePoint(w, es.get(i).getJsonArray("value"), as.get(i).getJsonArray("value"));
        } else {
          JsonArray ev = es.get(i).getJsonArray("values");
          JsonArray av = as.get(i).getJsonArray("values");
          assertThat(av.size()).as("%s: points %s vs %s", w, ev, av).isEqualTo(ev.size());
          for (int j = 0; j < ev.size(); j++) {
            assertSamePoint(w, ev.getJsonArray(j), av.getJsonArray(j));
          }
        }
      }
    } else if (er instanceof JsonArray ea && ea.size() == 2 && !(ea.getValue(0) instanceof JsonArray)) {
      assertSamePoint(what, ea, (JsonArray) ar);
    } else {
      assertThat(ar).as(what).isEqualTo(er);
    }
  }

  /** Sorted lists of strings or label sets ({@code series}, {@code labels}, {@code label values}). */
  public static void assertSameSet(String what, JsonArray expected, JsonArray actual) {
    List<String> e = new ArrayList<>();
    List<String> a = new ArrayList<>();
    expected.forEach(o -> e.add(o instanceof JsonObject j ? new TreeMap<>(j.getMap()).toString() : o.toString()));
    actual.forEach(o -> a.add(o instanceof JsonObject j ? new TreeMap<>(j.getMap()).toString() : o.toString()));
    e.sort(null);
    a.sort(null);
    assertThat(a).as(what).isEqualTo(e);
  }

  static void assertSamePoint(String what, JsonArray e, JsonArray a) {
    assertThat(((Number) a.getValue(0)).doubleValue()).as("%s: timestamp", what)
        .isEqualTo(((Number) e.getValue(0)).doubleValue());
    String ev = e.getString(1);
    String av = a.getString(1);
    if (ev.equals(av)) {
      return;
    }
    double x = Double.parseDouble(ev);
    double y = Double.parseDouble(av);
    assertThat(Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y)) || Math.abs(x - y) < 1e-12)
        .as("%s: value %s (expected %s)", what, av, ev).isTrue();
  }

  private static List<JsonObject> sorted(JsonArray a) {
    List<JsonObject> out = new ArrayList<>();
    a.forEach(o -> out.add((JsonObject) o));
    out.sort(Comparator.comparing(ApiAnswers::metricKey));
    return out;
  }

  static String metricKey(JsonObject series) {
    Map<String, Object> m = new TreeMap<>(series.getJsonObject("metric").getMap());
    return m.toString();
  }
}
