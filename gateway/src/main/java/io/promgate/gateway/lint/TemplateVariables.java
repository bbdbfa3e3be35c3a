package io.promgate.gateway.lint;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Grafana's template variable substitution for Prometheus targets: {@code $var}, {@code ${var}},
 * {@code ${var:format}}, {@code [[var]]}, and the built-ins {@code $__interval}, {@code $__rate_interval}
 * (max($__interval + 15s, 60s) with Grafana's default 15s scrape interval), {@code $__range},
 * {@code $__range_s}, {@code $__range_ms}. Several values of one variable become the regex
 * {@code (a|b)}, as Grafana formats multi-value variables for Prometheus; {@code ${var:regex}} escapes them.
 */
public final class TemplateVariables {
  // ${name:format} | ${name} | [[name]] | $name ; longest names first is implicit in \w+ greediness.
  private static final Pattern REF = Pattern.compile("\\$\\{(\\w+)(?::(\\w+))?}|\\[\\[(\\w+)(?::(\\w+))?]]|\\$(\\w+)");
  private final Map<String, List<String>> values = new LinkedHashMap<>();

  public TemplateVariables(long rangeMs, long intervalMs) {
    long rate = Math.max(intervalMs + 15_000, 60_000);
    put("__interval", dur(intervalMs));
    put("__interval_ms", Long.toString(intervalMs));
    put("__rate_interval", dur(rate));
    put("__range", dur(rangeMs));
    put("__range_s", Long.toString(rangeMs / 1000));
    put("__range_ms", Long.toString(rangeMs));
  }

  /** Grafana's interval for a range: about 1000 points, at least 15 s (our scrape default), whole seconds. */
  public static long intervalFor(long rangeMs) {
    return Math.max(15_000, rangeMs / 1000 / 1000 * 1000);
  }

  public void put(String name, String value) {
    values.put(name, List.of(value));
  }

  public void put(String name, List<String> vals) {
    values.put(name, List.copyOf(vals));
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** Replaces every known variable; unknown ones stay as written (the parser then names them). */
  public String substitute(String expr) {
    Matcher m = REF.matcher(expr);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(3) != null ? m.group(3) : m.group(5);
      String format = m.group(2) != null ? m.group(2) : m.group(4);
      List<String> v = values.get(name);
      String rep = v == null ? m.group() : format(v, format);
      m.appendReplacement(sb, Matcher.quoteReplacement(rep));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static String format(List<String> v, String format) {
    boolean regex = "regex".equals(format);
    if (v.size() == 1) {
      return regex ? escape(v.get(0)) : v.get(0);
    }
    List<String> parts = new ArrayList<>();
    v.forEach(x -> parts.add(escape(x)));
    return "(" + String.join("|", parts) + ")";
  }

  static String escape(String s) {
    return s.replaceAll("[\\\\^$.|?*+()\\[\\]{}]", "\\\\$0");
  }

  static String dur(long ms) {
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  /** The values a variable has by the dashboard alone: its current value, or all its options for "All". */
  static List<String> currentValues(JsonObject variable) {
    JsonObject current = variable.getJsonObject("current", new JsonObject());
    Object v = current.getValue("value");
    List<String> out = new ArrayList<>();
    if (v instanceof JsonArray a) {
      a.forEach(x -> out.add(String.valueOf(x)));
    } else if (v != null) {
      out.add(String.valueOf(v));
    }
    return out;
  }

  static boolean isAll(List<String> vals) {
    return vals.isEmpty() || vals.contains("$__all") || vals.contains("All");
  }

  static List<String> options(JsonObject variable) {
    List<String> out = new ArrayList<>();
    JsonArray opts = variable.getJsonArray("options", new JsonArray());
    for (int i = 0; i < opts.size(); i++) {
      Object v = opts.getJsonObject(i).getValue("value");
      if (v != null && !"$__all".equals(v)) {
        out.add(String.valueOf(v));
      }
    }
    if (out.isEmpty() && "custom".equals(variable.getString("type")) && variable.getValue("query") instanceof String q) {
      for (String s : q.split(",")) {
        String t = s.trim();
        int colon = t.indexOf(" : ");
        out.add(colon >= 0 ? t.substring(colon + 3).trim() : t);
      }
    }
    return out;
  }
}
