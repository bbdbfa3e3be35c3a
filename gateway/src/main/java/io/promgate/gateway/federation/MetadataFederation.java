package io.promgate.gateway.federation;

import io.promgate.gateway.backend.ApiRequest;
import io.promgate.gateway.backend.ApiResponse;
import io.promgate.gateway.backend.prometheus.PrometheusStore;
import io.promgate.gateway.http.ApiException;
import io.promgate.gateway.http.ErrorType;
import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.promql.parser.PromQLParser;
import io.promgate.routing.config.BackendConfig;
import io.promgate.routing.plan.Assignment;
import io.promgate.routing.plan.QueryPlan;
import io.promgate.routing.plan.SelectorPlan;
import io.promgate.routing.plan.SelectorRequest;
import io.promgate.routing.plan.TimeRangePlanner;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * {@code series}, {@code labels}, {@code label/<name>/values} and {@code metadata} across the backends the
 * planner picks for each tenant and {@code match[]} over {@code [start, end]}: the same pruning, the same
 * identity (external labels, {@code __tenant_id__}), replica labels removed when deduplicating, merged and
 * sorted; failures are warnings or 503 as for queries. A tenant only ever reaches its own route's backends.
 */
public final class MetadataFederation {
  private final TimeRangePlanner planner;
  private final Map<String, BackendStore> stores;
  private final Map<String, BackendConfig> configs;
  private final FederatedQueryable guards;

  public MetadataFederation(TimeRangePlanner planner, Map<String, BackendStore> stores,
      Map<String, BackendConfig> configs, FederatedQueryable guards) {
    this.planner = planner;
    this.stores = Map.copyOf(stores);
    this.configs = Map.copyOf(configs);
    this.guards = guards;
  }

  /** One backend's part of a metadata call: its sub-range and the matcher lists routed to it. */
  private record Part(String tenant, String backend, long start, long end, List<List<LabelMatcher>> matchers) {}

  private List<Part> parts(ApiRequest r, boolean matchRequired) {
    MultiMap p = r.params();
    long start = ApiParams.time(p, "start", ApiParams.MIN_TIME);
    long end = ApiParams.time(p, "end", ApiParams.MAX_TIME);
    List<List<LabelMatcher>> sets = new ArrayList<>();
    for (String m : p.getAll("match[]")) {
      try {
        sets.add(PromQLParser.parseMetricSelector(m));
      } catch (RuntimeException e) {
        throw new ApiException(ErrorType.BAD_DATA, "invalid parameter \"match[]\": " + e.getMessage());
      }
    }
    if (sets.isEmpty()) {
      if (matchRequired) {
        throw new ApiException(ErrorType.BAD_DATA, "no match[] parameter provided");
      }
      sets.add(List.of());
    }
    List<Part> out = new ArrayList<>();
    for (String tenant : r.tenants().ids()) {
      List<SelectorRequest> reqs = new ArrayList<>();
      for (List<LabelMatcher> ms : sets) {
        if (FederatedQueryable.tenantMatches(ms, tenant)) {
          reqs.add(new SelectorRequest(ms.isEmpty() ? ms : FederatedQueryable.withoutTenantMatchers(ms), start, end));
        }
      }
      QueryPlan plan = planner.plan(tenant, reqs);
      Map<String, Part> byBackend = new LinkedHashMap<>();
      for (SelectorPlan sp : plan.selectors()) {
        for (Assignment a : sp.assignments()) {
          Part old = byBackend.get(a.backend());
          List<List<LabelMatcher>> ms = old == null ? new ArrayList<>() : new ArrayList<>(old.matchers());
          ms.add(sp.selector().matchers());
          byBackend.put(a.backend(), new Part(tenant, a.backend(), old == null ? a.startMs() : Math.min(old.start(),
              a.startMs()), old == null ? a.endMs() : Math.max(old.end(), a.endMs()), ms));
        }
      }
      out.addAll(byBackend.values());
    }
    return out;
  }

