package io.promgate.gateway.explain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** Explain output for people: the plan, one line per backend, then each diagnosis with its suggestions. */
public final class ExplainText {
  private ExplainText() {
  }

  public static String render(JsonObject d) {
    StringBuilder sb = new StringBuilder();
    sb.append("query:  ").append(d.getString("query")).append('\n');
    sb.append("tenant: ").append(d.getString("tenant"));
    if (d.getString("route") != null) {
      sb.append("  (route ").append(d.getString("route")).append(')');
    }
    sb.append("\nrange:  ").append(range(d.getJsonObject("range"))).append('\n');
    for (Object o : d.getJsonArray("plan", new JsonArray())) {
      JsonObject s = (JsonObject) o;
      sb.append("\nselector ").append(s.getString("selector")).append("  ").append(range(s.getJsonObject("range")))
          .append(": ").append(s.getInteger("series")).append(" series, ").append(s.getLong("samples")).append(" samples\n");
      for (Object b : s.getJsonArray("backends")) {
        JsonObject bj = (JsonObject) b;
        sb.append("  backend ").append(bj.getString("name")).append("  ").append(range(bj.getJsonObject("range")))
            .append(": ");
        if (bj.getString("error") != null) {
          sb.append("FAILED: ").append(bj.getString("error"));
        } else {
          sb.append(bj.getInteger("series")).append(" series, ").append(bj.getLong("samples")).append(" samples");
        }
        sb.append('\n');
      }
      for (Object p : s.getJsonArray("pruned")) {
        JsonObject pj = (JsonObject) p;
        sb.append("  pruned  ").append(pj.getString("name")).append(": ").append(pj.getString("reason"))
            .append(" (").append(pj.getString("detail")).append(")\n");
      }
    }
    for (Object n : d.getJsonArray("notes", new JsonArray())) {
      sb.append("note: ").append(n).append('\n');
    }
    JsonArray diags = d.getJsonArray("diagnoses", new JsonArray());
    if (diags.isEmpty()) {
      sb.append("\nno problems found\n");
    }
    for (Object o : diags) {
      sb.append('\n').append(diagnosis((JsonObject) o, ""));
    }
    return sb.toString();
  }

  /** One diagnosis: code and message, then "try:" lines. */
  public static String diagnosis(JsonObject x, String indent) {
    StringBuilder sb = new StringBuilder();
    sb.append(indent).append(x.getString("code")).append(": ").append(x.getString("message")).append('\n');
    for (Object s : x.getJsonArray("suggestions", new JsonArray())) {
      sb.append(indent).append("  try: ").append(s).append('\n');
    }
    return sb.toString();
  }

  static String range(JsonObject r) {
    if (r == null) {
      return "";
    }
    String s = at(r.getDouble("start"));
    String e = at(r.getDouble("end"));
    return s.equals(e) ? "at " + s : "[" + s + ", " + e + "]";
  }

  static String at(double seconds) {
    return Instant.ofEpochMilli(Math.round(seconds * 1000)).toString();
  }
}
