package io.promgate.gateway.federation;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Querier;
import io.promgate.model.Queryable;
import io.promgate.model.SelectHints;
import io.promgate.model.Series;
import io.promgate.model.SeriesSet;
import io.promgate.model.SeriesSets;
import io.promgate.model.StorageException;
import java.util.List;
import java.util.Map;

/**
 * The completed fetch of one query: per distinct matcher list the merged, deduplicated series of every
 * backend. A {@link Queryable} for the engine that never does I/O, so evaluation on a worker thread cannot
 * block on the network. {@code warnings} name the backends that failed when partial responses are allowed.
 */
public record Prefetched(Map<List<LabelMatcher>, List<Series>> series, List<String> warnings) implements Queryable {
  public Prefetched {
    series = Map.copyOf(series);
    warnings = List.copyOf(warnings);
  }

  @Override
  public Querier querier(long mint, long maxt) {
    return new Querier() {
      @Override
      public SeriesSet select(boolean sortSeries, SelectHints hints, List<LabelMatcher> matchers) {
        List<Series> s = series.get(matchers);
        if (s == null) {
          // Every selector was fetched before evaluation; a miss is a bug in selector analysis, not data.
          throw new StorageException("selector " + matchers + " was not fetched before evaluation");
        }
        return SeriesSets.of(s);
      }

      @Override
      public List<String> labelValues(String name, List<LabelMatcher> matchers) {
        return List.of();
      }

      @Override
      public List<String> labelNames(List<LabelMatcher> matchers) {
        return List.of();
      }
    };
  }
}
