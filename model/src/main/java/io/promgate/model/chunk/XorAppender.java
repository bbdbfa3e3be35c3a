package io.promgate.model.chunk;

/**
 * Encodes float samples into one XOR chunk, byte for byte as Prometheus' {@code chunkenc.xorAppender}.
 *
 * <p>Layout: a 2-byte big-endian sample count, then the first sample as a zig-zag varint timestamp and the
 * raw 64 bits of its value, the second as an unsigned varint time delta and an XOR-encoded value, and every
 * later sample as a delta-of-delta timestamp in one of five buckets ({@code 0}, {@code 10}+14 bits,
 * {@code 110}+17, {@code 1110}+20, {@code 1111}+64) and a Gorilla XOR value that reuses the previous
 * leading/trailing zero window when the new one fits inside it. Those bucket bounds are Prometheus'
 * asymmetric {@code bitRange} ({@code -(2^(n-1)-1) <= dod <= 2^(n-1)}); matching them exactly is what keeps
 * the bytes identical, which the StoreAPI and remote read rely on.
 *
 * <p>Not thread-safe: the head guards each series' appender with the series' lock.
 */
public final class XorAppender {
  /** Leading-zero sentinel meaning "no XOR window yet", as Prometheus' 0xff. */
  private static final int NO_WINDOW = 0xff;
  static final int MAX_SAMPLES = 0xffff;

  private final BitWriter w;
  private int num;
  private long t;
  private double v;
  private long tDelta;
  private int leading = NO_WINDOW;
  private int trailing;
  private long minTime = Long.MAX_VALUE;

  public XorAppender() {
    this(128);
  }

  /** @param initialCapacity bytes to reserve; the buffer grows by doubling */
  public XorAppender(int initialCapacity) {
    w = new BitWriter(initialCapacity);
    w.appendRawByte(0);
    w.appendRawByte(0);
  }

  public void append(long ts, double value) {
    if (num == MAX_SAMPLES) {
      throw new IllegalStateException("XOR chunk is full (" + MAX_SAMPLES + " samples)");
    }
    switch (num) {
      case 0 -> {
        writeVarint(ts);
        w.writeBits(Double.doubleToRawLongBits(value), 64);
        minTime = ts;
      }
      case 1 -> {
        long delta = ts - t;
        writeUvarint(delta);
        writeValue(value);
        tDelta = delta;
      }
      default -> {
        long delta = ts - t;
        long dod = delta - tDelta;
        if (dod == 0) {
          w.writeBit(false);
        } else if (bitRange(dod, 14)) {
          w.writeBits(0b10, 2);
          w.writeBits(dod, 14);
        } else if (bitRange(dod, 17)) {
          w.writeBits(0b110, 3);
          w.writeBits(dod, 17);
        } else if (bitRange(dod, 20)) {
          w.writeBits(0b1110, 4);
          w.writeBits(dod, 20);
        } else {
          w.writeBits(0b1111, 4);
          w.writeBits(dod, 64);
        }
        writeValue(value);
        tDelta = delta;
      }
    }
    t = ts;
    v = value;
    num++;
    w.putShortAt(0, num);
  }

  static boolean bitRange(long x, int nbits) {
    return -((1L << (nbits - 1)) - 1) <= x && x <= 1L << (nbits - 1);
  }

  private void writeValue(double value) {
    long delta = Double.doubleToRawLongBits(value) ^ Double.doubleToRawLongBits(v);
    if (delta == 0) {
      w.writeBit(false);
      return;
    }
    w.writeBit(true);
    int newLeading = Long.numberOfLeadingZeros(delta);
    int newTrailing = Long.numberOfTrailingZeros(delta);
    if (newLeading >= 32) {
      newLeading = 31; // 5 bits only; Prometheus clamps the same way
    }
    if (leading != NO_WINDOW && newLeading >= leading && newTrailing >= trailing) {
      w.writeBit(false);
      w.writeBits(delta >>> trailing, 64 - leading - trailing);
      return;
    }
    leading = newLeading;
    trailing = newTrailing;
    w.writeBit(true);
    w.writeBits(newLeading, 5);
    int sigbits = 64 - newLeading - newTrailing;
    // 64 significant bits do not fit 6 bits: written as 0 and read back as 64, as Prometheus does.
    w.writeBits(sigbits, 6);
    w.writeBits(delta >>> newTrailing, sigbits);
  }

  private void writeVarint(long x) {
    writeUvarint((x << 1) ^ (x >> 63));
  }

  private void writeUvarint(long x) {
    while (Long.compareUnsigned(x, 0x80) >= 0) {
      w.writeByte((int) (x & 0x7f) | 0x80);
      x >>>= 7;
    }
    w.writeByte((int) x);
  }

  public int numSamples() {
    return num;
  }

  /** Timestamp of the first sample, Long.MAX_VALUE when empty. */
  public long minTime() {
    return minTime;
  }

  /** Timestamp of the last sample, undefined when empty. */
  public long maxTime() {
    return t;
  }

  public double lastValue() {
    return v;
  }

  /** Encoded size so far, header included. */
  public int byteLength() {
    return w.length();
  }

  /** Bytes allocated by the growing buffer (for memory accounting). */
  public int capacity() {
    return w.buffer().length;
  }

  /** A copy of the encoded chunk as it stands; appending later does not change it. */
  public byte[] toByteArray() {
    return w.toByteArray();
  }

  /** Copies the encoded bytes into {@code dst}, which must hold {@link #byteLength()} bytes. */
  public void copyTo(byte[] dst) {
    System.arraycopy(w.buffer(), 0, dst, 0, w.length());
  }

  /** An immutable chunk of what has been appended so far. */
  public XorChunk toChunk() {
    return new XorChunk(toByteArray(), minTime, t);
  }
}
