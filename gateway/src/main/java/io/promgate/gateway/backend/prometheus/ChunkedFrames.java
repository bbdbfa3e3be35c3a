package io.promgate.gateway.backend.prometheus;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Splits a {@code STREAMED_XOR_CHUNKS} remote-read body into its frames (Prometheus
 * {@code storage/remote/chunked.go}, {@code ChunkedReader.Next}): each frame is the message size as an
 * unsigned varint, a big-endian uint32 CRC32C (Castagnoli) of the message, then the message bytes
 * (one {@code ChunkedReadResponse}). A wrong checksum or a frame cut short is an error: a silently
 * truncated answer would look like missing data.
 */
final class ChunkedFrames {
  /** Prometheus' default limit on one frame (remote_read_max_bytes_in_frame default 1 MiB, reader allows 50 MiB). */
  static final int MAX_FRAME = 50 << 20;

  private ChunkedFrames() {}

  /** One frame's message, in place in the body (frames are not copied out). */
  record Frame(byte[] body, int offset, int length) {
    com.google.protobuf.CodedInputStream input() {
      return com.google.protobuf.CodedInputStream.newInstance(body, offset, length);
    }
  }

  /** The frames' messages as copies (tests). */
  static List<byte[]> split(byte[] body) throws IOException {
    List<byte[]> out = new ArrayList<>();
    for (Frame f : frames(body)) {
      out.add(java.util.Arrays.copyOfRange(body, f.offset(), f.offset() + f.length()));
    }
    return out;
  }

  /** The frames of a whole body, checksums verified. */
  static List<Frame> frames(byte[] body) throws IOException {
    List<Frame> out = new ArrayList<>();
    int pos = 0;
    while (pos < body.length) {
      long size = 0;
      int shift = 0;
      while (true) {
        if (pos >= body.length) {
          throw new IOException("remote read stream ends inside a frame size");
        }
        byte b = body[pos++];
        size |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          break;
        }
        shift += 7;
        if (shift > 63) {
          throw new IOException("remote read frame size varint overflows");
        }
      }
      if (size > MAX_FRAME) {
        throw new IOException("remote read frame of " + size + " bytes exceeds " + MAX_FRAME);
      }
      if (pos + 4 + size > body.length) {
        throw new IOException("remote read stream ends inside a frame (" + size + " bytes announced, "
            + Math.max(0, body.length - pos - 4) + " present)");
      }
      long want = ((body[pos] & 0xffL) << 24) | ((body[pos + 1] & 0xffL) << 16) | ((body[pos + 2] & 0xffL) << 8)
          | (body[pos + 3] & 0xffL);
      pos += 4;
      CRC32C crc = new CRC32C();
      crc.update(body, pos, (int) size);
      if (crc.getValue() != want) {
        throw new IOException("remote read frame checksum mismatch");
      }
      out.add(new Frame(body, pos, (int) size));
      pos += (int) size;
    }
    return out;
  }

  /** Encodes frames (tests, and a fake server). */
  static byte[] encode(List<byte[]> messages) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] m : messages) {
      long v = m.length;
      while ((v & ~0x7fL) != 0) {
        out.write((int) ((v & 0x7f) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
      CRC32C crc = new CRC32C();
      crc.update(m);
      long c = crc.getValue();
      out.write((int) (c >>> 24));
      out.write((int) (c >>> 16));
      out.write((int) (c >>> 8));
      out.write((int) c);
      out.write(m, 0, m.length);
    }
    return out.toByteArray();
  }
}
