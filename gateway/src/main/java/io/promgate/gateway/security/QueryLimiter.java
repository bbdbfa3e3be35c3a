package io.promgate.gateway.security;

import io.promgate.gateway.backend.ApiRequest;
import io.promgate.gateway.http.ApiException;
import io.promgate.gateway.http.Endpoint;
import io.promgate.gateway.http.ErrorType;
import io.promgate.promql.analysis.SelectorRange;
import io.promgate.promql.analysis.SelectorRanges;
import io.promgate.promql.parser.Printer;
import io.vertx.core.Promise;
import java.util.Optional;
import io.promgate.promql.parser.ApiParams;
import io.promgate.routing.config.SecurityConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * {@code tenancy.limits} on read calls (issue 12), checked at the edge before any backend is asked:
 * <ul>
 *   <li>{@code max-query-range}: a range query longer than it, or a selector or subquery reaching further
 *   back than it ({@code x[30d]}), is refused with 400 {@code bad_data}, like Mimir's "query time range
 *   exceeds the limit";</li>
 *   <li>{@code max-concurrent-queries}: beyond it the next call is refused at once with 429
 *   {@code too_many_requests} (a bulkhead without a queue: Grafana retries, and a queue would only hide the
 *   overload);</li>
 *   <li>{@code query-timeout}: a call not answered by then gets 503 {@code timeout} (Prometheus' status for
 *   its own query timeout); the engine gets the same deadline;</li>
 *   <li>{@code max-request-body}: the largest POST body of a read call (413).</li>
 * </ul>
 * {@code max-series-per-query} and {@code max-samples-per-query} need the fetched data and are enforced by
 * the federation ({@code FederatedBackend}). For {@code a|b} every tenant's limits apply. Unparsable times
 * or queries are left to the backend, which answers them with its own 400. Every refusal names the limit and
 * its value and is counted in {@code promgate_limit_refusals_total{limit,tenant}}.
 *
 * <p>A call counts as in flight until its backend call completes (even past a timeout: the work is still
 * being done); the counters are per tenant and lock-free, and a refused call never touches a backend.
 */
public final class QueryLimiter {
  public static final QueryLimiter NONE = new QueryLimiter(SecurityConfig.Limits.NONE,
      new io.promgate.gateway.metrics.LimitRefusals());

  private final SecurityConfig.Limits limits;
  private final ConcurrentHashMap<String, AtomicInteger> inflight = new ConcurrentHashMap<>();
  private final io.promgate.gateway.metrics.LimitRefusals refusals;

  private final boolean unlimited;

  private QueryLimiter(SecurityConfig.Limits limits, io.promgate.gateway.metrics.LimitRefusals refusals) {
    this.limits = limits;
    this.refusals = refusals;
    this.unlimited = limits.equals(SecurityConfig.Limits.NONE);
  }

  /** A limiter counting its refusals into {@code refusals} (the server's, {@code SelfMetrics.limitRefusals()}). */
  public static QueryLimiter of(SecurityConfig.Limits limits, io.promgate.gateway.metrics.LimitRefusals refusals) {
    return new QueryLimiter(limits, refusals);
  }

  /** Runs {@code call} when {@code r}'s tenants may; else a failed future with the refusal. */
  public <T> Future<T> guard(ApiRequest r, Supplier<Future<T>> call) {
    if (unlimited || !limited(r.endpoint())) {
      return call.get();
    }
    if (r.endpoint() == Endpoint.QUERY_RANGE || r.endpoint() == Endpoint.QUERY) {
      ApiException tooLong = checkRange(r);
      if (tooLong != null) {
        return Future.failedFuture(tooLong);
      }
    }
    List<AtomicInteger> taken = new ArrayList<>();
    for (String t : r.tenants().ids()) {
      int max = limits.forTenant(t).maxConcurrentQueries();
      if (max <= 0) {
        continue;
      }
      AtomicInteger n = inflight.computeIfAbsent(t, k -> new AtomicInteger());
      if (n.incrementAndGet() > max) {
        n.decrementAndGet();
        taken.forEach(AtomicInteger::decrementAndGet);
        return Future.failedFuture(ApiException.limit(ErrorType.TOO_MANY_REQUESTS, t, "max-concurrent-queries",
            "too many concurrent queries for tenant \"" + t + "\" (limit: max-concurrent-queries " + max + ")"));
      }
      taken.add(n);
    }
    Future<T> f;
    try {
      f = call.get();
    } catch (RuntimeException e) {
      taken.forEach(AtomicInteger::decrementAndGet);
      throw e;
    }
    if (!taken.isEmpty()) {
      f = f.onComplete(ar -> taken.forEach(AtomicInteger::decrementAndGet));
    }
    return withTimeout(r, f);
  }

