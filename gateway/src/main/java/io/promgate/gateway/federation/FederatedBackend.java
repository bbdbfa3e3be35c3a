package io.promgate.gateway.federation;

import io.promgate.gateway.backend.ApiRequest;
import io.promgate.gateway.backend.ApiResponse;
import io.promgate.gateway.backend.QueryBackend;
import io.promgate.gateway.http.ApiException;
import io.promgate.gateway.http.ErrorType;
import io.promgate.promql.ast.Expr;
import io.promgate.promql.engine.Engine;
import io.promgate.promql.engine.EngineException;
import io.promgate.promql.engine.QueryResult;
import io.promgate.promql.parser.ParseException;
import io.promgate.routing.config.BackendConfig;
import io.promgate.routing.plan.QueryPlan;
import io.promgate.routing.plan.SelectorRequest;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The read API over several backends (DESIGN.md, "Read path"). Per query: parse, work out the selectors'
 * data ranges, plan; when one PromQL-capable backend without external labels serves everything the query
 * reads, pass the query through unchanged (pushdown; also when our parser rejects a query such a backend
 * alone would serve, so another dialect still works); otherwise fetch everything concurrently through
 * {@link FederatedQueryable} and evaluate with the engine on a worker thread (never on the event loop).
 * Series, label names and label values are federated by {@link MetadataFederation}.
 */
public final class FederatedBackend implements QueryBackend {
  private final Vertx vertx;
  private final FederatedQueryable federation;
  private final Map<String, BackendConfig> configs;
  private final Map<String, QueryBackend> passThrough;
  private final MetadataFederation metadata;
  private final Engine engine;
  private final long lookbackMs;
  private final List<String> replicaLabels;
  private final boolean partialDefault;
  private final java.time.Clock clock;
  private final io.promgate.routing.config.SecurityConfig.Limits limits;

  /**
   * @param passThrough pass-through backends by name, for every {@code prometheus} backend (pushdown)
   */
  public FederatedBackend(Vertx vertx, FederatedQueryable federation, Map<String, BackendConfig> configs,
      Map<String, QueryBackend> passThrough, MetadataFederation metadata, Engine engine, long lookbackMs,
      List<String> replicaLabels, boolean partialDefault, java.time.Clock clock) {
    this(vertx, federation, configs, passThrough, metadata, engine, lookbackMs, replicaLabels, partialDefault, clock,
        io.promgate.routing.config.SecurityConfig.Limits.NONE);
  }

  /** With {@code tenancy.limits}' series, samples and timeout limits applied to evaluated queries. */
  public FederatedBackend(Vertx vertx, FederatedQueryable federation, Map<String, BackendConfig> configs,
      Map<String, QueryBackend> passThrough, MetadataFederation metadata, Engine engine, long lookbackMs,
      List<String> replicaLabels, boolean partialDefault, java.time.Clock clock,
      io.promgate.routing.config.SecurityConfig.Limits limits) {
    this.limits = limits;
    this.vertx = vertx;
    this.federation = federation;
    this.configs = Map.copyOf(configs);
    this.passThrough = Map.copyOf(passThrough);
    this.metadata = metadata;
    this.engine = engine;
    this.lookbackMs = lookbackMs;
    this.replicaLabels = List.copyOf(replicaLabels);
    this.partialDefault = partialDefault;
    this.clock = clock;
  }

  @Override
  public Future<ApiResponse> instantQuery(ApiRequest r) {
    return query(r, false);
  }

  @Override
  public Future<ApiResponse> rangeQuery(ApiRequest r) {
    return query(r, true);
  }

