package io.promgate.storeapi;

import io.promgate.model.SampleIterator;
import io.promgate.model.Series;
import io.promgate.model.ValueType;
import io.promgate.model.chunk.ChunkedSeries;
import io.promgate.model.chunk.XorAppender;
import io.promgate.model.chunk.XorChunk;
import io.promgate.storeapi.thanos.AggrChunk;
import io.promgate.storeapi.thanos.Chunk;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw XOR chunks of a series over [mint, maxt]. A {@link ChunkedSeries} (the bundled store) hands over
 * the chunks it holds, passed on byte for byte, whole, like Thanos' stores do (clients trim). Any other
 * series is re-encoded from its samples in [mint, maxt] into chunks of at most 120 samples, as a Prometheus
 * head cuts them, so the bytes are what Prometheus' encoder writes for the same samples.
 * Histogram samples are not carried yet (the SPI's stores hold floats); they are skipped.
 */
final class ChunkEncoder {
  private ChunkEncoder() {
  }

  static List<AggrChunk> chunks(Series series, long mint, long maxt) {
    if (series instanceof ChunkedSeries cs) {
      List<XorChunk> held = cs.chunks(mint, maxt);
      List<AggrChunk> out = new ArrayList<>(held.size());
      for (XorChunk c : held) {
        if (c.maxTime() >= mint && c.minTime() <= maxt) {
          out.add(AggrChunk.newBuilder().setMinTime(c.minTime()).setMaxTime(c.maxTime())
              .setRaw(Chunk.newBuilder().setType(Chunk.Encoding.XOR).setData(ByteString.copyFrom(c.bytes())))
              .build());
        }
      }
      return out;
    }
    return encode(series.iterator(), mint, maxt);
  }

  static List<AggrChunk> encode(SampleIterator it, long mint, long maxt) {
    List<AggrChunk> out = new ArrayList<>();
    XorAppender app = null;
    ValueType vt = it.seek(mint);
    while (vt != ValueType.NONE) {
      long t = it.timestamp();
      if (t > maxt) {
        break;
      }
      if (vt == ValueType.FLOAT) {
        if (app == null) {
          app = new XorAppender(256);
        }
        app.append(t, it.value());
        if (app.numSamples() == XorChunk.SAMPLES_PER_CHUNK) {
          out.add(chunk(app));
          app = null;
        }
      }
      vt = it.next();
    }
    if (app != null) {
      out.add(chunk(app));
    }
    return out;
  }

  private static AggrChunk chunk(XorAppender app) {
    return AggrChunk.newBuilder()
        .setMinTime(app.minTime())
        .setMaxTime(app.maxTime())
        .setRaw(Chunk.newBuilder().setType(Chunk.Encoding.XOR).setData(ByteString.copyFrom(app.toByteArray())))
        .build();
  }
}
