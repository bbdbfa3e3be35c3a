package io.promgate.gateway.backend.prometheus;

import io.promgate.model.Labels;
import io.promgate.model.SampleIterator;
import io.promgate.model.Series;
import io.promgate.model.SeriesSet;
import io.promgate.model.SeriesSets;
import io.promgate.model.chunk.XorChunk;
import io.promgate.model.chunk.XorChunksIterator;
import io.promgate.model.merge.ArraySeries;
import io.promgate.storeapi.prompb.Chunk;
import io.promgate.storeapi.prompb.ChunkedReadResponse;
import io.promgate.storeapi.prompb.ChunkedSeries;
import io.promgate.storeapi.prompb.Label;
import io.promgate.storeapi.prompb.QueryResult;
import io.promgate.storeapi.prompb.ReadResponse;
import io.promgate.storeapi.prompb.TimeSeries;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Turns remote-read answers (streamed XOR chunks or SAMPLES) into series sets. */
final class RemoteReadDecoder {
  private RemoteReadDecoder() {}

  /**
   * Frames of {@code ChunkedReadResponse}. A series with many chunks may continue in the next frame under
   * the same labels (Prometheus cuts frames by size), so consecutive parts with equal labels are joined.
   * Chunks are whole, so samples outside [mint, maxt] are trimmed here. Non-XOR chunks (native histograms)
   * are skipped with a warning: the engine does not evaluate them yet.
   */
  static SeriesSet streamed(byte[] body, long mint, long maxt) throws IOException {
    List<Series> out = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Labels last = null;
    List<XorChunk> chunks = null;
    for (ChunkedFrames.Frame frame : ChunkedFrames.frames(body)) {
      ChunkedReadResponse r = ChunkedReadResponse.parseFrom(frame.input());
      for (ChunkedSeries cs : r.getChunkedSeriesList()) {
        Labels l = labels(cs.getLabelsList());
        if (!l.equals(last)) {
          if (last != null) {
            out.add(chunkSeries(last, chunks, mint, maxt));
          }
          last = l;
          chunks = new ArrayList<>();
        }
        for (Chunk c : cs.getChunksList()) {
          if (c.getType() != Chunk.Encoding.XOR) {
            if (warnings.isEmpty()) {
              warnings.add("skipped " + c.getType() + " chunks of " + l + ": native histograms are not supported yet");
            }
            continue;
          }
          chunks.add(new XorChunk(c.getData().toByteArray(), c.getMinTimeMs(), c.getMaxTimeMs()));
        }
      }
    }
    if (last != null) {
      out.add(chunkSeries(last, chunks, mint, maxt));
    }
    return SeriesSets.of(out, warnings);
  }

  private static Series chunkSeries(Labels labels, List<XorChunk> chunks, long mint, long maxt) {
    List<XorChunk> cs = List.copyOf(chunks);
    return new Series() {
      @Override
      public Labels labels() {
        return labels;
      }

      @Override
      public SampleIterator iterator() {
        return new XorChunksIterator(cs, mint, maxt);
      }
    };
  }

  /** A snappy-decoded {@code ReadResponse} of one query. */
  static SeriesSet samples(byte[] decoded) throws IOException {
    ReadResponse r = ReadResponse.parseFrom(decoded);
    List<Series> out = new ArrayList<>();
    for (QueryResult qr : r.getResultsList()) {
      for (TimeSeries ts : qr.getTimeseriesList()) {
        int n = ts.getSamplesCount();
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
          t[i] = ts.getSamples(i).getTimestamp();
          v[i] = ts.getSamples(i).getValue();
        }
        out.add(new ArraySeries(labels(ts.getLabelsList()), t, v));
      }
    }
    return SeriesSets.of(out);
  }

  static Labels labels(List<Label> ls) {
    Labels.Builder b = Labels.builder();
    for (Label l : ls) {
      b.set(l.getName(), l.getValue());
    }
    return b.build();
  }
}
