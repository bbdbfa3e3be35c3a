package io.promgate.storeapi;

import io.promgate.model.Labels;
import io.promgate.model.SampleIterator;
import io.promgate.model.Series;
import io.promgate.model.ValueType;
import io.promgate.model.chunk.XorIterator;
import java.util.List;

/**
 * A series received from a StoreAPI server: its labels and raw XOR chunks, decoded lazily and afresh by every
 * {@link #iterator()}. Chunks are in time order and do not overlap (as Thanos' stores send them).
 */
final class RemoteSeries implements Series {
  private final Labels labels;
  private final List<byte[]> chunks;

  RemoteSeries(Labels labels, List<byte[]> chunks) {
    this.labels = labels;
    this.chunks = chunks;
  }

  @Override
  public Labels labels() {
    return labels;
  }

  List<byte[]> chunks() {
    return chunks;
  }

  @Override
  public SampleIterator iterator() {
    return new ChunksIterator(chunks);
  }

  /** Walks the chunks one after another with one reusable decoder. */
  private static final class ChunksIterator implements SampleIterator {
    private final List<byte[]> chunks;
    private final XorIterator it = new XorIterator();
    private int index = -1;
    private ValueType current = ValueType.NONE;
    private long lastT = Long.MIN_VALUE;

    ChunksIterator(List<byte[]> chunks) {
      this.chunks = chunks;
    }

    @Override
    public ValueType next() {
      while (true) {
        if (index >= 0) {
          current = it.next();
          // Skip samples a previous chunk already gave (overlapping chunks from a foreign store).
          while (current != ValueType.NONE && it.timestamp() <= lastT) {
            current = it.next();
          }
          if (current != ValueType.NONE) {
            lastT = it.timestamp();
            return current;
          }
        }
        if (++index >= chunks.size()) {
          index = chunks.size();
          return current = ValueType.NONE;
        }
        byte[] c = chunks.get(index);
        it.reset(c, 0, c.length);
      }
    }

    @Override
    public ValueType seek(long t) {
      if (current != ValueType.NONE && index >= 0 && it.timestamp() >= t) {
        return current;
      }
      if (index >= chunks.size()) {
        return ValueType.NONE;
      }
      ValueType vt;
      do {
        vt = next();
      } while (vt != ValueType.NONE && it.timestamp() < t);
      return vt;
    }

    @Override
    public long timestamp() {
      return it.timestamp();
    }

    @Override
    public double value() {
      return it.value();
    }
  }
}
