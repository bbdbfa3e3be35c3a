package io.promgate.model.chunk;

/** Reads a bit stream written by {@link BitWriter}, most significant bit first. */
final class BitReader {
  private byte[] buf;
  private int end;
  private long pos; // in bits from the start of buf

  void reset(byte[] buf, int offset, int length) {
    this.buf = buf;
    this.end = offset + length;
    this.pos = (long) offset << 3;
  }

  boolean readBit() {
    int idx = (int) (pos >>> 3);
    if (idx >= end) {
      throw new ChunkFormatException("unexpected end of chunk");
    }
    int bit = (buf[idx] >>> (7 - (int) (pos & 7))) & 1;
    pos++;
    return bit != 0;
  }

  long readBits(int n) {
    long v = 0;
    while (n > 0) {
      int idx = (int) (pos >>> 3);
      if (idx >= end) {
        throw new ChunkFormatException("unexpected end of chunk");
      }
      int avail = 8 - (int) (pos & 7);
      int take = Math.min(avail, n);
      int bits = ((buf[idx] & 0xff) >>> (avail - take)) & ((1 << take) - 1);
      v = (v << take) | bits;
      pos += take;
      n -= take;
    }
    return v;
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
