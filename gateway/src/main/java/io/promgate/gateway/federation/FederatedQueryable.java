package io.promgate.gateway.federation;

import io.promgate.gateway.http.ApiException;
import io.promgate.gateway.http.ErrorType;
import io.promgate.model.LabelMatcher;
import io.promgate.model.SelectHints;
import io.promgate.model.Series;
import io.promgate.model.SeriesSet;
import io.promgate.model.SeriesSets;
import io.promgate.model.merge.MergingSeriesSet;
import io.promgate.model.merge.ReplicaDeduplicator;
import io.promgate.routing.config.BackendConfig;
import io.promgate.routing.plan.Assignment;
import io.promgate.routing.plan.QueryPlan;
import io.promgate.routing.plan.SelectorPlan;
import io.promgate.routing.plan.SelectorRequest;
import io.promgate.routing.plan.TimeRangePlanner;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fan-out: for every distinct selector of a query and every tenant read, asks each planned backend
 * for the raw data of its sub-range, all at once ("populate first"), and when every call has completed
 * hands back a {@link Prefetched} for the engine. Thanos' ProxyStore is the model: a proxy that is itself
 * a store, k-way merging sorted series of all stores.
 *
 * <p>Identity: a backend's external labels are set on its series (as Thanos does); with several tenants
 * ({@code a|b}) each series gets {@code __tenant_id__}, and matchers on {@code __tenant_id__} choose the
 * tenants instead of being sent to backends (Mimir's semantics). Then: merge by labels (backends whose
 * ranges overlap merged by timestamp, route order wins equal timestamps), then replica dedup.
 *
 * <p>Failures: each call goes through the backend's {@link BackendGuard}. A failed backend becomes a
 * warning naming it and the cause when partial responses are allowed, else the whole fetch fails with
 * {@code unavailable} (503). Failures of a backend are reported once per request, not per selector.
 */
public final class FederatedQueryable {
  public static final String TENANT_LABEL = "__tenant_id__";

  /**
   * Per request: partial responses allowed, the replica labels to deduplicate on (empty: no dedup), and the
   * client's headers (backends pick their {@code forward-headers} from them; null: none).
   */
  public record Options(boolean partialResponse, Set<String> replicaLabels, io.vertx.core.MultiMap clientHeaders) {
    public Options {
      replicaLabels = Set.copyOf(replicaLabels);
    }

    public Options(boolean partialResponse, Set<String> replicaLabels) {
      this(partialResponse, replicaLabels, null);
    }
  }

  private final TimeRangePlanner planner;
  private final Map<String, BackendStore> stores;
  private final Map<String, BackendConfig> configs;
  private final GuardRegistry guards;

  public FederatedQueryable(TimeRangePlanner planner, Map<String, BackendStore> stores,
      Map<String, BackendConfig> configs, GuardRegistry guards) {
    this.planner = planner;
    this.stores = Map.copyOf(stores);
    this.configs = Map.copyOf(configs);
    this.guards = guards;
  }

  public TimeRangePlanner planner() {
    return planner;
  }

  private record Call(int use, String tenant, String backend, Future<SeriesSet> result) {}

  /**
   * Whether every backend the fetch would call is {@linkplain BackendStore#inProcess in-process}; then
   * {@link #prefetch} called on a worker thread completes before it returns.
   */
  public boolean inProcessOnly(List<String> tenants, List<SelectorRanges.Use> uses) {
    for (String tenant : tenants) {
      List<SelectorRequest> reqs = new ArrayList<>();
      for (SelectorRanges.Use u : uses) {
        if (tenantMatches(u.matchers(), tenant)) {
          reqs.add(new SelectorRequest(withoutTenantMatchers(u.matchers()), u.startMs(), u.endMs()));
        }
      }
      for (SelectorPlan sp : planner.plan(tenant, reqs).selectors()) {
        for (Assignment a : sp.assignments()) {
          BackendStore store = stores.get(a.backend());
          if (store == null || !store.inProcess()) {
            return false;
          }
        }
      }
    }
    return true;
  }

