package io.promgate.tsdb.block;

import io.promgate.model.chunk.XorChunk;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where a block's chunk data comes from: local segment files (memory-mapped) or an object store (ranged
 * reads). Refs are Prometheus block chunk refs: {@code segment index << 32 | offset}.
 */
public interface ChunkSource {
  /** The data of each chunk, in the order of {@code refs} (which callers pass sorted ascending). */
  byte[][] read(long[] refs) throws IOException;

  /** Bytes of the chunk files. */
  long sizeBytes();

  /**
   * Decodes the chunk at {@code off} of a segment buffer: uvarint length, encoding (must be XOR), data, and
   * the CRC32C over encoding and data. Returns the data, copied.
   */
  static byte[] decode(ByteBuffer b, int off, String what) {
    Dec d = new Dec(b, off);
    int len = (int) d.uvarint();
    Dec.checkCrc(b, d.pos, len + 1, what);
    int enc = d.u8();
    if (enc != XorChunk.ENCODING) {
      throw new BlockFormatException(what + " has encoding " + enc + ", only XOR (1) is supported");
    }
    byte[] data = new byte[len];
    b.get(d.pos, data);
    return data;
  }
}
