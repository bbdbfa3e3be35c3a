package io.promgate.model;

import java.util.List;

/**
 * A cursor over series, sorted by labels when the select asked for sorting. Failures are thrown as
 * {@link StorageException}; warnings (partial data) travel with the set.
 */
public interface SeriesSet {
  boolean next();

  Series at();

  default List<String> warnings() {
    return List.of();
  }

  static SeriesSet empty() {
    return SeriesSets.of(List.of());
  }
}
