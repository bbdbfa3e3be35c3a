package io.promgate.gateway.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Compares two Prometheus query answers: same type, same series, same timestamps, values within epsilon. */
final class PromJson {
  static final ObjectMapper JSON = new ObjectMapper();

  private PromJson() {}

  static JsonNode parse(byte[] body) throws Exception {
    return JSON.readTree(body);
  }

  /** A description of the first difference, or null when equal. */
  static String diff(JsonNode want, JsonNode got) {
    if (!"success".equals(want.path("status").asText())) {
      return "reference failed: " + want;
    }
    if (!"success".equals(got.path("status").asText())) {
      return "promgate failed: " + got;
    }
    JsonNode wd = want.path("data");
    JsonNode gd = got.path("data");
    if (!wd.path("resultType").equals(gd.path("resultType"))) {
      return "resultType " + wd.path("resultType") + " vs " + gd.path("resultType");
    }
    String type = wd.path("resultType").asText();
    if (type.equals("scalar") || type.equals("string")) {
      return point(wd.path("result"), gd.path("result"), "result");
    }
    Map<String, JsonNode> w = bySeries(wd.path("result"));
    Map<String, JsonNode> g = bySeries(gd.path("result"));
    if (!w.keySet().equals(g.keySet())) {
      return "series differ:\n  reference " + w.keySet() + "\n  promgate  " + g.keySet();
    }
    for (String k : w.keySet()) {
      JsonNode a = w.get(k);
      JsonNode b = g.get(k);
      if (type.equals("vector")) {
        String d = point(a.path("value"), b.path("value"), k);
        if (d != null) {
          return d;
        }
      } else {
        JsonNode av = a.path("values");
        JsonNode bv = b.path("values");
        if (av.size() != bv.size()) {
          return k + ": " + av.size() + " points vs " + bv.size() + "\n  reference " + av + "\n  promgate  " + bv;
        }
        for (int i = 0; i < av.size(); i++) {
          String d = point(av.get(i), bv.get(i), k + "[" + i + "]");
          if (d != null) {
            return d;
          }
        }
      }
    }
    return null;
  }

  private static Map<String, JsonNode> bySeries(JsonNode result) {
    Map<String, JsonNode> m = new TreeMap<>();
    for (JsonNode s : result) {
      m.put(new TreeMap<>(JSON.convertValue(s.path("metric"), Map.class)).toString(), s);
    }
    return m;
  }

  private static String point(JsonNode a, JsonNode b, String where) {
    if (a.get(0).asDouble() != b.get(0).asDouble()) {
      return where + ": timestamp " + a.get(0) + " vs " + b.get(0);
    }
    String x = a.get(1).asText();
    String y = b.get(1).asText();
    if (x.equals(y)) {
      return null;
    }
    try {
      double dx = Double.parseDouble(x);
      double dy = Double.parseDouble(y);
      if (Math.abs(dx - dy) <= 1e-9 * Math.max(1, Math.max(Math.abs(dx), Math.abs(dy)))) {
        return null;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    return where + ": value " + x + " vs " + y;
  }

  static List<String> seriesNames(JsonNode answer) {
    List<String> out = new ArrayList<>();
    for (JsonNode s : answer.path("data").path("result")) {
      out.add(s.path("metric").toString());
    }
    return out;
  }
}
