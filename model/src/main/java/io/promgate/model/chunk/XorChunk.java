package io.promgate.model.chunk;

import java.util.Arrays;

/**
 * An immutable XOR-encoded chunk (Prometheus encoding {@code EncXOR = 1}) with its time bounds.
 * The byte array is owned by the chunk: callers must not modify it.
 */
public final class XorChunk {
  /** Prometheus' {@code chunkenc.EncXOR}, as carried in chunk files, remote read and the StoreAPI. */
  public static final int ENCODING = 1;
  /** Samples per chunk in the head, as Prometheus' default {@code samplesPerChunk}. */
  public static final int SAMPLES_PER_CHUNK = 120;

  private final byte[] bytes;
  private final long minTime;
  private final long maxTime;

  public XorChunk(byte[] bytes, long minTime, long maxTime) {
    this.bytes = bytes;
    this.minTime = minTime;
    this.maxTime = maxTime;
  }

  /** Decodes the time bounds from the bytes themselves (walks the chunk once). */
  public static XorChunk of(byte[] bytes) {
    XorIterator it = new XorIterator(bytes);
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    while (it.next() != io.promgate.model.ValueType.NONE) {
      min = Math.min(min, it.timestamp());
      max = Math.max(max, it.timestamp());
    }
    return new XorChunk(bytes, min, max);
  }

  /** Encodes parallel arrays of timestamps and values into one chunk. */
  public static XorChunk encode(long[] timestamps, double[] values) {
    if (timestamps.length != values.length) {
      throw new IllegalArgumentException("timestamps and values differ in length");
    }
    XorAppender a = new XorAppender();
    for (int i = 0; i < timestamps.length; i++) {
      a.append(timestamps[i], values[i]);
    }
    return a.toChunk();
  }

  public byte[] bytes() {
    return bytes;
  }

  public long minTime() {
    return minTime;
  }

  public long maxTime() {
    return maxTime;
  }

  public int numSamples() {
    return numSamples(bytes);
  }

  public static int numSamples(byte[] chunk) {
    return ((chunk[0] & 0xff) << 8) | (chunk[1] & 0xff);
  }

  public XorIterator iterator() {
    return new XorIterator(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof XorChunk c && c.minTime == minTime && c.maxTime == maxTime && Arrays.equals(c.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "XorChunk[" + numSamples() + " samples, " + minTime + ".." + maxTime + ", " + bytes.length + " bytes]";
  }
}
