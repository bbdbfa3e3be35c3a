package io.promgate.model;

import java.util.ArrayList;
import java.util.List;

/** Factories for series sets. */
public final class SeriesSets {
  private SeriesSets() {
  }

  public static SeriesSet of(List<? extends Series> series) {
    return of(series, List.of());
  }

  public static SeriesSet of(List<? extends Series> series, List<String> warnings) {
    return new SeriesSet() {
      int i = -1;

      @Override
      public boolean next() {
        return ++i < series.size();
      }

      @Override
      public Series at() {
        return series.get(i);
      }

      @Override
      public List<String> warnings() {
        return warnings;
      }
    };
  }

  /** Drains a set into a list. */
  public static List<Series> toList(SeriesSet set) {
    List<Series> out = new ArrayList<>();
    while (set.next()) {
      out.add(set.at());
    }
    return out;
  }
}
