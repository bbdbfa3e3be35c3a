package io.promgate.model.chunk;

import io.promgate.model.SampleIterator;
import io.promgate.model.ValueType;

/**
 * Decodes an XOR chunk (see {@link XorAppender} for the layout), as Prometheus' {@code xorIterator}.
 * Reusable through {@link #reset}, so a reader walking many chunks allocates one iterator.
 * Malformed bytes throw {@link ChunkFormatException}.
 */
public final class XorIterator implements SampleIterator {
  private final BitReader r = new BitReader();
  private int total;
  private int read;
  private long t;
  private double v;
  private long tDelta;
  private int leading;
  private int trailing;
  private boolean done;

  public XorIterator() {
    reset(new byte[] {0, 0}, 0, 2);
  }

  public XorIterator(byte[] chunk) {
    reset(chunk, 0, chunk.length);
  }

  public XorIterator reset(byte[] chunk, int offset, int length) {
    if (length < 2) {
      throw new ChunkFormatException("XOR chunk shorter than its 2-byte header: " + length);
    }
    total = ((chunk[offset] & 0xff) << 8) | (chunk[offset + 1] & 0xff);
    r.reset(chunk, offset + 2, length - 2);
    read = 0;
    t = Long.MIN_VALUE;
    v = 0;
    tDelta = 0;
    leading = 0;
    trailing = 0;
    done = false;
    return this;
  }

  /** Number of samples the header announces. */
  public int numSamples() {
    return total;
  }

  @Override
  public ValueType next() {
    if (done || read == total) {
      done = true;
      return ValueType.NONE;
    }
    if (read == 0) {
      t = r.readVarint();
      v = Double.longBitsToDouble(r.readBits(64));
    } else if (read == 1) {
      tDelta = r.readUvarint();
      t += tDelta;
      readValue();
    } else {
      int d = 0;
      for (int i = 0; i < 4; i++) {
        d <<= 1;
        if (!r.readBit()) {
          break;
        }
        d |= 1;
      }
      long dod = switch (d) {
        case 0b0 -> 0;
        case 0b10 -> signed(r.readBits(14), 14);
        case 0b110 -> signed(r.readBits(17), 17);
        case 0b1110 -> signed(r.readBits(20), 20);
        default -> r.readBits(64);
      };
      tDelta += dod;
      t += tDelta;
      readValue();
    }
    read++;
    return ValueType.FLOAT;
  }

  /** Undoes two's complement truncation the way Prometheus' reader does (mirror of bitRange). */
  private static long signed(long bits, int sz) {
    return bits > (1L << (sz - 1)) ? bits - (1L << sz) : bits;
  }

  private void readValue() {
    if (!r.readBit()) {
      return; // same value
    }
    int sig;
    if (!r.readBit()) {
      sig = 64 - leading - trailing;
    } else {
      leading = (int) r.readBits(5);
      sig = (int) r.readBits(6);
      if (sig == 0) {
        sig = 64;
      }
      trailing = 64 - leading - sig;
    }
    long bits = r.readBits(sig);
    v = Double.longBitsToDouble(Double.doubleToRawLongBits(v) ^ (bits << trailing));
  }

  @Override
  public ValueType seek(long ts) {
    if (done) {
      return ValueType.NONE;
    }
    if (read > 0 && t >= ts) {
      return ValueType.FLOAT;
    }
    while (next() == ValueType.FLOAT) {
      if (t >= ts) {
        return ValueType.FLOAT;
      }
    }
    return ValueType.NONE;
  }

  @Override
  public long timestamp() {
    return t;
  }

  @Override
  public double value() {
    return v;
  }
}