  private <T> Future<ApiResponse> fanOut(ApiRequest r, boolean matchRequired, FederatedQueryable.Options opts,
      BiFunction<Part, BackendStore, Future<T>> call, java.util.function.BiFunction<List<Part>, List<T>, String> render) {
    List<Part> parts;
    try {
      parts = parts(r, matchRequired);
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    List<Future<T>> fs = new ArrayList<>();
    for (Part part : parts) {
      fs.add(guards.guarded(part.backend(),
          () -> call.apply(part, stores.get(part.backend()).forClient(opts.clientHeaders()))));
    }
    boolean multi = r.tenants().ids().size() > 1;
    return Future.join(fs).transform(ignored -> {
      Map<String, String> failed = new LinkedHashMap<>();
      List<Part> okParts = new ArrayList<>();
      List<T> ok = new ArrayList<>();
      for (int i = 0; i < fs.size(); i++) {
        Part part = parts.get(i);
        if (fs.get(i).failed()) {
          failed.putIfAbsent(part.backend() + (multi ? " (tenant " + part.tenant() + ")" : ""),
              FederatedQueryable.causeOf(fs.get(i).cause()));
        } else {
          okParts.add(part);
          ok.add(fs.get(i).result());
        }
      }
      if (!failed.isEmpty() && !opts.partialResponse()) {
        return Future.failedFuture(new ApiException(ErrorType.UNAVAILABLE, FederatedQueryable.describe(failed)));
      }
      StringBuilder sb = new StringBuilder("{\"status\":\"success\",\"data\":").append(render.apply(okParts, ok));
      if (!failed.isEmpty()) {
        JsonArray w = new JsonArray();
        failed.forEach((b, c) -> w.add("backend " + b + " failed: " + c + " (partial response)"));
        sb.append(",\"warnings\":").append(w.encode());
      }
      return Future.succeededFuture(ApiResponse.json(200, io.vertx.core.buffer.Buffer.buffer(sb.append('}').toString())));
    });
  }

  private Map<String, String> identity(Part part, boolean multi) {
    Map<String, String> extra = new LinkedHashMap<>(TimeRangePlanner.externalLabels(configs.get(part.backend())));
    if (multi) {
      extra.put(FederatedQueryable.TENANT_LABEL, part.tenant());
    }
    return extra;
  }

  public Future<ApiResponse> series(ApiRequest r, FederatedQueryable.Options opts) {
    boolean multi = r.tenants().ids().size() > 1;
    return fanOut(r, true, opts, (part, store) -> store.series(part.tenant(), part.start(), part.end(), part.matchers()),
        (parts, results) -> {
          TreeSet<Labels> all = new TreeSet<>();
          for (int i = 0; i < parts.size(); i++) {
            Map<String, String> extra = identity(parts.get(i), multi);
            for (Labels l : results.get(i)) {
              all.add(RelabeledSeries.with(l, extra).without(opts.replicaLabels()));
            }
          }
          StringBuilder sb = new StringBuilder("[");
          for (Labels l : all) {
            if (sb.length() > 1) {
              sb.append(',');
            }
            ResultJson.labels(sb, l);
          }
          return sb.append(']').toString();
        });
  }

  public Future<ApiResponse> labelNames(ApiRequest r, FederatedQueryable.Options opts) {
    boolean multi = r.tenants().ids().size() > 1;
    return fanOut(r, false, opts, (part, store) -> store.labelNames(part.tenant(), part.start(), part.end(),
            part.matchers().size() == 1 ? part.matchers().get(0) : List.of()),
        (parts, results) -> {
          TreeSet<String> all = new TreeSet<>();
          for (int i = 0; i < parts.size(); i++) {
            all.addAll(results.get(i));
            all.addAll(identity(parts.get(i), multi).keySet());
          }
          all.removeAll(opts.replicaLabels());
          return Json.encode(new ArrayList<>(all));
        });
  }

  public Future<ApiResponse> labelValues(ApiRequest r, String name, FederatedQueryable.Options opts) {
    boolean multi = r.tenants().ids().size() > 1;
    return fanOut(r, false, opts, (part, store) -> {
          String ext = identity(part, multi).get(name);
          if (ext != null) {
            return Future.succeededFuture(List.of(ext));
          }
          return store.labelValues(part.tenant(), name, part.start(), part.end(),
              part.matchers().size() == 1 ? part.matchers().get(0) : List.of());
        },
        (parts, results) -> {
          TreeSet<String> all = new TreeSet<>();
          results.forEach(all::addAll);
          return Json.encode(new ArrayList<>(all));
        });
  }

  /** {@code /api/v1/metadata}: the union of the Prometheus and local backends' answers, first backend wins per metric. */
  public Future<ApiResponse> metricMetadata(ApiRequest r, FederatedQueryable.Options opts) {
    MultiMap params = r.params();
    return fanOut(r, false, opts, (part, store) -> store instanceof PrometheusStore ps
            ? ps.metadata(part.tenant(), params)
            : store instanceof QueryableStore qs ? qs.metadata(part.tenant(), params)
            : Future.succeededFuture(new JsonObject()),
        (parts, results) -> {
          JsonObject all = new JsonObject();
          for (JsonObject o : results) {
            for (String k : o.fieldNames()) {
              if (!all.containsKey(k)) {
                all.put(k, o.getValue(k));
              }
            }
          }
          return all.encode();
        });
  }

  public Future<Void> close() {
    List<Future<Void>> fs = new ArrayList<>();
    stores.values().forEach(s -> fs.add(s.close()));
    return Future.join(fs).mapEmpty();
  }

}
