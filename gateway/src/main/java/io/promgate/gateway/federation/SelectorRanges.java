package io.promgate.gateway.federation;

import io.promgate.model.LabelMatcher;
import io.promgate.model.merge.ReplicaDeduplicator;
import io.promgate.promql.analysis.SelectorRange;
import io.promgate.promql.ast.Expr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The distinct matcher lists of a query with the data range each is read over: the parser's per-selector
 * ranges ({@link io.promgate.promql.analysis.SelectorRanges}, Prometheus' {@code getTimeRangesForSelector})
 * joined by matchers, so the federation fetches each distinct matcher list once, over the union of its
 * ranges, and the engine reads every selector with those matchers from it.
 */
public final class SelectorRanges {
  /** One distinct matcher list, the union of the ranges it is read over, and the functions around it. */
  public record Use(List<LabelMatcher> matchers, long startMs, long endMs, String func) {}

  private SelectorRanges() {
  }

  public static List<Use> of(Expr expr, long startMs, long endMs, long lookbackMs) {
    Map<List<LabelMatcher>, Use> uses = new LinkedHashMap<>();
    // The engine's extra selects (info()'s info metrics) are fetched too, or evaluation would miss them.
    for (SelectorRange r : io.promgate.promql.analysis.SelectorRanges.of(expr, startMs, endMs, lookbackMs,
        io.promgate.promql.engine.Engine::extraSelector)) {
      List<LabelMatcher> matchers = r.selector().matchers();
      uses.merge(matchers, new Use(matchers, r.minTime(), r.maxTime(), r.function()), (prev, next) -> new Use(
          matchers, Math.min(prev.startMs(), next.startMs()), Math.max(prev.endMs(), next.endMs()),
          // A counter function anywhere decides counter-aware dedup for the shared fetch.
          ReplicaDeduplicator.COUNTER_FUNCTIONS.contains(prev.func()) ? prev.func() : next.func()));
    }
    return new ArrayList<>(uses.values());
  }
}
