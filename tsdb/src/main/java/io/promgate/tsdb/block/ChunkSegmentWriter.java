package io.promgate.tsdb.block;

import io.promgate.tsdb.io.WritableFiles;
import io.promgate.model.chunk.XorChunk;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes {@code chunks/000001...} segment files ({@code tsdb/docs/format/chunks.md}): an 8-byte header
 * (magic 0x85BD40DD, version 1, 3 bytes padding), then per chunk: uvarint data length, encoding byte,
 * data, CRC32C over encoding and data. A chunk's reference is {@code segment index << 32 | offset}, where
 * the index counts from 0 for file 000001. Segments are closed at 512 MiB, Prometheus' default.
 */
final class ChunkSegmentWriter implements AutoCloseable {
  static final int MAGIC = 0x85BD40DD;
  static final long SEGMENT_BYTES = 512L << 20;

  private final Path dir;
  private final Enc enc = new Enc(512);
  private FileChannel channel;
  private OutputStream out;
  private int segment = -1;
  private long pos;

  ChunkSegmentWriter(Path dir) {
    this.dir = dir;
  }

  long write(XorChunk c) throws IOException {
    byte[] data = c.bytes();
    enc.reset();
    enc.uvarint(data.length);
    int crcFrom = enc.n;
    enc.put(XorChunk.ENCODING);
    enc.bytes(data, 0, data.length);
    enc.be32(enc.crc(crcFrom));
    if (out == null || pos + enc.n > SEGMENT_BYTES) {
      next();
    }
    long ref = ((long) segment << 32) | pos;
    out.write(enc.b, 0, enc.n);
    pos += enc.n;
    return ref;
  }

  private void next() throws IOException {
    close();
    segment++;
    channel = WritableFiles.open(dir.resolve(String.format("%06d", segment + 1)),
        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
    out.write(new byte[] {(byte) 0x85, (byte) 0xBD, 0x40, (byte) 0xDD, 1, 0, 0, 0});
    pos = 8;
  }

  @Override
  public void close() throws IOException {
    if (out != null) {
      out.flush();
      channel.force(true);
      out.close();
      out = null;
    }
  }
}
