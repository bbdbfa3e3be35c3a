package io.promgate.model;

import java.util.List;

/**
 * What the engine knows about a select, so that stores may prune or push work down (Prometheus'
 * {@code storage.SelectHints}). Stores must still return correct raw data when they ignore hints.
 *
 * @param start first millisecond of data needed (inclusive)
 * @param end last millisecond needed (inclusive)
 * @param step query step in ms, 0 for instant queries
 * @param range range of a matrix selector in ms, 0 for instant selectors
 * @param func enclosing function name, or "" ("series" for metadata-only calls)
 * @param grouping labels of an enclosing aggregation
 * @param by whether grouping is "by" (true) or "without"
 */
public record SelectHints(long start, long end, long step, long range, String func, List<String> grouping, boolean by) {
  public static SelectHints ofRange(long start, long end) {
    return new SelectHints(start, end, 0, 0, "", List.of(), false);
  }
}
