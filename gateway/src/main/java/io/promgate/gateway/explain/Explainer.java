package io.promgate.gateway.explain;

import io.promgate.gateway.federation.BackendStore;
import io.promgate.gateway.federation.SelectorRanges;
import io.promgate.gateway.http.ApiException;
import io.promgate.gateway.http.ErrorType;
import io.promgate.model.LabelMatcher;
import io.promgate.model.SelectHints;
import io.promgate.promql.ast.Expr;
import io.promgate.promql.parser.ParseException;
import io.promgate.promql.parser.Printer;
import io.promgate.promql.parser.PromQLParser;
import io.promgate.routing.config.BackendConfig;
import io.promgate.routing.plan.Assignment;
import io.promgate.routing.plan.Pruned;
import io.promgate.routing.plan.QueryPlan;
import io.promgate.routing.plan.SelectorPlan;
import io.promgate.routing.plan.SelectorRequest;
import io.promgate.routing.plan.TimeRangePlanner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Answers "what does this query read, from where, and why is it empty" (issue 11, DESIGN.md "Explain").
 *
 * <p>Invariants: (1) every data or metadata call names the one tenant the caller resolved to, and only
 * backends routed for that tenant are asked, so nothing of another tenant can leak, not even its
 * existence; (2) the cost is the query's own selects (the plan's assignments, exactly as the federation
 * issues them) plus, only for selectors that came back empty, metadata look-ups ({@link SelectorDiagnoser}).
 * The result is not evaluated: explain reports what reaches the engine, which is where every "No data" of
 * the stories is decided.
 *
 * <p>Rejected: explaining through the HTTP API of the installed query backend. It hides which backend
 * answered what, and the pass-through path has no per-backend view at all.
 */
public final class Explainer {
  static final long MIN_TIME = -9223372036854775L;
  static final long MAX_TIME = 9223372036854775L;

  private final Vertx vertx;
  private final TimeRangePlanner planner;
  private final Map<String, BackendStore> stores;
  private final Map<String, BackendConfig> configs;
  private final long lookbackMs;
  private final long timeoutMs;
  private final List<String> replicaLabels;

  public Explainer(Vertx vertx, TimeRangePlanner planner, Map<String, BackendStore> stores,
      Map<String, BackendConfig> configs, long lookbackMs, long timeoutMs, List<String> replicaLabels) {
    this.replicaLabels = List.copyOf(replicaLabels);
    this.vertx = vertx;
    this.planner = planner;
    this.stores = Map.copyOf(stores);
    this.configs = Map.copyOf(configs);
    this.lookbackMs = lookbackMs;
    this.timeoutMs = timeoutMs;
  }

  /**
   * This explainer for one client request: every backend that forwards client headers
   * ({@code forward-headers}) gets them, as the queries of that client do.
   */
  public Explainer forClient(io.vertx.core.MultiMap clientHeaders) {
    Map<String, BackendStore> views = new java.util.LinkedHashMap<>();
    boolean changed = false;
    for (Map.Entry<String, BackendStore> e : stores.entrySet()) {
      BackendStore view = e.getValue().forClient(clientHeaders);
      changed |= view != e.getValue();
      views.put(e.getKey(), view);
    }
    return changed ? new Explainer(vertx, planner, views, configs, lookbackMs, timeoutMs, replicaLabels) : this;
  }

  /** One planned select and what it returned (or why it failed). */
  record Fetched(int selector, Assignment assignment, Future<SelectorData> data) {}

  public Future<JsonObject> explain(String tenant, String query, long start, long end, long step) {
    return explain(tenant, List.of(), query, start, end, step);
  }

