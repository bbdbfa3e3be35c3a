package io.promgate.tsdb.block;

import io.promgate.tsdb.io.WritableFiles;
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
   * Series to write, sorted by labels, with chunks loaded only when the writer gets to them, so that a
   * compaction streams chunk data instead of holding whole blocks in memory.
   */
  public interface SeriesSource {
    int size();

    /** Labels of series i; ascending in i. */
    Labels labels(int i);

    /** Chunks of series i in time order, each within the block range; called once, in order of i. */
    List<XorChunk> chunks(int i) throws IOException;
  }

  /** Writes in-memory series (any order; sorted here, series without chunks dropped). */
  public static Path write(Path parent, BlockMeta meta, List<ChunkSeries> input) throws IOException {
    List<ChunkSeries> series = new ArrayList<>(input.size());
    for (ChunkSeries s : input) {
      if (!s.chunks().isEmpty()) {
        series.add(s);
      }
    }
    series.sort(Comparator.comparing(ChunkSeries::labels));
    return write(parent, meta, new SeriesSource() {
      @Override
      public int size() {
        return series.size();
      }

      @Override
      public Labels labels(int i) {
        return series.get(i).labels();
      }

      @Override
      public List<XorChunk> chunks(int i) {
        return series.get(i).chunks();
      }
    });
  }

  /**
   * Writes a block; the meta is rewritten with the real stats. Memory: labels and chunk metas of all
   * series, chunk data of one series at a time. Returns the final block directory.
   */
  public static Path write(Path parent, BlockMeta meta, SeriesSource src) throws IOException {
    Path tmp = parent.resolve(meta.ulid() + ".tmp");
    deleteRecursively(tmp);
    try {
      return writeInto(tmp, parent, meta, src);
    } catch (IOException | RuntimeException e) {
      try {
        deleteRecursively(tmp); // a full disk would stay full of half blocks until the next start
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  private static Path writeInto(Path tmp, Path parent, BlockMeta meta, SeriesSource src) throws IOException {
    Path dir = parent.resolve(meta.ulid());
    Files.createDirectories(tmp.resolve("chunks"));

    List<Labels> labels = new ArrayList<>(src.size());
    List<long[]> metas = new ArrayList<>(src.size()); // per series: minT, maxT, ref per chunk
    long samples = 0;
    long chunks = 0;
    try (ChunkSegmentWriter cw = new ChunkSegmentWriter(tmp.resolve("chunks"))) {
      for (int i = 0; i < src.size(); i++) {
        List<XorChunk> cs = src.chunks(i);
        if (cs.isEmpty()) {
          continue;
        }
        long[] m = new long[cs.size() * 3];
        for (int j = 0; j < cs.size(); j++) {
          XorChunk c = cs.get(j);
          if (c.minTime() < meta.minTime() || c.maxTime() >= meta.maxTime()) {
            throw new IllegalArgumentException("chunk " + c + " of " + src.labels(i)
                + " outside block range [" + meta.minTime() + ", " + meta.maxTime() + ")");
          }
          m[3 * j] = c.minTime();
          m[3 * j + 1] = c.maxTime();
          m[3 * j + 2] = cw.write(c);
          samples += c.numSamples();
          chunks++;
        }
        labels.add(src.labels(i));
        metas.add(m);
      }
    }
    IndexWriter.write(tmp.resolve("index"), labels, metas);
    writeSynced(tmp.resolve("tombstones"), Tombstones.EMPTY);
    BlockMeta done = meta.withStats(samples, labels.size(), chunks);
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
    try (var ch = WritableFiles.open(p, java.nio.file.StandardOpenOption.CREATE,
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
