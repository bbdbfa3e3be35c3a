package io.promgate.tsdb.block;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.Querier;
import io.promgate.model.SampleIterator;
import io.promgate.model.SelectHints;
import io.promgate.model.Series;
import io.promgate.model.SeriesSet;
import io.promgate.model.SeriesSets;
import io.promgate.model.chunk.XorChunksIterator;
import io.promgate.tsdb.head.ChunkSeries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/** Reads one block over [mint, maxt]; series come out sorted by labels (the index stores them so). */
final class BlockQuerier implements Querier {
  private final Block block;
  private final long mint;
  private final long maxt;

  BlockQuerier(Block block, long mint, long maxt) {
    this.block = block;
    this.mint = mint;
    this.maxt = maxt;
  }

  @Override
  public SeriesSet select(boolean sortSeries, SelectHints hints, List<LabelMatcher> matchers) {
    List<Series> out = new ArrayList<>();
    for (ChunkSeries cs : block.selectChunks(matchers, mint, maxt)) {
      out.add(new Series() {
        @Override
        public Labels labels() {
          return cs.labels();
        }

        @Override
        public SampleIterator iterator() {
          return new XorChunksIterator(cs.chunks(), mint, maxt);
        }
      });
    }
    return SeriesSets.of(out);
  }

  @Override
  public List<String> labelValues(String name, List<LabelMatcher> matchers) {
    if (!block.overlaps(mint, maxt)) {
      return List.of();
    }
    if (matchers.isEmpty()) {
      return Arrays.asList(block.index().labelValues(name));
    }
    TreeSet<String> values = new TreeSet<>();
    for (Labels l : block.selectLabels(matchers, mint, maxt)) {
      String v = l.get(name);
      if (!v.isEmpty()) {
        values.add(v);
      }
    }
    return new ArrayList<>(values);
  }

  @Override
  public List<String> labelNames(List<LabelMatcher> matchers) {
    if (!block.overlaps(mint, maxt)) {
      return List.of();
    }
    if (matchers.isEmpty()) {
      return block.index().labelNames();
    }
    TreeSet<String> names = new TreeSet<>();
    for (Labels l : block.selectLabels(matchers, mint, maxt)) {
      for (int i = 0; i < l.size(); i++) {
        names.add(l.name(i));
      }
    }
    return new ArrayList<>(names);
  }
}
