package io.promgate.tsdb.block;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/** A cursor over a read-only (mmapped) buffer with Go's varint decodings; absolute positions. */
final class Dec {
  final ByteBuffer b;
  int pos;

  Dec(ByteBuffer b, int pos) {
    this.b = b;
    this.pos = pos;
  }

  int u8() {
    return b.get(pos++) & 0xff;
  }

  int be32() {
    int v = b.getInt(pos);
    pos += 4;
    return v;
  }

  long be64() {
    long v = b.getLong(pos);
    pos += 8;
    return v;
  }

  long uvarint() {
    long x = 0;
    for (int s = 0; s < 70; s += 7) {
      int c = u8();
      x |= (long) (c & 0x7f) << s;
      if (c < 0x80) {
        return x;
      }
    }
    throw new BlockFormatException("varint overflow at " + pos);
  }

  long varint() {
    long u = uvarint();
    return (u >>> 1) ^ -(u & 1);
  }

  String uvarintString() {
    int n = (int) uvarint();
    return string(n);
  }

  String string(int n) {
    byte[] s = new byte[n];
    b.get(pos, s);
    pos += n;
    return new String(s, StandardCharsets.UTF_8);
  }

  void skipUvarintBytes() {
    int n = (int) uvarint();
    pos += n;
  }

  static int crc(ByteBuffer b, int from, int len) {
    CRC32C c = new CRC32C();
    c.update(b.slice(from, len));
    return (int) c.getValue();
  }

  /** Checks the CRC32C that follows [from, from+len); throws naming what was corrupt. */
  static void checkCrc(ByteBuffer b, int from, int len, String what) {
    if (from < 0 || len < 0 || (long) from + len + 4 > b.limit()) {
      throw new BlockFormatException(what + ": length " + len + " at " + from + " beyond end of file");
    }
    if (crc(b, from, len) != b.getInt(from + len)) {
      throw new BlockFormatException(what + ": CRC mismatch at offset " + from);
    }
  }
}
