package io.promgate.storeapi;

import io.promgate.model.Labels;
import io.promgate.model.Series;
import io.promgate.model.SeriesSet;
import io.promgate.model.SeriesSets;
import io.promgate.storeapi.thanos.AggrChunk;
import io.promgate.storeapi.thanos.Chunk;
import io.promgate.storeapi.thanos.SeriesResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Gathers the frames of one Series response into series: frames of one series split over several messages
 * (same labels, consecutive) are joined, batches unpacked, warnings kept. Runs on the event loop, so it only
 * copies bytes; decoding happens when the engine iterates.
 */
final class SeriesCollector {
  private final String source;
  private final List<RemoteSeries> series = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private boolean skippedHistograms;
  private final Predicate<Labels> admit;
  private Labels lastLabels;
  private List<byte[]> lastChunks;
  private boolean stopped;

  SeriesCollector(String source) {
    this(source, null);
  }

  /** @param admit asked for every new series; once false, the collector stops (null: admit all) */
  SeriesCollector(String source, Predicate<Labels> admit) {
    this.source = source;
    this.admit = admit;
  }

  /** Whether a series was refused: the caller should end the stream; later frames are ignored. */
  boolean stopped() {
    return stopped;
  }

  void accept(SeriesResponse r) {
    switch (r.getResultCase()) {
      case SERIES -> add(r.getSeries());
      case BATCH -> r.getBatch().getSeriesList().forEach(this::add);
      case WARNING -> warnings.add(r.getWarning());
      case HINTS, RESULT_NOT_SET -> {
        // hints are specific to Thanos' own stores; nothing to take from them
      }
    }
  }

  private void add(io.promgate.storeapi.thanos.Series s) {
    if (stopped) {
      return;
    }
    Labels labels = Protos.labels(s.getLabelsList());
    List<byte[]> chunks;
    if (labels.equals(lastLabels)) {
      chunks = lastChunks;
    } else {
      if (admit != null && !admit.test(labels)) {
        stopped = true;
        return;
      }
      chunks = new ArrayList<>(s.getChunksCount());
      series.add(new RemoteSeries(labels, chunks));
      lastLabels = labels;
      lastChunks = chunks;
    }
    for (AggrChunk c : s.getChunksList()) {
      if (!c.hasRaw()) {
        continue;
      }
      if (c.getRaw().getType() != Chunk.Encoding.XOR) {
        skippedHistograms = true;
        continue;
      }
      chunks.add(c.getRaw().getData().toByteArray());
    }
  }

  /** The series, sorted by labels when asked (a conforming server already sent them sorted). */
  SeriesSet result(boolean sort) {
    List<Series> out = new ArrayList<>(series);
    if (sort) {
      boolean sorted = true;
      for (int i = 1; i < series.size() && sorted; i++) {
        sorted = series.get(i - 1).labels().compareTo(series.get(i).labels()) < 0;
      }
      if (!sorted) {
        out.sort((a, b) -> a.labels().compareTo(b.labels()));
      }
    }
    List<String> w = new ArrayList<>(warnings);
    if (skippedHistograms) {
      w.add(source + ": native histogram chunks are not supported yet and were dropped");
    }
    return SeriesSets.of(out, w);
  }
}
