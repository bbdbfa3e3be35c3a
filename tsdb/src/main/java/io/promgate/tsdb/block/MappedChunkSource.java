package io.promgate.tsdb.block;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/** Chunk segment files of a local block, memory-mapped read-only. */
final class MappedChunkSource implements ChunkSource {
  private final Path dir;
  private final ByteBuffer[] segments;
  private final long size;

  MappedChunkSource(Path chunksDir) throws IOException {
    this.dir = chunksDir;
    List<Path> files;
    try (Stream<Path> s = Files.isDirectory(chunksDir) ? Files.list(chunksDir) : Stream.empty()) {
      files = s.filter(p -> p.getFileName().toString().matches("\\d{6}")).sorted().toList();
    }
    segments = new ByteBuffer[files.size()];
    long total = 0;
    for (int i = 0; i < segments.length; i++) {
      try (FileChannel ch = FileChannel.open(files.get(i), StandardOpenOption.READ)) {
        if (ch.size() > Integer.MAX_VALUE) {
          throw new BlockFormatException(files.get(i) + ": chunk segment larger than 2 GiB");
        }
        segments[i] = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        total += ch.size();
      }
      if (segments[i].limit() < 8 || segments[i].getInt(0) != ChunkSegmentWriter.MAGIC) {
        throw new BlockFormatException(files.get(i) + ": not a chunk segment (bad magic)");
      }
    }
    size = total;
  }

  @Override
  public byte[][] read(long[] refs) {
    byte[][] out = new byte[refs.length][];
    for (int i = 0; i < refs.length; i++) {
      int seg = (int) (refs[i] >>> 32);
      if (seg >= segments.length) {
        throw new BlockFormatException(dir + ": chunk ref " + refs[i] + " points to missing segment " + (seg + 1));
      }
      out[i] = ChunkSource.decode(segments[seg], (int) refs[i], dir + " chunk " + refs[i]);
    }
    return out;
  }

  @Override
  public long sizeBytes() {
    return size;
  }
}
