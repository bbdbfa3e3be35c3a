package io.promgate.model.chunk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads a bit stream written by {@link BitWriter}, most significant bit first.
 *
 * <p>Keeps up to 64 unread bits in a register, refilled eight bytes at a time where the chunk has them (as
 * Prometheus' {@code bstreamReader}): decoding is the hot loop of every query on the embedded store, and
 * reading byte by byte made most multi-bit reads loop two or three times.
 */
final class BitReader {
  private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private byte[] buf;
  private int end;
  private int idx; // next byte to load into the register
  private long buffer; // the low `valid` bits are unread, most significant first; higher bits are stale
  private int valid;

  void reset(byte[] buf, int offset, int length) {
    this.buf = buf;
    this.end = offset + length;
    this.idx = offset;
    this.buffer = 0;
    this.valid = 0;
  }

  boolean readBit() {
    if (valid == 0) {
      refill();
    }
    valid--;
    return ((buffer >>> valid) & 1) != 0;
  }

  /** The next n bits (0 <= n <= 64) as an unsigned number. */
  long readBits(int n) {
    if (n <= valid) {
      valid -= n;
      return (buffer >>> valid) & mask(n);
    }
    int have = valid;
    long hi = have == 0 ? 0 : buffer & mask(have);
    int need = n - have;
    valid = 0;
    refill();
    if (need > valid) {
      throw new ChunkFormatException("unexpected end of chunk");
    }
    valid -= need;
    long lo = (buffer >>> valid) & mask(need);
    // need == 64 only when nothing was left over (hi == 0), where a shift by 64 would be a no-op in Java.
    return need == 64 ? lo : (hi << need) | lo;
  }

  private static long mask(int n) {
    return n == 64 ? -1L : (1L << n) - 1;
  }

  /** Called with an empty register or with its bits already taken: loads up to 8 more bytes. */
  private void refill() {
    if (idx + 8 <= end) {
      buffer = (long) LONG_BE.get(buf, idx);
      idx += 8;
      valid = 64;
      return;
    }
    if (idx >= end) {
      throw new ChunkFormatException("unexpected end of chunk");
    }
    long b = 0;
    int n = 0;
    while (idx < end) {
      b = (b << 8) | (buf[idx++] & 0xff);
      n += 8;
    }
    buffer = b;
    valid = n;
  }

  int readByte() {
    return (int) readBits(8);
  }

  /** Go's {@code binary.ReadUvarint}. */
  long readUvarint() {
    long x = 0;
    int s = 0;
    for (int i = 0; i < 10; i++) {
      int b = readByte();
      if (b < 0x80) {
        if (i == 9 && b > 1) {
          throw new ChunkFormatException("varint overflows 64 bits");
        }
        return x | ((long) b << s);
      }
      x |= (long) (b & 0x7f) << s;
      s += 7;
    }
    throw new ChunkFormatException("varint overflows 64 bits");
  }

  /** Go's {@code binary.ReadVarint}: zig-zag. */
  long readVarint() {
    long ux = readUvarint();
    long x = ux >>> 1;
    return (ux & 1) != 0 ? ~x : x;
  }
}
