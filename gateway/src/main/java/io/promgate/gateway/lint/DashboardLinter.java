package io.promgate.gateway.lint;

import io.promgate.gateway.explain.Explainer;
import io.promgate.gateway.http.ApiException;
import io.promgate.model.LabelMatcher;
import io.promgate.promql.parser.PromQLParser;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lints a Grafana dashboard: every panel (rows' nested panels and old-style {@code rows[].panels} too),
 * every target's {@code expr} with template variables substituted, explained over the dashboard's range.
 * A panel is {@code error} when a target does not parse, {@code no_data} when a target would return
 * nothing (with the explain diagnoses), else {@code ok}. Library panels are only references in the
 * dashboard JSON; they are listed with a note, not linted.
 */
public final class DashboardLinter {
  private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\(\\s*(?:(.*?)\\s*,\\s*)?(\\w+)\\s*\\)\\s*$");
  private final Explainer explainer;

  public DashboardLinter(Explainer explainer, Clock clock) {
    this.explainer = explainer;
  }

  public Future<JsonObject> lint(String tenant, JsonObject dashboard, long start, long end) {
    JsonObject dash = dashboard.containsKey("dashboard") && dashboard.getValue("dashboard") instanceof JsonObject d
        ? d : dashboard;
    long range = end - start;
    long interval = TemplateVariables.intervalFor(range);
    TemplateVariables vars = new TemplateVariables(range, interval);
    return resolveVariables(tenant, dash, vars).compose(v -> {
      List<JsonObject> panels = new ArrayList<>();
      collect(dash.getJsonArray("panels", new JsonArray()), panels);
      JsonArray rows = dash.getJsonArray("rows", new JsonArray());
      for (int i = 0; i < rows.size(); i++) {
        collect(rows.getJsonObject(i).getJsonArray("panels", new JsonArray()), panels);
      }
      List<Future<JsonObject>> results = new ArrayList<>();
      for (JsonObject p : panels) {
        results.add(lintPanel(tenant, p, vars, start, end, interval));
      }
      return Future.all(results).map(all -> {
        JsonArray out = new JsonArray();
        int bad = 0;
        for (Future<JsonObject> f : results) {
          out.add(f.result());
          bad += "ok".equals(f.result().getString("status")) || "skipped".equals(f.result().getString("status")) ? 0 : 1;
        }
        return new JsonObject().put("title", dash.getString("title", "")).put("tenant", tenant)
            .put("range", new JsonObject().put("start", start / 1000.0).put("end", end / 1000.0))
            .put("panels", out).put("problems", bad);
      });
    });
  }

  private static void collect(JsonArray in, List<JsonObject> out) {
    for (int i = 0; i < in.size(); i++) {
      JsonObject p = in.getJsonObject(i);
      out.add(p);
      if (p.getValue("panels") instanceof JsonArray nested) {
        collect(nested, out);
      }
    }
  }

  private Future<JsonObject> lintPanel(String tenant, JsonObject p, TemplateVariables vars, long start, long end,
      long interval) {
    JsonObject out = new JsonObject().put("id", p.getValue("id")).put("title", p.getString("title", ""))
        .put("type", p.getString("type", ""));
    if (p.getValue("libraryPanel") instanceof JsonObject lib) {
      return Future.succeededFuture(out.put("status", "skipped").put("diagnoses", new JsonArray())
          .put("note", "library panel " + lib.getString("name", lib.getString("uid", "?"))
              + " is only referenced here; lint its own JSON"));
    }
    JsonArray targets = p.getJsonArray("targets", new JsonArray());
    List<Future<JsonObject>> checks = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      JsonObject t = targets.getJsonObject(i);
      String expr = t.getString("expr");
      if (expr == null || expr.isBlank() || Boolean.TRUE.equals(t.getBoolean("hide"))) {
        continue;
      }
      String q = vars.substitute(expr);
      JsonObject tj = new JsonObject().put("refId", t.getString("refId", "")).put("expr", q);
      long step = Math.max(interval, RequestStep.parse(t.getString("interval"), interval));
      checks.add(explainer.explain(tenant, q, start, end, step).map(x -> {
        JsonArray d = x.getJsonArray("diagnoses");
        return tj.put("status", d.isEmpty() ? "ok" : "no_data").put("diagnoses", d);
      }).recover(e -> Future.succeededFuture(tj.put("status", "error").put("diagnoses", new JsonArray().add(
          new JsonObject().put("selector", q).put("code", e instanceof ApiException ? "parse_error" : "explain_error")
              .put("message", e.getMessage()).put("suggestions", new JsonArray()))))));
    }
    return Future.all(checks).map(all -> {
      String status = "ok";
      JsonArray diagnoses = new JsonArray();
      JsonArray ts = new JsonArray();
      for (Future<JsonObject> f : checks) {
        JsonObject t = f.result();
        ts.add(t);
        diagnoses.addAll(t.getJsonArray("diagnoses"));
        String s = t.getString("status");
        if (s.equals("error") || (s.equals("no_data") && status.equals("ok"))) {
          status = s;
        }
      }
      return out.put("status", p.getString("type", "").equals("row") && ts.isEmpty() ? "ok" : status)
          .put("diagnoses", diagnoses).put("targets", ts);
    });
  }

  /** Fills {@code vars} from the dashboard's templating; query variables through label values of this tenant. */
  private Future<Void> resolveVariables(String tenant, JsonObject dash, TemplateVariables vars) {
    JsonArray list = dash.getJsonObject("templating", new JsonObject()).getJsonArray("list", new JsonArray());
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < list.size(); i++) {
      JsonObject v = list.getJsonObject(i);
      String name = v.getString("name");
      if (name == null) {
        continue;
      }
      // In order: a later variable's query may use an earlier one.
      chain = chain.compose(x -> valuesOf(tenant, v, vars).map(vals -> {
        vars.put(name, vals);
        return null;
      }));
    }
    return chain;
  }

  private Future<List<String>> valuesOf(String tenant, JsonObject v, TemplateVariables vars) {
    List<String> current = TemplateVariables.currentValues(v);
    String type = v.getString("type", "");
    if (!TemplateVariables.isAll(current) && !current.isEmpty()) {
      return Future.succeededFuture(current);
    }
    if (!type.equals("query")) {
      List<String> opts = TemplateVariables.options(v);
      return Future.succeededFuture(opts.isEmpty() ? current : opts);
    }
    Object q = v.getValue("query");
    String query = q instanceof JsonObject o ? o.getString("query", "") : q == null ? "" : q.toString();
    Matcher m = LABEL_VALUES.matcher(vars.substitute(query));
    if (!m.matches()) {
      return Future.succeededFuture(TemplateVariables.options(v));
    }
    List<LabelMatcher> matchers;
    try {
      matchers = m.group(1) == null || m.group(1).isBlank() ? List.of() : PromQLParser.parseMetricSelector(m.group(1));
    } catch (RuntimeException e) {
      return Future.succeededFuture(TemplateVariables.options(v));
    }
    return explainer.tenantLabelValues(tenant, m.group(2), matchers);
  }
}
