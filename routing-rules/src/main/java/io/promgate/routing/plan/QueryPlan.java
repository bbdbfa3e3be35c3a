package io.promgate.routing.plan;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The plan of one request for one tenant at one instant.
 *
 * @param routeKey the config key of the tenant's route, or empty when no route matches the tenant
 */
public record QueryPlan(String tenant, long nowMs, Optional<String> routeKey, List<SelectorPlan> selectors) {
  public QueryPlan {
    selectors = List.copyOf(selectors);
  }

  /** Every backend that is asked for something, in first-use order. */
  public Set<String> backends() {
    Set<String> out = new LinkedHashSet<>();
    for (SelectorPlan s : selectors) {
      for (Assignment a : s.assignments()) {
        out.add(a.backend());
      }
    }
    return out;
  }

  /**
   * The backend that alone serves every selector over its whole data range, if there is one. The caller
   * still decides whether that backend can take the query unchanged (pushdown needs a PromQL-capable
   * backend without external labels). A query without selectors has no such backend.
   */
  public Optional<String> soleBackend() {
    String sole = null;
    for (SelectorPlan s : selectors) {
      if (s.assignments().size() != 1) {
        return Optional.empty();
      }
      Assignment a = s.assignments().get(0);
      if (a.startMs() != s.selector().startMs() || a.endMs() != s.selector().endMs()) {
        return Optional.empty();
      }
      if (sole != null && !sole.equals(a.backend())) {
        return Optional.empty();
      }
      sole = a.backend();
    }
    return Optional.ofNullable(sole);
  }
}
