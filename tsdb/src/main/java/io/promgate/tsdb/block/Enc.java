package io.promgate.tsdb.block;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/** A growable big-endian byte buffer with Go's varint encodings, as Prometheus' {@code encoding.Encbuf}. */
final class Enc {
  byte[] b;
  int n;

  Enc(int size) {
    b = new byte[Math.max(16, size)];
  }

  void reset() {
    n = 0;
  }

  private void ensure(int more) {
    if (n + more > b.length) {
      b = Arrays.copyOf(b, Math.max(n + more, b.length * 2));
    }
  }

  void put(int v) {
    ensure(1);
    b[n++] = (byte) v;
  }

  void be32(int v) {
    ensure(4);
    b[n++] = (byte) (v >>> 24);
    b[n++] = (byte) (v >>> 16);
    b[n++] = (byte) (v >>> 8);
    b[n++] = (byte) v;
  }

  void be32At(int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  void be64(long v) {
    be32((int) (v >>> 32));
    be32((int) v);
  }

  void uvarint(long x) {
    ensure(10);
    while (Long.compareUnsigned(x, 0x80) >= 0) {
      b[n++] = (byte) ((x & 0x7f) | 0x80);
      x >>>= 7;
    }
    b[n++] = (byte) x;
  }

  /** Go's zig-zag {@code PutVarint}. */
  void varint(long x) {
    uvarint((x << 1) ^ (x >> 63));
  }

  void bytes(byte[] src, int off, int len) {
    ensure(len);
    System.arraycopy(src, off, b, n, len);
    n += len;
  }

  void uvarintString(String s) {
    byte[] u = s.getBytes(StandardCharsets.UTF_8);
    uvarint(u.length);
    bytes(u, 0, u.length);
  }

  /** CRC32 Castagnoli of b[from, n), as Prometheus uses everywhere in blocks. */
  int crc(int from) {
    CRC32C c = new CRC32C();
    c.update(b, from, n - from);
    return (int) c.getValue();
  }

  static int uvarintSize(long x) {
    int s = 1;
    while (Long.compareUnsigned(x, 0x80) >= 0) {
      x >>>= 7;
      s++;
    }
    return s;
  }
}
