package io.promgate.model.merge;

import io.promgate.model.Labels;
import io.promgate.model.SampleIterator;
import io.promgate.model.Series;
import io.promgate.model.SeriesSet;
import io.promgate.model.SeriesSets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Removes the configured replica labels and merges the series that then coincide with
 * {@link PenaltyDedupIterator} (Thanos' {@code dedup.NewSeriesSet}). Replicas are ordered by their full
 * labels, so the output is deterministic: replica {@code a} is preferred until it has a gap.
 *
 * <p>Drains its input: promgate fetches everything before evaluation anyway ("populate first"), and
 * removing labels can change the sort order, so a streaming variant would need Thanos' trick of sorting
 * replica labels last at every store. Output is sorted by the deduplicated labels.
 */
public final class ReplicaDeduplicator {
  /** Functions that read a series as a counter: only then is a lagging replica lifted on a switch. */
  public static final Set<String> COUNTER_FUNCTIONS = Set.of("rate", "increase", "irate", "resets");

  private final Set<String> replicaLabels;

  public ReplicaDeduplicator(Set<String> replicaLabels) {
    this.replicaLabels = Set.copyOf(replicaLabels);
  }

  public Set<String> replicaLabels() {
    return replicaLabels;
  }

  /**
   * @param func the enclosing function of the select (from {@code SelectHints.func}), deciding counter mode
   */
  public SeriesSet dedup(SeriesSet in, String func) {
    if (replicaLabels.isEmpty()) {
      return in;
    }
    boolean counter = COUNTER_FUNCTIONS.contains(func);
    List<Series> all = new ArrayList<>();
    boolean anyReplica = false;
    while (in.next()) {
      Series s = in.at();
      all.add(s);
      if (!anyReplica) {
        for (String r : replicaLabels) {
          if (s.labels().has(r)) {
            anyReplica = true;
            break;
          }
        }
      }
    }
    if (!anyReplica) {
      // Nothing to strip (the usual single-replica setup): the sorted input is already the answer, and
      // sparing the grouping matters because this runs for every selector of every query.
      return SeriesSets.of(all, in.warnings());
    }
    Map<Labels, List<Series>> groups = new TreeMap<>();
    for (Series s : all) {
      Labels stripped = s.labels().without(replicaLabels);
      groups.computeIfAbsent(stripped, k -> new ArrayList<>()).add(s);
    }
    List<Series> out = new ArrayList<>(groups.size());
    for (Map.Entry<Labels, List<Series>> e : groups.entrySet()) {
      List<Series> replicas = e.getValue();
      if (replicas.size() == 1 && replicas.get(0).labels() == e.getKey()) {
        out.add(replicas.get(0));
        continue;
      }
      replicas.sort((x, y) -> x.labels().compareTo(y.labels()));
      out.add(deduplicated(e.getKey(), replicas, counter));
    }
    return SeriesSets.of(out, in.warnings());
  }

  static Series deduplicated(Labels labels, List<Series> replicas, boolean counter) {
    if (replicas.size() == 1) {
      // Nothing to merge (the common case: no replicas at all): no penalty or counter-adjusting layers
      // between the engine and the samples.
      Series only = replicas.get(0);
      return only.labels().equals(labels) ? only : new Series() {
        @Override
        public Labels labels() {
          return labels;
        }

        @Override
        public SampleIterator iterator() {
          return only.iterator();
        }
      };
    }
    List<Series> copy = List.copyOf(replicas);
    return new Series() {
      @Override
      public Labels labels() {
        return labels;
      }

      @Override
      public SampleIterator iterator() {
        SampleIterator it = wrap(copy.get(0).iterator(), counter);
        for (int i = 1; i < copy.size(); i++) {
          it = new PenaltyDedupIterator(it, wrap(copy.get(i).iterator(), counter));
        }
        return it;
      }
    };
  }

  private static SampleIterator wrap(SampleIterator it, boolean counter) {
    return counter ? new CounterAdjustingIterator(it) : it;
  }
}
