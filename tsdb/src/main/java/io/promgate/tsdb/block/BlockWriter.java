package io.promgate.tsdb.block;

import io.promgate.model.Labels;
import io.promgate.model.chunk.XorChunk;
import io.promgate.tsdb.head.ChunkSeries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes one block directory in Prometheus' on-disk format ({@code tsdb/docs/format}): {@code chunks/000001..},
 * {@code index} (v2), {@code tombstones} (empty) and {@code meta.json}. Everything goes into
 * {@code <ulid>.tmp}, every file is fsynced, then the directory is renamed to {@code <ulid>} and the parent
 * fsynced: a crash leaves either a whole block or a {@code .tmp} directory that the next start deletes.
 * Prometheus' {@code LeveledCompactor.write} works the same way.
 */
public final class BlockWriter {
  private BlockWriter() {
  }

  /**
   * Writes the series (any order; sorted here) as a block; chunks must lie within [minTime, maxTime) of the
   * meta, which is rewritten with the real stats. Returns the final block directory.
   */
  public static Path write(Path parent, BlockMeta meta, List<ChunkSeries> input) throws IOException {
    List<ChunkSeries> series = new ArrayList<>(input.size());
    for (ChunkSeries s : input) {
      if (!s.chunks().isEmpty()) {
        series.add(s);
      }
    }
    series.sort(Comparator.comparing(ChunkSeries::labels));
    Path tmp = parent.resolve(meta.ulid() + ".tmp");
    Path dir = parent.resolve(meta.ulid());
    deleteRecursively(tmp);
    Files.createDirectories(tmp.resolve("chunks"));

    long[][] refs = new long[series.size()][];
    long samples = 0;
    long chunks = 0;
    try (ChunkSegmentWriter cw = new ChunkSegmentWriter(tmp.resolve("chunks"))) {
      for (int i = 0; i < series.size(); i++) {
        List<XorChunk> cs = series.get(i).chunks();
        refs[i] = new long[cs.size()];
        for (int j = 0; j < cs.size(); j++) {
          XorChunk c = cs.get(j);
          if (c.minTime() < meta.minTime() || c.maxTime() >= meta.maxTime()) {
            throw new IllegalArgumentException("chunk " + c + " of " + series.get(i).labels()
                + " outside block range [" + meta.minTime() + ", " + meta.maxTime() + ")");
          }
          refs[i][j] = cw.write(c);
          samples += c.numSamples();
          chunks++;
        }
      }
    }
    List<Labels> labels = new ArrayList<>(series.size());
    List<List<XorChunk>> metas = new ArrayList<>(series.size());
    for (ChunkSeries s : series) {
      labels.add(s.labels());
      metas.add(s.chunks());
    }
    IndexWriter.write(tmp.resolve("index"), labels, metas, refs);
    writeSynced(tmp.resolve("tombstones"), Tombstones.EMPTY);
    BlockMeta done = meta.withStats(samples, series.size(), chunks);
    writeSynced(tmp.resolve("meta.json"), done.toJson().getBytes(StandardCharsets.UTF_8));
    fsyncDir(tmp.resolve("chunks"));
    fsyncDir(tmp);
    CrashPoint.hit("after-block-tmp-written");
    CrashPoint.hit("before-block-rename");
    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    fsyncDir(parent);
    return dir;
  }

  static void writeSynced(Path p, byte[] data) throws IOException {
    try (var ch = java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(data);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
  }

  public static void fsyncDir(Path dir) throws IOException {
    try (var ch = java.nio.channels.FileChannel.open(dir, java.nio.file.StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  public static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }

  /** The empty tombstones file: magic, format version 1, CRC32C of no tombstones (which is 0). */
  static final class Tombstones {
    static final int MAGIC = 0x0130BA30;
    static final byte[] EMPTY = {0x01, 0x30, (byte) 0xBA, 0x30, 0x01, 0, 0, 0, 0};

    private Tombstones() {
    }
  }
}