  public Future<Prefetched> prefetch(List<String> tenants, List<SelectorRanges.Use> uses, long step, Options opts) {
    return prefetch(tenants, uses, step, opts, 0);
  }

  /**
   * The fetch, stopped as soon as more than {@code maxSeries} series are certain ({@link SeriesBudget}): it
   * then fails with {@link SeriesBudget.Exceeded} at once, whatever other backends are still doing.
   *
   * @param maxSeries the query's {@code max-series-per-query}; 0: none
   */
  public Future<Prefetched> prefetch(List<String> tenants, List<SelectorRanges.Use> uses, long step, Options opts,
      long maxSeries) {
    SeriesBudget budget = new SeriesBudget(maxSeries, opts.replicaLabels());
    boolean multi = tenants.size() > 1;
    List<Call> calls = new ArrayList<>();
    for (String tenant : tenants) {
      List<Integer> useIndex = new ArrayList<>();
      List<SelectorRequest> reqs = new ArrayList<>();
      for (int i = 0; i < uses.size(); i++) {
        SelectorRanges.Use u = uses.get(i);
        if (!tenantMatches(u.matchers(), tenant)) {
          continue;
        }
        useIndex.add(i);
        reqs.add(new SelectorRequest(withoutTenantMatchers(u.matchers()), u.startMs(), u.endMs()));
      }
      QueryPlan plan = planner.plan(tenant, reqs);
      for (int k = 0; k < plan.selectors().size(); k++) {
        SelectorPlan sp = plan.selectors().get(k);
        SelectorRanges.Use u = uses.get(useIndex.get(k));
        for (Assignment a : sp.assignments()) {
          SelectHints hints = new SelectHints(a.startMs(), a.endMs(), step, 0, u.func(), List.of(), false);
          java.util.function.Predicate<io.promgate.model.Labels> admit = budget.forCall(u.matchers());
          Future<SeriesSet> f = guarded(a.backend(), () -> budget.limited()
              ? stores.get(a.backend()).forClient(opts.clientHeaders())
                  .select(tenant, a.startMs(), a.endMs(), hints, sp.selector().matchers(), admit)
              : stores.get(a.backend()).forClient(opts.clientHeaders())
                  .select(tenant, a.startMs(), a.endMs(), hints, sp.selector().matchers()));
          calls.add(new Call(useIndex.get(k), tenant, a.backend(), f));
        }
      }
    }
    List<Future<SeriesSet>> all = calls.stream().map(Call::result).toList();
    Future<Prefetched> fetched = Future.join(all).transform(ignored -> {
      SeriesBudget.Exceeded over = budget.exceeded();
      return over != null ? Future.<Prefetched>failedFuture(over) : assemble(calls, uses, multi, opts);
    });
    if (!budget.limited()) {
      return fetched;
    }
    Promise<Prefetched> out = Promise.promise();
    fetched.onComplete(ar -> {
      if (ar.succeeded()) {
        out.tryComplete(ar.result());
      } else {
        out.tryFail(ar.cause());
      }
    });
    budget.whenExceeded().onFailure(out::tryFail);
    return out.future();
  }

