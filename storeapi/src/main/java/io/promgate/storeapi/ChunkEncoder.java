package io.promgate.storeapi;

import io.promgate.model.SampleIterator;
import io.promgate.model.ValueType;
import io.promgate.model.chunk.XorAppender;
import io.promgate.model.chunk.XorChunk;
import io.promgate.storeapi.thanos.AggrChunk;
import io.promgate.storeapi.thanos.Chunk;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-encodes a series' samples in [mint, maxt] into raw XOR chunks of at most 120 samples, as a Prometheus
 * head cuts them, so the bytes are exactly what Prometheus would have written for the same samples.
 * Histogram samples are not carried yet (the SPI's stores hold floats); they are skipped.
 */
final class ChunkEncoder {
  private ChunkEncoder() {
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
