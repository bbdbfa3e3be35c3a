package io.promgate.gateway.write;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over protobuf wire bytes for {@link WriteRequestDecoder}; every read is bounds-checked against
 * the end of the enclosing message, so a lying length can never read past it.
 */
final class WireReader {
  /** Bytes that are not a well-formed message; the message goes to the sender (400). */
  static final class MalformedException extends Exception {
    MalformedException(String message) {
      super(message, null, false, false);
    }
  }

  final byte[] b;
  int pos;
  final int limit;

  WireReader(byte[] b, int pos, int limit) {
    this.b = b;
    this.pos = pos;
    this.limit = limit;
  }

  boolean more() {
    return pos < limit;
  }

  int tag() throws MalformedException {
    return tag(limit);
  }

  int tag(int end) throws MalformedException {
    long t = varint(end);
    if (t <= 0 || t > Integer.MAX_VALUE || (t >>> 3) == 0) {
      throw new MalformedException("invalid tag " + t);
    }
    return (int) t;
  }

  long varint(int end) throws MalformedException {
    long x = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw truncated();
      }
      byte v = b[pos++];
      x |= (long) (v & 0x7f) << shift;
      if (v >= 0) {
        return x;
      }
    }
    throw new MalformedException("malformed varint");
  }

  long fixed64(int end) throws MalformedException {
    if (end - pos < 8) {
      throw truncated();
    }
    long x = 0;
    for (int i = 7; i >= 0; i--) {
      x = x << 8 | (b[pos + i] & 0xff);
    }
    pos += 8;
    return x;
  }

  int lengthEnd() throws MalformedException {
    return lengthEnd(limit);
  }

  /** Reads a length prefix; returns where the field's bytes end (pos is at their start). */
  int lengthEnd(int end) throws MalformedException {
    long n = varint(end);
    if (n < 0 || n > end - pos) {
      throw n < 0 ? new MalformedException("negative length") : truncated();
    }
    return pos + (int) n;
  }

  String string(int end) throws MalformedException {
    int e = lengthEnd(end);
    int i = pos;
    while (i < e && b[i] >= 0) {
      i++;
    }
    String s;
    if (i == e) { // ASCII, the usual case
      s = new String(b, pos, e - pos, StandardCharsets.ISO_8859_1);
    } else {
      try {
        s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, pos, e - pos)).toString();
      } catch (CharacterCodingException bad) {
        throw new MalformedException("string field contains invalid UTF-8");
      }
    }
    pos = e;
    return s;
  }

  void skip(int tag) throws MalformedException {
    skip(tag, limit);
  }

  void skip(int tag, int end) throws MalformedException {
    switch (tag & 7) {
      case 0 -> varint(end);
      case 1 -> {
        if (end - pos < 8) {
          throw truncated();
        }
        pos += 8;
      }
      case 2 -> pos = lengthEnd(end);
      case 5 -> {
        if (end - pos < 4) {
          throw truncated();
        }
        pos += 4;
      }
      default -> throw new MalformedException("unsupported wire type " + (tag & 7));
    }
  }

  private static MalformedException truncated() {
    return new MalformedException("truncated message (a field runs past the end of its enclosing message)");
  }
}
