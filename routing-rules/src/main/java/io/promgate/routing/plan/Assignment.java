package io.promgate.routing.plan;

import java.util.List;

/**
 * A backend asked for the raw data of one selector over {@code [startMs, endMs]} (both inclusive, like a
 * Querier's mint/maxt).
 *
 * @param windows config keys of the route windows that put this backend here (explain shows them)
 */
public record Assignment(String backend, long startMs, long endMs, List<String> windows) {
  public Assignment {
    windows = List.copyOf(windows);
  }
}
