package io.promgate.model.chunk;

import io.promgate.model.Series;
import java.util.List;

/**
 * A series that can hand out its samples as the XOR chunks it already holds, so that readers which ship
 * chunks (StoreAPI Series, remote read with streamed chunks) pass them on instead of decoding and
 * re-encoding every sample. Optional: readers check with {@code instanceof} and fall back to
 * {@link #iterator()}.
 */
public interface ChunkedSeries extends Series {
  /**
   * The chunks holding the samples in [mint, maxt], in time order and not overlapping; chunks may also hold
   * samples outside the range (readers trim, as Prometheus' and Thanos' do). Callers must not modify them.
   */
  List<XorChunk> chunks(long mint, long maxt);
}