  /**
   * @param readableOthers other tenants the caller's credential may read: only these are looked at, and
   *     only to name them ({@code other_tenant}) when a metric is unknown for {@code tenant}
   */
  public Future<JsonObject> explain(String tenant, List<String> readableOthers, String query, long start, long end,
      long step) {
    Expr expr;
    try {
      expr = PromQLParser.parse(query);
    } catch (ParseException e) {
      return Future.failedFuture(new ApiException(ErrorType.BAD_DATA, "invalid parameter \"query\": " + e.getMessage()));
    }
    List<SelectorRanges.Use> uses = SelectorRanges.of(expr, start, end, lookbackMs);
    List<SelectorRequest> reqs = uses.stream().map(u -> new SelectorRequest(u.matchers(), u.startMs(), u.endMs()))
        .toList();
    QueryPlan plan = planner.plan(tenant, reqs);
    boolean instant = start == end;
    List<Fetched> fetched = new ArrayList<>();
    for (int k = 0; k < plan.selectors().size(); k++) {
      SelectorPlan sp = plan.selectors().get(k);
      for (Assignment a : sp.assignments()) {
        SelectHints hints = new SelectHints(a.startMs(), a.endMs(), step, 0, uses.get(k).func(), List.of(), false);
        fetched.add(new Fetched(k, a, select(a.backend(), tenant, a.startMs(), a.endMs(), hints,
            sp.selector().matchers(), instant)));
      }
    }
    return Future.join(fetched.stream().map(Fetched::data).toList()).transform(ignored -> {
      JsonArray planJson = new JsonArray();
      JsonArray notes = new JsonArray();
      List<Future<List<Diagnosis>>> diagnoses = new ArrayList<>();
      SelectorDiagnoser diagnoser = new SelectorDiagnoser(this, tenant, instant, readableOthers);
      for (int k = 0; k < plan.selectors().size(); k++) {
        SelectorPlan sp = plan.selectors().get(k);
        String selector = selectorText(sp.selector().matchers());
        SelectorData total = SelectorData.EMPTY;
        JsonArray backends = new JsonArray();
        List<Diagnosis> errors = new ArrayList<>();
        for (Fetched f : fetched) {
          if (f.selector != k) {
            continue;
          }
          Assignment a = f.assignment;
          JsonObject b = new JsonObject().put("name", a.backend()).put("range", range(a.startMs(), a.endMs()))
              .put("windows", new JsonArray(a.windows()));
          if (f.data.succeeded()) {
            SelectorData d = f.data.result();
            total = total.plus(d);
            b.put("series", d.liveSeries()).put("samples", d.samples());
          } else {
            String cause = causeOf(f.data.cause());
            b.put("series", 0).put("samples", 0).put("error", cause);
            errors.add(new Diagnosis(selector, Diagnosis.Code.BACKEND_ERROR, "backend " + a.backend()
                + " failed for " + Times.range(a.startMs(), a.endMs()) + ": " + cause
                + "; its part of the data is missing", List.of("check the backend's health on the status page (/)",
                "retry; with partial_response=false the query fails instead of answering without it")));
          }
          backends.add(b);
        }
        JsonArray pruned = new JsonArray();
        for (Pruned p : sp.pruned()) {
          pruned.add(new JsonObject().put("name", p.backend()).put("reason", p.reason().name().toLowerCase(java.util.Locale.ROOT))
              .put("detail", p.detail()));
        }
        planJson.add(new JsonObject().put("selector", selector)
            .put("range", range(sp.selector().startMs(), sp.selector().endMs()))
            .put("backends", backends).put("pruned", pruned).put("series", total.liveSeries())
            .put("samples", total.samples()));
        if (total.liveSeries() > 0) {
          // Data came back: a failed backend makes the answer partial, it does not explain an empty one.
          errors.forEach(d -> notes.add("partial response: " + d.message()));
          dedupNote(selector, total).ifPresent(notes::add);
          diagnoses.add(Future.succeededFuture(List.of()));
        } else {
          diagnoses.add(diagnoser.diagnose(sp, selector, total).map(more -> {
            List<Diagnosis> all = new ArrayList<>(errors);
            all.addAll(more);
            return all;
          }));
        }
      }
      return Future.all(diagnoses).map(all -> {
        JsonArray diag = new JsonArray();
        for (int i = 0; i < diagnoses.size(); i++) {
          for (Diagnosis d : diagnoses.get(i).result()) {
            diag.add(d.toJson());
          }
        }
        return new JsonObject().put("query", Printer.print(expr)).put("tenant", tenant)
            .put("range", range(start, end)).put("step", step / 1000.0).put("route", plan.routeKey().orElse(null))
            .put("plan", planJson).put("diagnoses", diag).put("notes", notes);
      });
    });
  }