  /** The tenants' shortest {@code query-timeout}: then the call fails with 503 {@code timeout}. */
  private <T> Future<T> withTimeout(ApiRequest r, Future<T> f) {
    String tenant = null;
    Duration shortest = null;
    for (String t : r.tenants().ids()) {
      Optional<Duration> d = limits.forTenant(t).queryTimeout();
      if (d.isPresent() && (shortest == null || d.get().compareTo(shortest) < 0)) {
        shortest = d.get();
        tenant = t;
      }
    }
    io.vertx.core.Context ctx = io.vertx.core.Vertx.currentContext();
    if (shortest == null || ctx == null || f.isComplete()) {
      return f;
    }
    Promise<T> p = Promise.promise();
    String who = tenant;
    long ms = shortest.toMillis();
    long timer = ctx.owner().setTimer(Math.max(1, ms), id -> p.tryFail(ApiException.limit(ErrorType.TIMEOUT, who,
        "query-timeout", "query timed out after " + seconds(ms) + " (limit: query-timeout " + seconds(ms)
        + " for tenant \"" + who + "\")")));
    f.onComplete(ar -> {
      ctx.owner().cancelTimer(timer);
      if (ar.succeeded()) {
        p.tryComplete(ar.result());
      } else {
        p.tryFail(ar.cause());
      }
    });
    return p.future();
  }

  /** The largest POST body a read call of {@code tenants} may send (the smallest of their limits). */
  public long maxRequestBody(io.promgate.tenant.TenantSet tenants) {
    long max = Long.MAX_VALUE;
    for (String t : tenants.ids()) {
      max = Math.min(max, limits.forTenant(t).maxRequestBody());
    }
    return max;
  }

  /** Counts a refused call when {@code failure} is a limit's refusal. */
  public void counted(Throwable failure) {
    if (failure instanceof ApiException a && a.limit() != null) {
      refusals.refused(a.limit(), a.tenant());
    }
  }

  /** In flight for {@code tenant} now (tests, metrics). */
  public int inflight(String tenant) {
    AtomicInteger n = inflight.get(tenant);
    return n == null ? 0 : n.get();
  }

  private ApiException checkRange(ApiRequest r) {
    MultiMap p = r.params();
    boolean range = r.endpoint() == Endpoint.QUERY_RANGE;
    long start;
    long end;
    try {
      if (range) {
        start = ApiParams.parseTime(p.get("start"));
        end = ApiParams.parseTime(p.get("end"));
      } else {
        // Only differences matter here, so an instant query without time= can be read at 0.
        start = p.get("time") == null ? 0 : ApiParams.parseTime(p.get("time"));
        end = start;
      }
    } catch (RuntimeException unparsable) {
      return null;
    }
    if (range) {
      ApiException tooFine = checkPoints(r, start, end);
      if (tooFine != null) {
        return tooFine;
      }
    }
    List<SelectorRange> selectors = null;
    for (String t : r.tenants().ids()) {
      var max = limits.forTenant(t).maxQueryRange();
      if (max.isEmpty()) {
        continue;
      }
      long maxMs = max.get().toMillis();
      if (end - start > maxMs) {
        return tooLong(t, "query length", end - start, maxMs);
      }
      if (selectors == null) {
        try {
          selectors = SelectorRanges.of(r.expr(), start, end, 0);
        } catch (RuntimeException unparsable) {
          return null;
        }
      }
      // How far before start a selector reads: its own range plus any enclosing subquery's (offsets and
      // @ move the window, they do not widen it).
      for (SelectorRange s : selectors) {
        long reach = (s.maxTime() - s.minTime() + 1) - (end - start); // windows are left-open: (t-range, t]
        if (reach > maxMs) {
          return tooLong(t, "range of " + Printer.print(s.selector()) + " and its subqueries", reach, maxMs);
        }
      }
    }
    return null;
  }

  /**
   * A tenant's {@code max-points-per-series}: Prometheus' own resolution check (11,000 points, which the
   * engine keeps for everyone) with a tenant's lower bound, and its message.
   */
  private ApiException checkPoints(ApiRequest r, long start, long end) {
    long step;
    try {
      step = ApiParams.parseDuration(r.params().get("step"));
    } catch (RuntimeException unparsable) {
      return null; // the API's own validation answers it
    }
    if (step <= 0 || end < start) {
      return null;
    }
    long points = (end - start) / step + 1;
    for (String t : r.tenants().ids()) {
      long max = limits.forTenant(t).maxPointsPerSeries();
      if (max > 0 && points > max) {
        return ApiException.limit(ErrorType.BAD_DATA, t, "max-points-per-series", "exceeded maximum resolution of "
            + max + " points per timeseries. Try decreasing the query resolution (?step=XX) (limit: "
            + "max-points-per-series " + max + " for tenant \"" + t + "\")");
      }
    }
    return null;
  }

  private ApiException tooLong(String tenant, String what, long ms, long maxMs) {
    return ApiException.limit(ErrorType.BAD_DATA, tenant, "max-query-range", "the query time range exceeds the limit ("
        + what + ": " + seconds(ms) + ", limit: max-query-range " + seconds(maxMs) + " for tenant \"" + tenant + "\")");
  }

  /** Whole seconds as {@code 86400s}, anything finer as {@code 300ms}. */
  public static String seconds(long ms) {
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  private static boolean limited(Endpoint e) {
    return switch (e) {
      case QUERY, QUERY_RANGE, SERIES, LABELS, LABEL_VALUES, QUERY_EXEMPLARS, METADATA -> true;
      default -> false;
    };
  }
}
