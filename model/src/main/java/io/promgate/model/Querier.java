package io.promgate.model;

import java.util.List;

/**
 * Reads a fixed time range of one store, as Prometheus' {@code storage.Querier}. Obtained from a
 * {@link Queryable}; closed when the query is done.
 */
public interface Querier extends AutoCloseable {
  /**
   * Series matching all matchers that have samples in the hinted range (stores may return more samples than
   * the range; the engine trims). At least one matcher is given.
   */
  SeriesSet select(boolean sortSeries, SelectHints hints, List<LabelMatcher> matchers);

  /** Sorted unique values of a label over series that match all matchers (all series when none). */
  List<String> labelValues(String name, List<LabelMatcher> matchers);

  /** Sorted unique label names over series that match all matchers (all series when none). */
  List<String> labelNames(List<LabelMatcher> matchers);

  @Override
  default void close() {
  }
}
