package io.promgate.tsdb.head;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.Querier;
import io.promgate.model.SampleIterator;
import io.promgate.model.SelectHints;
import io.promgate.model.Series;
import io.promgate.model.SeriesSet;
import io.promgate.model.SeriesSets;
import io.promgate.model.chunk.XorChunk;
import io.promgate.model.chunk.XorChunksIterator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads the head over [mint, maxt]. Each selected series' chunks are snapshotted at select time, so a query
 * sees a stable view while appends continue; series without samples in the range are left out, as
 * Prometheus' head querier does.
 */
public final class HeadQuerier implements Querier {
  private final Head head;
  private final long mint;
  private final long maxt;

  HeadQuerier(Head head, long mint, long maxt) {
    this.head = head;
    this.mint = mint;
    this.maxt = maxt;
  }

  @Override
  public SeriesSet select(boolean sortSeries, SelectHints hints, List<LabelMatcher> matchers) {
    List<Series> out = new ArrayList<>();
    if (hints != null && "series".equals(hints.func())) {
      // Metadata-only select (the series API): no chunks are copied, as Prometheus skips loading them.
      for (MemSeries s : matching(matchers)) {
        if (s.overlaps(mint, maxt)) {
          Labels l = s.labels();
          out.add(new Series() {
            @Override
            public Labels labels() {
              return l;
            }

            @Override
            public SampleIterator iterator() {
              return SampleIterator.EMPTY;
            }
          });
        }
      }
      return SeriesSets.of(out);
    }
    for (ChunkSeries cs : selectChunks(matchers)) {
      List<XorChunk> chunks = cs.chunks();
      out.add(new Series() {
        @Override
        public Labels labels() {
          return cs.labels();
        }

        @Override
        public SampleIterator iterator() {
          return new XorChunksIterator(chunks, mint, maxt);
        }
      });
    }
    return SeriesSets.of(out);
  }

  /** Matching series sorted by labels, with their chunks overlapping the range (raw, untrimmed). */
  public List<ChunkSeries> selectChunks(List<LabelMatcher> matchers) {
    List<MemSeries> series = matching(matchers);
    List<ChunkSeries> out = new ArrayList<>(series.size());
    for (MemSeries s : series) {
      List<XorChunk> chunks = s.chunks(mint, maxt);
      if (!chunks.isEmpty()) {
        out.add(new ChunkSeries(s.labels(), chunks));
      }
    }
    return out;
  }

  private List<MemSeries> matching(List<LabelMatcher> matchers) {
    if (!head.overlaps(mint, maxt)) {
      return List.of();
    }
    List<MemSeries> series = head.series(head.index().select(matchers));
    series.sort(Comparator.comparing(MemSeries::labels));
    return series;
  }

  @Override
  public List<String> labelValues(String name, List<LabelMatcher> matchers) {
    if (!head.overlaps(mint, maxt)) {
      return List.of();
    }
    if (matchers.isEmpty()) {
      return head.index().values(name);
    }
    TreeSet<String> values = new TreeSet<>();
    for (MemSeries s : matching(matchers)) {
      String v = s.labels().get(name);
      if (!v.isEmpty() && s.overlaps(mint, maxt)) {
        values.add(v);
      }
    }
    return new ArrayList<>(values);
  }

  @Override
  public List<String> labelNames(List<LabelMatcher> matchers) {
    if (!head.overlaps(mint, maxt)) {
      return List.of();
    }
    if (matchers.isEmpty()) {
      return head.index().names();
    }
    TreeSet<String> names = new TreeSet<>();
    for (MemSeries s : matching(matchers)) {
      if (s.overlaps(mint, maxt)) {
        for (int i = 0; i < s.labels().size(); i++) {
          names.add(s.labels().name(i));
        }
      }
    }
    return new ArrayList<>(names);
  }
}