  private Future<ApiResponse> query(ApiRequest r, boolean range) {
    MultiMap p = r.params();
    String q = p.get("query");
    if (q == null || q.isEmpty()) {
      return Future.failedFuture(new ApiException(ErrorType.BAD_DATA, "invalid parameter \"query\": empty query"));
    }
    long now = clock.millis();
    long start;
    long end;
    long step;
    try {
      if (range) {
        start = ApiParams.time(p, "start", Long.MIN_VALUE);
        end = ApiParams.time(p, "end", Long.MIN_VALUE);
        if (start == Long.MIN_VALUE || end == Long.MIN_VALUE) {
          throw new ApiException(ErrorType.BAD_DATA, "invalid parameter \"" + (start == Long.MIN_VALUE ? "start" : "end")
              + "\": cannot parse \"\" to a valid timestamp");
        }
        step = ApiParams.duration(p, "step");
      } else {
        start = ApiParams.time(p, "time", now);
        end = start;
        step = 0;
      }
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    List<String> tenants = r.tenants().ids();
    Expr expr;
    try {
      expr = r.expr();
    } catch (ParseException e) {
      Optional<QueryBackend> only = tenants.size() == 1 ? pushdownTarget(federation.planner().plan(tenants.get(0),
          List.of(new SelectorRequest(List.of(), ApiParams.MIN_TIME, ApiParams.MAX_TIME)))) : Optional.empty();
      if (only.isPresent()) {
        return range ? only.get().rangeQuery(r) : only.get().instantQuery(r);
      }
      return Future.failedFuture(new ApiException(ErrorType.BAD_DATA, "invalid parameter \"query\": " + e.getMessage()));
    }
    List<SelectorRanges.Use> uses = SelectorRanges.of(expr, start, end, lookbackMs);
    if (tenants.size() == 1 && !uses.isEmpty()) {
      List<SelectorRequest> reqs = uses.stream()
          .map(u -> new SelectorRequest(FederatedQueryable.withoutTenantMatchers(u.matchers()), u.startMs(), u.endMs()))
          .toList();
      Optional<QueryBackend> only = pushdownTarget(federation.planner().plan(tenants.get(0), reqs));
      if (only.isPresent()) {
        return range ? only.get().rangeQuery(r) : only.get().instantQuery(r);
      }
    }
    FederatedQueryable.Options opts;
    try {
      opts = new FederatedQueryable.Options(ApiParams.bool(p, "partial_response", partialDefault),
          ApiParams.replicaLabels(p, replicaLabels), r.headers());
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    long s = start;
    long e = end;
    long st = step;
    TenantLimits lim = TenantLimits.of(limits, tenants, engine);
    if (federation.inProcessOnly(tenants, uses)) {
      // Only the embedded store: fetch (all selectors first, as ever) and evaluate in one worker task. Each
      // hand-over between event loop and workers waits for a thread to be scheduled, which on a busy host
      // cost more than small queries themselves.
      return vertx.executeBlocking(() -> {
        Future<Prefetched> fetched = federation.prefetch(tenants, uses, st, opts, lim.maxSeries());
        if (!fetched.isComplete()) {
          throw new IllegalStateException("in-process fetch did not complete on the worker");
        }
        if (fetched.failed()) {
          throw lim.refusal(fetched.cause());
        }
        return evaluate(lim, fetched.result(), expr, range, s, e, st);
      }, false);
    }
    return federation.prefetch(tenants, uses, step, opts, lim.maxSeries())
        .recover(err -> Future.failedFuture(lim.refusal(err)))
        .compose(data -> vertx.executeBlocking(() -> evaluate(lim, data, expr, range, s, e, st), false));
  }

  private static ApiResponse evaluate(TenantLimits lim, Prefetched data, Expr expr, boolean range, long s, long e,
      long st) {
    ApiException tooMany = lim.checkSeries(data);
    if (tooMany != null) {
      throw tooMany;
    }
    try {
      QueryResult res = range ? lim.engine.rangeQuery(data, expr, s, e, st) : lim.engine.instantQuery(data, expr, s);
      return ApiResponse.json(200, Buffer.buffer(ResultJson.render(res, data.warnings())));
    } catch (EngineException ex) {
      throw lim.refusal(ex);
    }
  }

  /**
   * The series, samples and timeout limits of the tenants a query reads (the strictest of each), and the
   * engine configured with them. A limit's refusal names the limit, its value and the tenant it belongs to.
   */
  private record TenantLimits(Engine engine, long maxSeries, String seriesTenant, long maxSamples,
      String samplesTenant, String timeoutTenant) {
    static TenantLimits of(io.promgate.routing.config.SecurityConfig.Limits limits, List<String> tenants, Engine base) {
      long series = 0;
      long samples = 0;
      java.time.Duration timeout = null;
      String seriesT = null;
      String samplesT = null;
      String timeoutT = null;
      for (String t : tenants) {
        var l = limits.forTenant(t);
        if (l.maxSeriesPerQuery() > 0 && (series == 0 || l.maxSeriesPerQuery() < series)) {
          series = l.maxSeriesPerQuery();
          seriesT = t;
        }
        if (l.maxSamplesPerQuery() > 0 && (samples == 0 || l.maxSamplesPerQuery() < samples)) {
          samples = l.maxSamplesPerQuery();
          samplesT = t;
        }
        if (l.queryTimeout().isPresent() && (timeout == null || l.queryTimeout().get().compareTo(timeout) < 0)) {
          timeout = l.queryTimeout().get();
          timeoutT = t;
        }
      }
      Engine e = samples == 0 && timeout == null ? base
          : base.withLimits(samples == 0 ? base.maxSamples() : samples, timeout == null ? base.timeout() : timeout);
      return new TenantLimits(e, series, seriesT, samples, samplesT, timeoutT);
    }

    ApiException checkSeries(Prefetched data) {
      if (maxSeries <= 0) {
        return null;
      }
      long n = 0;
      for (List<io.promgate.model.Series> l : data.series().values()) {
        n += l.size();
      }
      return n <= maxSeries ? null : tooManySeries(n);
    }

    private ApiException tooManySeries(long n) {
      return ApiException.limit(ErrorType.EXECUTION, seriesTenant, "max-series-per-query",
          "the query fetched " + n + " series, more than the limit (limit: max-series-per-query " + maxSeries
          + " for tenant \"" + seriesTenant + "\")");
    }

    /** A failed fetch as the caller sees it: a fetch stopped at the series limit is that limit's refusal. */
    Exception refusal(Throwable fetchFailure) {
      if (fetchFailure instanceof SeriesBudget.Exceeded over) {
        return tooManySeries(over.fetched());
      }
      return fetchFailure instanceof Exception ex ? ex : new IllegalStateException(fetchFailure);
    }

    ApiException refusal(EngineException ex) {
      ErrorType type = ErrorType.ofWireName(ex.type().apiName());
      if (type == ErrorType.EXECUTION && samplesTenant != null && ex.getMessage().contains("too many samples")) {
        return ApiException.limit(type, samplesTenant, "max-samples-per-query", ex.getMessage()
            + " (limit: max-samples-per-query " + maxSamples + " for tenant \"" + samplesTenant + "\")");
      }
      if (type == ErrorType.TIMEOUT && timeoutTenant != null) {
        return ApiException.limit(type, timeoutTenant, "query-timeout", ex.getMessage() + " (limit: query-timeout "
            + io.promgate.gateway.security.QueryLimiter.seconds(engine.timeout().toMillis()) + " for tenant \"" + timeoutTenant + "\")");
      }
      return new ApiException(type, ex.getMessage());
    }
  }

  /** The pass-through of the plan's sole backend, when it may take the query unchanged. */
  Optional<QueryBackend> pushdownTarget(QueryPlan plan) {
    return plan.soleBackend().filter(b -> configs.get(b) instanceof BackendConfig.Prometheus prom
        && prom.externalLabels().isEmpty()).map(passThrough::get);
  }

  /** The tenant's only backend when it can take anything unchanged (for endpoints we do not federate). */
  private Optional<QueryBackend> soleRoutedPassThrough(ApiRequest r) {
    if (r.tenants().ids().size() != 1) {
      return Optional.empty();
    }
    return pushdownTarget(federation.planner().plan(r.tenants().ids().get(0),
        List.of(new SelectorRequest(List.of(), ApiParams.MIN_TIME, ApiParams.MAX_TIME))));
  }

  @Override
  public Future<ApiResponse> series(ApiRequest r) {
    return soleRoutedPassThrough(r).map(b -> b.series(r)).orElseGet(() -> metadata.series(r, opts(r)));
  }

  @Override
  public Future<ApiResponse> labels(ApiRequest r) {
    return soleRoutedPassThrough(r).map(b -> b.labels(r)).orElseGet(() -> metadata.labelNames(r, opts(r)));
  }

  @Override
  public Future<ApiResponse> labelValues(ApiRequest r, String name) {
    return soleRoutedPassThrough(r).map(b -> b.labelValues(r, name))
        .orElseGet(() -> metadata.labelValues(r, name, opts(r)));
  }

  @Override
  public Future<ApiResponse> metadata(ApiRequest r) {
    return soleRoutedPassThrough(r).map(b -> b.metadata(r)).orElseGet(() -> metadata.metricMetadata(r, opts(r)));
  }

  @Override
  public Future<ApiResponse> other(ApiRequest r) {
    Optional<QueryBackend> first = soleRoutedPassThrough(r);
    if (first.isEmpty() && !passThrough.isEmpty()) {
      first = Optional.of(passThrough.values().iterator().next());
    }
    return first.map(b -> b.other(r)).orElseGet(() -> io.promgate.gateway.backend.LocalAnswers.answer(r));
  }

  private FederatedQueryable.Options opts(ApiRequest r) {
    MultiMap p = r.params();
    return new FederatedQueryable.Options(ApiParams.bool(p, "partial_response", partialDefault),
        ApiParams.replicaLabels(p, replicaLabels), r.headers());
  }

  @Override
  public Future<Boolean> ready() {
    return Future.succeededFuture(true);
  }

  @Override
  public String describe() {
    return "federation over " + configs.keySet();
  }

  @Override
  public Future<Void> close() {
    return metadata.close();
  }
}
