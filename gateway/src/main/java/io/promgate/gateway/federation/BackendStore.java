package io.promgate.gateway.federation;

import io.promgate.model.Labels;
import io.promgate.model.LabelMatcher;
import io.promgate.model.SelectHints;
import io.promgate.model.Series;
import io.promgate.model.SeriesSet;
import io.promgate.model.SeriesSets;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * One configured backend as the federation sees it: asynchronous raw-data selects and metadata, per
 * tenant. Implementations never block the calling event loop; the returned sets are complete (already
 * received), so the engine can walk them on a worker thread without I/O.
 *
 * <p>External labels are not this interface's concern: {@link FederatedQueryable} adds them, so every kind
 * of backend treats them the same way.
 */
public interface BackendStore {
  String name();

  /** Series matching all matchers with samples in {@code [mint, maxt]} (inclusive), any order. */
  Future<SeriesSet> select(String tenant, long mint, long maxt, SelectHints hints, List<LabelMatcher> matchers);

  /**
   * {@link #select}, asking {@code admit} for every series as it arrives: once it answers false the store
   * stops fetching and answers, as a success, with the series admitted so far ({@link SeriesBudget}). This
   * default for stores that cannot stop early (a remote-read body comes whole) fetches everything and stops
   * only while handing the series over.
   */
  default Future<SeriesSet> select(String tenant, long mint, long maxt, SelectHints hints, List<LabelMatcher> matchers,
      Predicate<Labels> admit) {
    return select(tenant, mint, maxt, hints, matchers).map(set -> admitted(set, admit));
  }

  /** The series of {@code set} up to the first that {@code admit} refuses, with the set's warnings. */
  static SeriesSet admitted(SeriesSet set, Predicate<Labels> admit) {
    List<Series> out = new ArrayList<>();
    while (set.next()) {
      Series s = set.at();
      if (!admit.test(s.labels())) {
        break;
      }
      out.add(s);
    }
    return SeriesSets.of(out, set.warnings());
  }

  /** Label sets of series matching any of the matcher lists, deduplicated. */
  Future<List<Labels>> series(String tenant, long mint, long maxt, List<List<LabelMatcher>> matcherSets);

  /** Sorted label names over series matching the matchers (all series when empty). */
  Future<List<String>> labelNames(String tenant, long mint, long maxt, List<LabelMatcher> matchers);

  /** Sorted values of {@code name} over series matching the matchers (all series when empty). */
  Future<List<String>> labelValues(String tenant, String name, long mint, long maxt, List<LabelMatcher> matchers);

  /**
   * This store for one client request: a backend that forwards client headers ({@code forward-headers})
   * returns a view sending them; the others return themselves.
   */
  default BackendStore forClient(io.vertx.core.MultiMap clientHeaders) {
    return this;
  }

  /**
   * Whether this store is read in-process: called on a worker thread, its {@link #select} then answers
   * with an already completed future, so a query over such stores only can fetch and evaluate in one
   * worker task instead of handing over between event loop and workers for every step.
   */
  default boolean inProcess() {
    return false;
  }

  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