  private Future<Prefetched> assemble(List<Call> calls, List<SelectorRanges.Use> uses, boolean multi, Options opts) {
    Map<String, String> failed = new LinkedHashMap<>();
    List<List<SeriesSet>> perUse = new ArrayList<>();
    for (int i = 0; i < uses.size(); i++) {
      perUse.add(new ArrayList<>());
    }
    Set<String> warnings = new LinkedHashSet<>();
    for (Call c : calls) {
      if (c.result.failed()) {
        failed.putIfAbsent(c.backend + (multi ? " (tenant " + c.tenant + ")" : ""), causeOf(c.result.cause()));
        continue;
      }
      perUse.get(c.use).add(relabeled(c.result.result(), c.backend, multi ? c.tenant : null, warnings));
    }
    if (!failed.isEmpty()) {
      if (!opts.partialResponse()) {
        return Future.failedFuture(new ApiException(ErrorType.UNAVAILABLE, describe(failed)));
      }
      failed.forEach((b, cause) -> warnings.add("backend " + b + " failed: " + cause + " (partial response)"));
    }
    Map<java.util.List<LabelMatcher>, List<Series>> out = new HashMap<>();
    ReplicaDeduplicator dedup = new ReplicaDeduplicator(opts.replicaLabels());
    for (int i = 0; i < uses.size(); i++) {
      SeriesSet merged = MergingSeriesSet.of(perUse.get(i));
      SeriesSet deduped = dedup.dedup(merged, uses.get(i).func());
      out.put(uses.get(i).matchers(), SeriesSets.toList(deduped));
      warnings.addAll(merged.warnings());
    }
    return Future.succeededFuture(new Prefetched(out, new ArrayList<>(warnings)));
  }

  /** Sorted, relabeled copy of one backend's answer. */
  private SeriesSet relabeled(SeriesSet set, String backend, String tenant, Set<String> warnings) {
    Map<String, String> extra = new LinkedHashMap<>(TimeRangePlanner.externalLabels(configs.get(backend)));
    if (tenant != null) {
      extra.put(TENANT_LABEL, tenant);
    }
    List<Series> list = new ArrayList<>();
    while (set.next()) {
      Series s = set.at();
      list.add(extra.isEmpty() ? s : new RelabeledSeries(RelabeledSeries.with(s.labels(), extra), s));
    }
    warnings.addAll(set.warnings());
    list.sort((a, b) -> a.labels().compareTo(b.labels()));
    return SeriesSets.of(list);
  }

  <T> Future<T> guarded(String backend, java.util.function.Supplier<Future<T>> call) {
    BackendGuard g = guards.guard(backend, timeoutOf(configs.get(backend)), guardOf(configs.get(backend)));
    return g.call(call);
  }

  static io.promgate.routing.config.BackendClient.Guard guardOf(BackendConfig c) {
    if (c instanceof BackendConfig.Prometheus p) {
      return p.guard();
    }
    if (c instanceof BackendConfig.StoreApi s) {
      return s.guard();
    }
    return io.promgate.routing.config.BackendClient.Guard.DEFAULT;
  }

  static Duration timeoutOf(BackendConfig c) {
    if (c instanceof BackendConfig.Prometheus p) {
      return p.timeout();
    }
    if (c instanceof BackendConfig.StoreApi s) {
      return s.timeout();
    }
    return Duration.ofMinutes(2);
  }

  static String causeOf(Throwable t) {
    String m = t.getMessage();
    if (t.getCause() != null && t.getCause().getMessage() != null && (m == null || m.isBlank())) {
      m = t.getCause().getMessage();
    }
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }

  static String describe(Map<String, String> failed) {
    StringBuilder sb = new StringBuilder();
    failed.forEach((b, cause) -> {
      if (sb.length() > 0) {
        sb.append("; ");
      }
      sb.append("backend ").append(b).append(" failed: ").append(cause);
    });
    return sb.append(" (partial_response=false)").toString();
  }

  static boolean tenantMatches(List<LabelMatcher> matchers, String tenant) {
    for (LabelMatcher m : matchers) {
      if (m.name().equals(TENANT_LABEL) && !m.matches(tenant)) {
        return false;
      }
    }
    return true;
  }

  static List<LabelMatcher> withoutTenantMatchers(List<LabelMatcher> matchers) {
    List<LabelMatcher> out = new ArrayList<>(matchers.size());
    for (LabelMatcher m : matchers) {
      if (!m.name().equals(TENANT_LABEL)) {
        out.add(m);
      }
    }
    return out.isEmpty() ? matchers : out;
  }
}
