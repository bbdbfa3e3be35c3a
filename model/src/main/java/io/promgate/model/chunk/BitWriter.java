package io.promgate.model.chunk;

import java.util.Arrays;

/**
 * An append-only bit stream, most significant bit first, as Prometheus' {@code chunkenc.bstream}.
 *
 * <p>{@code freeBits} counts the unused low bits of the last byte (0 means the next bit starts a new byte),
 * exactly as bstream's {@code count}; that is what makes our byte output identical to Prometheus', including
 * its quirk that a byte-aligned {@link #writeByte} leaves an empty trailing byte behind.
 */
final class BitWriter {
  private byte[] buf;
  private int len;
  private int freeBits;

  BitWriter(int initialCapacity) {
    buf = new byte[Math.max(initialCapacity, 4)];
  }

  int length() {
    return len;
  }

  byte[] buffer() {
    return buf;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  /** Appends whole bytes regardless of the bit position (used for the chunk header). */
  void appendRawByte(int b) {
    ensure(1);
    buf[len++] = (byte) b;
  }

  void putShortAt(int offset, int v) {
    buf[offset] = (byte) (v >>> 8);
    buf[offset + 1] = (byte) v;
  }

  void writeBit(boolean bit) {
    if (freeBits == 0) {
      ensure(1);
      buf[len++] = 0;
      freeBits = 8;
    }
    if (bit) {
      buf[len - 1] |= (byte) (1 << (freeBits - 1));
    }
    freeBits--;
  }

  void writeByte(int b) {
    ensure(1);
    b &= 0xff;
    if (freeBits == 0) {
      // Prometheus' bstream.writeByte opens a new byte, fills it whole and then appends one more empty byte
      // with 8 free bits. That trailing zero byte is part of the chunk bytes Prometheus emits, so we keep it.
      ensure(2);
      buf[len++] = (byte) b;
      buf[len++] = 0;
      freeBits = 8;
      return;
    }
    // The high bits fill the current byte, the low bits start the next one; freeBits stays the same.
    buf[len - 1] |= (byte) (b >>> (8 - freeBits));
    buf[len++] = (byte) (b << freeBits);
  }

  /** Writes the low {@code nbits} bits of {@code u}, most significant first. */
  void writeBits(long u, int nbits) {
    if (nbits == 0) {
      return;
    }
    u <<= 64 - nbits;
    while (nbits >= 8) {
      writeByte((int) (u >>> 56));
      u <<= 8;
      nbits -= 8;
    }
    while (nbits > 0) {
      writeBit(u < 0);
      u <<= 1;
      nbits--;
    }
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
  }
}
