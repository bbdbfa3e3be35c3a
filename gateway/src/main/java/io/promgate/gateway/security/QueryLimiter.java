package io.promgate.gateway.security;

import io.promgate.gateway.backend.ApiRequest;
import io.promgate.gateway.http.ApiException;
import io.promgate.gateway.http.Endpoint;
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
 * {@code tenancy.limits} on read calls (issue 12): a range query longer than the tenant's
 * {@code max-query-range} is refused (400 {@code bad_data}, like Mimir's "query time range exceeds the
 * limit"), and beyond {@code max-concurrent-queries} calls in flight for one tenant the next is refused at
 * once with 429 {@code too_many_requests} (a bulkhead without a queue: Grafana retries, and a queue would
 * only hide the overload). For {@code a|b} every tenant's limits apply. Unparsable times are left to the
 * backend, which answers them with its own 400.
 *
 * <p>A call counts as in flight until its response is ready to stream; the counters are per tenant and
 * lock-free, and a refused call never touches a backend.
 */
public final class QueryLimiter {
  public static final QueryLimiter NONE = new QueryLimiter(SecurityConfig.Limits.NONE);

  private final SecurityConfig.Limits limits;
  private final ConcurrentHashMap<String, AtomicInteger> inflight = new ConcurrentHashMap<>();

  private QueryLimiter(SecurityConfig.Limits limits) {
    this.limits = limits;
  }

  public static QueryLimiter of(SecurityConfig.Limits limits) {
    return limits.equals(SecurityConfig.Limits.NONE) ? NONE : new QueryLimiter(limits);
  }

  /** Runs {@code call} when {@code r}'s tenants may; else a failed future with the refusal. */
  public <T> Future<T> guard(ApiRequest r, Supplier<Future<T>> call) {
    if (this == NONE || !limited(r.endpoint())) {
      return call.get();
    }
    if (r.endpoint() == Endpoint.QUERY_RANGE) {
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
        return Future.failedFuture(new ApiException(io.promgate.gateway.http.ErrorType.TOO_MANY_REQUESTS,
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
    return taken.isEmpty() ? f : f.onComplete(ar -> taken.forEach(AtomicInteger::decrementAndGet));
  }

  /** In flight for {@code tenant} now (tests, metrics). */
  public int inflight(String tenant) {
    AtomicInteger n = inflight.get(tenant);
    return n == null ? 0 : n.get();
  }

  private ApiException checkRange(ApiRequest r) {
    MultiMap p = r.params();
    long start;
    long end;
    try {
      start = ApiParams.parseTime(p.get("start"));
      end = ApiParams.parseTime(p.get("end"));
    } catch (RuntimeException unparsable) {
      return null;
    }
    for (String t : r.tenants().ids()) {
      var max = limits.forTenant(t).maxQueryRange();
      if (max.isPresent() && end - start > max.get().toMillis()) {
        return new ApiException(io.promgate.gateway.http.ErrorType.BAD_DATA, "the query time range exceeds the limit"
            + " (query length: " + seconds(end - start) + ", limit: max-query-range " + seconds(max.get().toMillis())
            + " for tenant \"" + t + "\")");
      }
    }
    return null;
  }

  private static String seconds(long ms) {
    return Duration.ofMillis(ms).toSeconds() + "s";
  }

  private static boolean limited(Endpoint e) {
    return switch (e) {
      case QUERY, QUERY_RANGE, SERIES, LABELS, LABEL_VALUES, QUERY_EXEMPLARS, METADATA -> true;
      default -> false;
    };
  }
}
