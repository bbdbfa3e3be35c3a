package io.promgate.routing;

import java.util.List;

/**
 * A time window of a route and the backends that serve it. {@code newer-than: D} is {@code [now-D, +inf)},
 * {@code older-than: D} is {@code (-inf, now-D)}, {@code from}/{@code to} are absolute; a window may combine
 * one start and one end bound. {@code key} is the config path, e.g. {@code routes[0].windows[1]}, so the
 * planner and explain can name the window.
 */
public record Window(String key, TimeBound start, TimeBound end, List<String> backends) {
  public Window {
    backends = List.copyOf(backends);
  }

  public TimeRange resolve(long nowMs) {
    return new TimeRange(start.resolve(nowMs, true), end.resolve(nowMs, false));
  }

  @Override
  public String toString() {
    return key + " " + start + " .. " + end + " -> " + backends;
  }
}