  /** Series of several replicas (or backends) that become one after dropping the replica labels. */
  private java.util.Optional<String> dedupNote(String selector, SelectorData total) {
    java.util.Set<io.promgate.model.Labels> distinct = new java.util.HashSet<>();
    total.labels().forEach(l -> distinct.add(l.without(replicaLabels)));
    if (distinct.size() == total.labels().size()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(selector + ": " + total.labels().size() + " series from the backends merge into "
        + distinct.size() + (replicaLabels.isEmpty() ? "" : " (replica labels " + replicaLabels + " dropped, then deduplicated)"));
  }

  // ---- calls shared with the diagnoser: always this tenant, always guarded by a timeout ----

  Future<SelectorData> select(String backend, String tenant, long mint, long maxt, SelectHints hints,
      List<LabelMatcher> matchers, boolean instant) {
    BackendStore store = stores.get(backend);
    if (store == null) {
      return Future.failedFuture("backend " + backend + " is not available to explain");
    }
    Map<String, String> ext = TimeRangePlanner.externalLabels(configs.get(backend));
    return withTimeout(store.select(tenant, mint, maxt, hints, matchers))
        .compose(set -> vertx.executeBlocking(() -> SelectorData.of(set, mint, maxt, instant, ext), false));
  }

  Future<List<String>> labelValues(String backend, String tenant, String name, List<LabelMatcher> matchers) {
    return withTimeout(stores.get(backend).labelValues(tenant, name, MIN_TIME, MAX_TIME, matchers));
  }

  Future<List<io.promgate.model.Labels>> series(String backend, String tenant, List<LabelMatcher> matchers) {
    return withTimeout(stores.get(backend).series(tenant, MIN_TIME, MAX_TIME, List.of(matchers)));
  }

  /** Values of a label over every backend of this tenant (template variables of dashboards). */
  public Future<List<String>> tenantLabelValues(String tenant, String label, List<LabelMatcher> matchers) {
    List<Future<List<String>>> calls = tenantBackends(tenant).stream()
        .map(b -> labelValues(b, tenant, label, matchers)).toList();
    return Future.join(calls).transform(ignored -> {
      java.util.TreeSet<String> out = new java.util.TreeSet<>();
      calls.stream().filter(Future::succeeded).forEach(f -> out.addAll(f.result()));
      return Future.succeededFuture(List.copyOf(out));
    });
  }

  /** Every backend routed for this tenant at any time (never another tenant's backends). */
  List<String> tenantBackends(String tenant) {
    QueryPlan all = planner.plan(tenant, List.of(new SelectorRequest(List.of(), MIN_TIME, MAX_TIME)));
    return all.selectors().get(0).assignments().stream().map(Assignment::backend).filter(stores::containsKey)
        .distinct().toList();
  }

  Map<String, BackendConfig> configs() {
    return configs;
  }

  private <T> Future<T> withTimeout(Future<T> f) {
    return f.timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }

  static String selectorText(List<LabelMatcher> matchers) {
    String name = null;
    StringBuilder sb = new StringBuilder();
    for (LabelMatcher m : matchers) {
      if (m.name().equals("__name__") && m.type() == LabelMatcher.Type.EQ && name == null) {
        name = m.value();
        continue;
      }
      sb.append(sb.length() == 0 ? "" : ", ").append(Printer.matcher(m));
    }
    String body = sb.length() == 0 ? "" : "{" + sb + "}";
    return name == null ? (body.isEmpty() ? "{}" : body) : name + body;
  }

  static JsonObject range(long s, long e) {
    return new JsonObject().put("start", s / 1000.0).put("end", e / 1000.0);
  }

  static String causeOf(Throwable t) {
    String m = t.getMessage();
    if ((m == null || m.isBlank()) && t.getCause() != null) {
      m = t.getCause().getMessage();
    }
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }
}
