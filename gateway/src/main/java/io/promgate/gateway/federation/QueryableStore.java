package io.promgate.gateway.federation;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.Querier;
import io.promgate.model.Queryable;
import io.promgate.model.SelectHints;
import io.promgate.model.Series;
import io.promgate.model.SeriesSet;
import io.promgate.model.SeriesSets;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A blocking, in-process {@link Queryable} per tenant (the bundled store, {@code local}) as a
 * {@link BackendStore}: every call runs on a Vert.x worker, and the selected series are drained there, so
 * the event loop never waits for a disk read.
 */
public final class QueryableStore implements BackendStore {
  private final String name;
  private final Vertx vertx;
  private final Function<String, Queryable> perTenant;
  private final io.promgate.gateway.LocalStore metadataSource;

  public QueryableStore(String name, Vertx vertx, Function<String, Queryable> perTenant) {
    this(name, vertx, perTenant, null);
  }

  /** @param metadataSource answers {@code /api/v1/metadata} for this store, or null (no metadata) */
  public QueryableStore(String name, Vertx vertx, Function<String, Queryable> perTenant,
      io.promgate.gateway.LocalStore metadataSource) {
    this.name = name;
    this.vertx = vertx;
    this.perTenant = perTenant;
    this.metadataSource = metadataSource;
  }

  /** The {@code data} object of {@code /api/v1/metadata} ({@code metric}, {@code limit}), on a worker. */
  public Future<io.vertx.core.json.JsonObject> metadata(String tenant, io.vertx.core.MultiMap params) {
    if (metadataSource == null) {
      return Future.succeededFuture(new io.vertx.core.json.JsonObject());
    }
    String limit = params.get("limit");
    int n;
    try {
      n = limit == null || limit.isEmpty() ? -1 : Integer.parseInt(limit);
    } catch (NumberFormatException e) {
      return Future.failedFuture(new io.promgate.gateway.http.ApiException(io.promgate.gateway.http.ErrorType.BAD_DATA,
          "invalid parameter \"limit\": strconv.Atoi: parsing \"" + limit + "\": invalid syntax"));
    }
    return vertx.executeBlocking(() -> metadataSource.metricMetadata(tenant, params.get("metric"), n), false);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean inProcess() {
    return true;
  }

  @Override
  public Future<SeriesSet> select(String tenant, long mint, long maxt, SelectHints hints, List<LabelMatcher> matchers) {
    return select(tenant, mint, maxt, hints, matchers, l -> true);
  }

  /** Reads series only while {@code admit} takes them: an over-limit query stops at its limit. */
  @Override
  public Future<SeriesSet> select(String tenant, long mint, long maxt, SelectHints hints, List<LabelMatcher> matchers,
      java.util.function.Predicate<Labels> admit) {
    if (Context.isOnWorkerThread()) {
      // Already off the event loop (see inProcess): read here rather than queue another worker task.
      try {
        return Future.succeededFuture(selectNow(tenant, mint, maxt, hints, matchers, admit));
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
    return vertx.executeBlocking(() -> selectNow(tenant, mint, maxt, hints, matchers, admit), false);
  }

  private SeriesSet selectNow(String tenant, long mint, long maxt, SelectHints hints, List<LabelMatcher> matchers,
      java.util.function.Predicate<Labels> admit) {
    try (Querier q = perTenant.apply(tenant).querier(mint, maxt)) {
      return BackendStore.admitted(q.select(true, hints, matchers), admit);
    }
  }

  @Override
  public Future<List<Labels>> series(String tenant, long mint, long maxt, List<List<LabelMatcher>> matcherSets) {
    return vertx.executeBlocking(() -> {
      Set<Labels> out = new LinkedHashSet<>();
      try (Querier q = perTenant.apply(tenant).querier(mint, maxt)) {
        for (List<LabelMatcher> ms : matcherSets) {
          SeriesSet s = q.select(true, new SelectHints(mint, maxt, 0, 0, "series", List.of(), false), ms);
          while (s.next()) {
            out.add(s.at().labels());
          }
        }
      }
      return new ArrayList<>(out);
    }, false);
  }

  @Override
  public Future<List<String>> labelNames(String tenant, long mint, long maxt, List<LabelMatcher> matchers) {
    return vertx.executeBlocking(() -> {
      try (Querier q = perTenant.apply(tenant).querier(mint, maxt)) {
        return q.labelNames(matchers);
      }
    }, false);
  }

  @Override
  public Future<List<String>> labelValues(String tenant, String label, long mint, long maxt,
      List<LabelMatcher> matchers) {
    return vertx.executeBlocking(() -> {
      try (Querier q = perTenant.apply(tenant).querier(mint, maxt)) {
        return q.labelValues(label, matchers);
      }
    }, false);
  }
}
