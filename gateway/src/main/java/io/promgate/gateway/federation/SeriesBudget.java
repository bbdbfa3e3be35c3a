package io.promgate.gateway.federation;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code tenancy.limits.max-series-per-query} while the series arrive, so a query over the limit stops
 * fetching at the limit instead of holding every series in memory before it is refused.
 *
 * <p>The limit is on what the engine would get: per selector the merged, replica-deduplicated series of all
 * backends. That count is known only after the fetch, so the budget keeps a lower bound of it, which can
 * only refuse what the exact count after the fetch would refuse too: per selector the largest number of
 * distinct series any one call has delivered (merging several backends' answers, or deduplicating, never
 * leaves fewer than one answer's distinct series; with replica labels, "distinct" ignores them), summed over
 * the selectors. Summing every call's series instead would refuse queries that pass: an HA pair, or a
 * query split over time between two backends, sends most series twice. The exact check after the fetch
 * ({@code FederatedBackend}) stays, for what the lower bound cannot see (several tenants' series).
 *
 * <p>Each call gets its own counter ({@link #forCall}), a predicate the store asks for every new series: once
 * it answers false, the store stops fetching (a StoreAPI stream is cancelled) and hands back what it has,
 * as a success, so the backend's circuit breaker does not count our refusal as its failure. The fetch then
 * fails at once with {@link Exceeded}, without waiting for slower backends. Counters are called on event
 * loops and workers alike; the budget is one lock, taken once per series.
 */
final class SeriesBudget {
  /** The fetch stopped: at least {@code fetched} series, more than the limit. */
  static final class Exceeded extends RuntimeException {
    private final long fetched;

    Exceeded(long fetched) {
      super("the query fetched at least " + fetched + " series", null, false, false);
      this.fetched = fetched;
    }

    long fetched() {
      return fetched;
    }
  }

  private final long limit;
  private final Set<String> replicaLabels;
  private final Map<List<LabelMatcher>, Long> perSelector = new HashMap<>();
  private final Promise<Void> exceeded = Promise.promise();
  private long total;
  private volatile long exceededAt = -1;

  /** @param limit the most series the query may fetch; 0 or less: none */
  SeriesBudget(long limit, Set<String> replicaLabels) {
    this.limit = limit;
    this.replicaLabels = Set.copyOf(replicaLabels);
  }

  boolean limited() {
    return limit > 0;
  }

  /** Fails when the limit is exceeded (never completes otherwise). */
  Future<Void> whenExceeded() {
    return exceeded.future();
  }

  /** The failure of an exceeded budget, or null. */
  Exceeded exceeded() {
    long n = exceededAt;
    return n < 0 ? null : new Exceeded(n);
  }

  /** A counter for one call fetching {@code selector}'s series: true while the query may go on. */
  Predicate<Labels> forCall(List<LabelMatcher> selector) {
    if (!limited()) {
      return l -> true;
    }
    Set<Labels> seen = replicaLabels.isEmpty() ? null : new HashSet<>();
    long[] distinct = new long[1];
    return labels -> {
      if (exceededAt >= 0) {
        return false;
      }
      if (seen == null || seen.add(labels.without(replicaLabels))) {
        distinct[0]++;
        return admit(selector, distinct[0]);
      }
      return true;
    };
  }

  private boolean admit(List<LabelMatcher> selector, long callCount) {
    long over;
    synchronized (this) {
      long before = perSelector.getOrDefault(selector, 0L);
      if (callCount > before) {
        perSelector.put(selector, callCount);
        total += callCount - before;
      }
      if (total <= limit || exceededAt >= 0) {
        return exceededAt < 0;
      }
      exceededAt = total;
      over = total;
    }
    // Outside the lock: the fetch's failure runs its callbacks here.
    exceeded.tryFail(new Exceeded(over));
    return false;
  }
}
