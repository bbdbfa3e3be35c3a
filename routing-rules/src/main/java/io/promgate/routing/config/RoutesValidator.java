package io.promgate.routing.config;

import io.promgate.routing.Route;
import io.promgate.routing.TimeBound;
import io.promgate.routing.TimeRange;
import io.promgate.routing.Window;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code routes:} and checks them: windows must name known backends, must not be empty, and the
 * windows of one route must leave no gap between them (touching, as {@code newer-than: 15d} and
 * {@code older-than: 15d} do, is the normal case; overlaps are allowed and merged at query time).
 *
 * <p>Windows with relative bounds move with time but keep their distances, so checking them at the clock's
 * "now" is exact for them. A route mixing absolute and relative bounds is checked at "now" only: a gap that
 * opens later (an absolute end overtaken by a relative start) is not detected at start-up.
 */
final class RoutesValidator {
  private static final Set<String> ROUTE_KEYS = Set.of("tenants", "windows");
  private static final Set<String> WINDOW_KEYS = Set.of("newer-than", "older-than", "from", "to", "backends");

  private RoutesValidator() {}

  static List<Route> defaultRoutes(Set<String> backends) {
    if (backends.isEmpty()) {
      return List.of();
    }
    Window all = new Window("routes[default].windows[0]", TimeBound.UNBOUNDED, TimeBound.UNBOUNDED,
        List.copyOf(backends));
    return List.of(new Route("routes[default]", List.of("*"), List.of(all)));
  }

  static List<Route> read(ConfigNode routes, Set<String> backends, Clock clock, List<String> problems) {
    List<Route> out = new ArrayList<>();
    for (ConfigNode r : routes.elements()) {
      if (!r.requireObject()) {
        continue;
      }
      r.onlyKeys(ROUTE_KEYS);
      List<String> tenants = r.has("tenants") ? r.stringList("tenants") : List.of("*");
      if (tenants.isEmpty()) {
        r.problem(r.key("tenants"), "empty list (use [\"*\"] for every tenant)");
      }
      List<Window> windows = new ArrayList<>();
      List<ConfigNode> ws = r.child("windows").elements();
      if (ws.isEmpty()) {
        r.problem(r.key("windows"), "missing or empty (a route needs at least one window)");
      }
      for (ConfigNode w : ws) {
        Window win = window(w, backends, clock.millis());
        if (win != null) {
          windows.add(win);
        }
      }
      Route route = new Route(r.path(), tenants, windows);
      checkGaps(route, clock.millis(), problems);
      out.add(route);
    }
    return out;
  }

  private static Window window(ConfigNode w, Set<String> backends, long nowMs) {
    if (!w.requireObject()) {
      return null;
    }
    w.onlyKeys(WINDOW_KEYS);
    Optional<Duration> newer = w.duration("newer-than");
    Optional<Duration> older = w.duration("older-than");
    Optional<Instant> from = w.value("from", RoutesValidator::instant);
    Optional<Instant> to = w.value("to", RoutesValidator::instant);
    if (w.has("newer-than") && w.has("from")) {
      w.problem(w.path(), "both newer-than and from set; a window has one start");
    }
    if (w.has("older-than") && w.has("to")) {
      w.problem(w.path(), "both older-than and to set; a window has one end");
    }
    TimeBound start = newer.<TimeBound>map(TimeBound.Relative::new)
        .or(() -> from.map(TimeBound.Absolute::new)).orElse(TimeBound.UNBOUNDED);
    TimeBound end = older.<TimeBound>map(TimeBound.Relative::new)
        .or(() -> to.map(TimeBound.Absolute::new)).orElse(TimeBound.UNBOUNDED);

    List<String> names = w.stringList("backends");
    if (names.isEmpty()) {
      w.problem(w.key("backends"), "missing or empty (a window needs at least one backend)");
    }
    for (int i = 0; i < names.size(); i++) {
      if (!backends.contains(names.get(i))) {
        w.problem(w.key("backends") + "[" + i + "]", "unknown backend \"" + names.get(i) + "\" (configured: "
            + (backends.isEmpty() ? "none" : String.join(", ", backends)) + ")");
      }
    }
    Window win = new Window(w.path(), start, end, names);
    // Relative-only windows: empty iff newer-than <= older-than, independent of now.
    TimeRange at = win.resolve(nowMs);
    if (newer.isPresent() && older.isPresent() && newer.get().compareTo(older.get()) <= 0) {
      w.problem(w.path(), "empty window: newer-than " + PromDurations.format(newer.get())
          + " must be longer than older-than " + PromDurations.format(older.get()));
    } else if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
      w.problem(w.path(), "empty window: from " + from.get() + " is not before to " + to.get());
    } else if (at.isEmpty() && (newer.isPresent() != older.isPresent())) {
      w.problem(w.path(), "empty window " + win.start() + " .. " + win.end());
    }
    return win;
  }

  private static void checkGaps(Route route, long nowMs, List<String> problems) {
    long coveredTo = Long.MIN_VALUE;
    Window previous = null;
    for (Route.ResolvedWindow rw : route.windowsAt(nowMs)) {
      if (rw.range().isEmpty()) {
        continue;
      }
      if (previous != null && rw.range().startMs() > coveredTo) {
        problems.add(route.key() + ".windows: gap between " + previous.key() + " (ends " + previous.end()
            + ") and " + rw.window().key() + " (starts " + rw.window().start()
            + "); no backend would serve that time");
      }
      if (rw.range().endMs() > coveredTo) {
        coveredTo = rw.range().endMs();
        previous = rw.window();
      }
    }
  }

  /** RFC 3339 ({@code 2024-01-01T00:00:00Z}) or Unix seconds, as Prometheus' API accepts times. */
  static Instant instant(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (RuntimeException e) {
      try {
        double secs = Double.parseDouble(text);
        return Instant.ofEpochMilli(Math.round(secs * 1000));
      } catch (NumberFormatException n) {
        throw new IllegalArgumentException("not a time (RFC 3339 like 2024-01-01T00:00:00Z, or Unix seconds)");
      }
    }
  }
}
