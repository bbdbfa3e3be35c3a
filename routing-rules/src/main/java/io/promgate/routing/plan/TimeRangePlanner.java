package io.promgate.routing.plan;

import io.promgate.model.LabelMatcher;
import io.promgate.routing.Route;
import io.promgate.routing.TimeRange;
import io.promgate.routing.config.BackendConfig;
import io.promgate.routing.config.PromgateConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, per selector, which backends serve which part of its data range (DESIGN.md, "Time-range
 * routing"). Pure: the only input besides config and selectors is the injected clock.
 *
 * <p>Rules. The tenant's route is the first route whose tenant patterns match (config order, so a specific
 * route listed before {@code "*"} wins). Each window resolves at "now" to a half-open range
 * {@code [start, end)}; a selector reads the inclusive range {@code [s, e]}; a window's backends serve the
 * intersection {@code [max(s, start), min(e, end - 1)]}. A backend named by several windows gets one
 * assignment per contiguous piece (touching or overlapping pieces are joined). Backends are pruned, with
 * the reason, when
 * <ul>
 *   <li>they are not in the tenant's route ({@code TENANT}),
 *   <li>a matcher names one of their external labels and does not match its value ({@code EXTERNAL_LABELS}:
 *       external labels override series labels, as in Thanos, so the value is known without asking),
 *   <li>none of their windows intersects the selector's range ({@code TIME_RANGE}).
 * </ul>
 * A query is never evaluated per window and glued: every backend returns raw data of its piece and the
 * engine evaluates once over the merged series, so {@code rate(x[5m])} just after a boundary sees the five
 * minutes before it.
 */
public final class TimeRangePlanner {
  private final List<Route> routes;
  private final Map<String, BackendConfig> backends;
  private final Clock clock;

  public TimeRangePlanner(List<Route> routes, Map<String, BackendConfig> backends, Clock clock) {
    this.routes = List.copyOf(routes);
    this.backends = new LinkedHashMap<>(backends);
    this.clock = clock;
  }

  public static TimeRangePlanner of(PromgateConfig config, Clock clock) {
    return new TimeRangePlanner(config.routes(), config.backends(), clock);
  }

  public Optional<Route> routeFor(String tenant) {
    for (Route r : routes) {
      if (r.matchesTenant(tenant)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  public QueryPlan plan(String tenant, List<SelectorRequest> selectors) {
    long now = clock.millis();
    Optional<Route> route = routeFor(tenant);
    List<Route.ResolvedWindow> windows = route.map(r -> r.windowsAt(now)).orElse(List.of());
    // Route order of backends: the order windows are written in config, then backend order in a window.
    Set<String> routed = new LinkedHashSet<>();
    route.ifPresent(r -> r.windows().forEach(w -> routed.addAll(w.backends())));
    List<SelectorPlan> out = new ArrayList<>(selectors.size());
    for (SelectorRequest s : selectors) {
      out.add(planSelector(tenant, s, route, routed, windows));
    }
    return new QueryPlan(tenant, now, route.map(Route::key), out);
  }

  private SelectorPlan planSelector(String tenant, SelectorRequest s, Optional<Route> route, Set<String> routed,
      List<Route.ResolvedWindow> windows) {
    List<Assignment> assigned = new ArrayList<>();
    List<Pruned> pruned = new ArrayList<>();
    for (String name : backends.keySet()) {
      if (!routed.contains(name)) {
        pruned.add(new Pruned(name, Pruned.Reason.TENANT, route
            .map(r -> "not in " + r.key() + " of tenant \"" + tenant + "\"")
            .orElse("no route matches tenant \"" + tenant + "\"")));
      }
    }
    for (String name : routed) {
      Optional<String> conflict = externalLabelConflict(backends.get(name), s.matchers());
      if (conflict.isPresent()) {
        pruned.add(new Pruned(name, Pruned.Reason.EXTERNAL_LABELS, conflict.get()));
        continue;
      }
      List<Assignment> pieces = pieces(name, s, windows);
      if (pieces.isEmpty()) {
        pruned.add(new Pruned(name, Pruned.Reason.TIME_RANGE, "serves " + servedRanges(name, windows)
            + ", selector reads [" + s.startMs() + ", " + s.endMs() + "]"));
      } else {
        assigned.addAll(pieces);
      }
    }
    return new SelectorPlan(s, assigned, pruned);
  }

  /** The backend's pieces of the selector range, joined where windows touch or overlap. */
  private static List<Assignment> pieces(String backend, SelectorRequest s, List<Route.ResolvedWindow> windows) {
    List<Assignment> out = new ArrayList<>();
    for (Route.ResolvedWindow w : windows) {
      if (!w.window().backends().contains(backend) || w.range().isEmpty()) {
        continue;
      }
      long from = Math.max(s.startMs(), w.range().startMs());
      // Half-open window end: the last millisecond served is end - 1 (unless unbounded).
      long to = w.range().endMs() == Long.MAX_VALUE ? s.endMs() : Math.min(s.endMs(), w.range().endMs() - 1);
      if (from > to) {
        continue;
      }
      Assignment last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && from <= last.endMs() + 1) {
        List<String> keys = new ArrayList<>(last.windows());
        keys.add(w.window().key());
        out.set(out.size() - 1, new Assignment(backend, last.startMs(), Math.max(last.endMs(), to), keys));
      } else {
        out.add(new Assignment(backend, from, to, List.of(w.window().key())));
      }
    }
    return out;
  }

  private static String servedRanges(String backend, List<Route.ResolvedWindow> windows) {
    List<TimeRange> ranges = new ArrayList<>();
    for (Route.ResolvedWindow w : windows) {
      if (w.window().backends().contains(backend)) {
        ranges.add(w.range());
      }
    }
    return ranges.size() == 1 ? ranges.get(0).toString() : ranges.toString();
  }

  /** A matcher on an external label that the backend's value fails, described; empty when none. */
  static Optional<String> externalLabelConflict(BackendConfig backend, List<LabelMatcher> matchers) {
    Map<String, String> ext = externalLabels(backend);
    if (ext.isEmpty()) {
      return Optional.empty();
    }
    for (LabelMatcher m : matchers) {
      String v = ext.get(m.name());
      if (v != null && !m.matches(v)) {
        return Optional.of("external label " + m.name() + "=\"" + v + "\" does not match " + m);
      }
    }
    return Optional.empty();
  }

  public static Map<String, String> externalLabels(BackendConfig backend) {
    if (backend instanceof BackendConfig.Prometheus p) {
      return p.externalLabels();
    }
    if (backend instanceof BackendConfig.StoreApi s) {
      return s.externalLabels();
    }
    return Map.of();
  }
}
