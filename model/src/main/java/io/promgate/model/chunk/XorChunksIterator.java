package io.promgate.model.chunk;

import io.promgate.model.SampleIterator;
import io.promgate.model.ValueType;
import java.util.List;

/**
 * Walks a series' consecutive, non-overlapping XOR chunks as one sample stream, keeping only samples in
 * [mint, maxt]. One {@link XorIterator} is reused for all chunks.
 */
public final class XorChunksIterator implements SampleIterator {
  private final List<XorChunk> chunks;
  private final long mint;
  private final long maxt;
  private final XorIterator it = new XorIterator();
  private int next;
  private boolean inChunk;
  private boolean done;

  public XorChunksIterator(List<XorChunk> chunks, long mint, long maxt) {
    this.chunks = chunks;
    this.mint = mint;
    this.maxt = maxt;
  }

  public XorChunksIterator(List<XorChunk> chunks) {
    this(chunks, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  @Override
  public ValueType next() {
    while (!done) {
      if (!inChunk) {
        if (next == chunks.size()) {
          done = true;
          break;
        }
        byte[] b = chunks.get(next++).bytes();
        it.reset(b, 0, b.length);
        inChunk = true;
      }
      if (it.next() == ValueType.NONE) {
        inChunk = false;
        continue;
      }
      long t = it.timestamp();
      if (t > maxt) {
        done = true;
        break;
      }
      if (t >= mint) {
        return ValueType.FLOAT;
      }
    }
    return ValueType.NONE;
  }

  @Override
  public ValueType seek(long t) {
    if (done) {
      return ValueType.NONE;
    }
    if (inChunk && it.timestamp() >= t && it.timestamp() >= mint) {
      return ValueType.FLOAT;
    }
    // Skip whole chunks that end before t without decoding them.
    if (!inChunk) {
      while (next < chunks.size() && chunks.get(next).maxTime() < t) {
        next++;
      }
    }
    ValueType vt;
    while ((vt = next()) == ValueType.FLOAT) {
      if (it.timestamp() >= t) {
        return vt;
      }
    }
    return ValueType.NONE;
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
