package io.promgate.tsdb.block;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.Querier;
import io.promgate.model.Queryable;
import io.promgate.model.chunk.XorChunk;
import io.promgate.tsdb.head.ChunkSeries;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Stream;

/**
 * One persisted block, opened read-only: its meta, its index and its chunk segments, all memory-mapped.
 * Immutable and safe for concurrent readers. Deleting the directory while queries run is safe on Linux:
 * the mappings keep the data until they are garbage collected.
 */
public final class Block implements Queryable {
  private final Path dir;
  private final BlockMeta meta;
  private final IndexReader index;
  private final ByteBuffer[] segments;
  private final long sizeBytes;

  private Block(Path dir, BlockMeta meta, IndexReader index, ByteBuffer[] segments, long sizeBytes) {
    this.dir = dir;
    this.meta = meta;
    this.index = index;
    this.segments = segments;
    this.sizeBytes = sizeBytes;
  }

  public static Block open(Path dir) throws IOException {
    BlockMeta meta = BlockMeta.fromJson(Files.readString(dir.resolve("meta.json"), StandardCharsets.UTF_8));
    IndexReader index = new IndexReader(dir.resolve("index"));
    List<Path> files;
    Path chunksDir = dir.resolve("chunks");
    try (Stream<Path> s = Files.isDirectory(chunksDir) ? Files.list(chunksDir) : Stream.empty()) {
      files = s.filter(p -> p.getFileName().toString().matches("\\d{6}")).sorted().toList();
    }
    ByteBuffer[] segs = new ByteBuffer[files.size()];
    long size = index.sizeBytes();
    for (int i = 0; i < segs.length; i++) {
      try (FileChannel ch = FileChannel.open(files.get(i), StandardOpenOption.READ)) {
        segs[i] = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        size += ch.size();
      }
      if (segs[i].limit() < 8 || segs[i].getInt(0) != ChunkSegmentWriter.MAGIC) {
        throw new BlockFormatException(files.get(i) + ": not a chunk segment (bad magic)");
      }
    }
    return new Block(dir, meta, index, segs, size);
  }

  public BlockMeta meta() {
    return meta;
  }

  public Path dir() {
    return dir;
  }

  /** Bytes of index and chunk files (what retention by size counts). */
  public long sizeBytes() {
    return sizeBytes;
  }

  public boolean overlaps(long mint, long maxt) {
    return meta.minTime() <= maxt && meta.maxTime() > mint;
  }

  @Override
  public Querier querier(long mint, long maxt) {
    return new BlockQuerier(this, mint, maxt);
  }

  IndexReader index() {
    return index;
  }

  /**
   * Series refs matching all matchers, with Prometheus' {@code PostingsForMatchers} semantics: matchers
   * that match the empty string also select series without the label, so they subtract the series whose
   * value they reject; when no matcher selects positively the start set is all series.
   */
  BitSet postings(List<LabelMatcher> matchers) {
    BitSet result = null;
    BitSet subtract = new BitSet();
    for (LabelMatcher m : matchers) {
      if (m.type() == LabelMatcher.Type.RE && m.value().equals(".*")) {
        continue;
      }
      IndexReader.Values vs = m.name().isEmpty() ? null : index.values(m.name());
      BitSet s = new BitSet();
      boolean empty = m.matchesEmpty();
      if (vs != null) {
        if (!empty && m.type() == LabelMatcher.Type.EQ) {
          int i = vs.find(m.value());
          if (i >= 0) {
            index.postingsInto(vs.offsets()[i], s);
          }
        } else {
          for (int i = 0; i < vs.values().length; i++) {
            if (m.matches(vs.values()[i]) != empty) {
              index.postingsInto(vs.offsets()[i], s);
            }
          }
        }
      }
      if (empty) {
        subtract.or(s);
      } else {
        if (result == null) {
          result = s;
        } else {
          result.and(s);
        }
        if (result.isEmpty()) {
          return result;
        }
      }
    }
    if (result == null) {
      result = index.allPostings();
    }
    result.andNot(subtract);
    return result;
  }

  /** Matching series sorted by labels, with their chunks overlapping [mint, maxt] (read from the maps). */
  public List<ChunkSeries> selectChunks(List<LabelMatcher> matchers, long mint, long maxt) {
    List<ChunkSeries> out = new ArrayList<>();
    if (!overlaps(mint, maxt)) {
      return out;
    }
    BitSet refs = postings(matchers);
    List<IndexReader.ChunkMeta> metas = new ArrayList<>();
    for (int ref = refs.nextSetBit(0); ref >= 0; ref = refs.nextSetBit(ref + 1)) {
      metas.clear();
      Labels l = index.series(ref, mint, maxt, metas);
      if (metas.isEmpty()) {
        continue;
      }
      List<XorChunk> chunks = new ArrayList<>(metas.size());
      for (IndexReader.ChunkMeta cm : metas) {
        chunks.add(new XorChunk(chunk(cm.ref()), cm.minTime(), cm.maxTime()));
      }
      out.add(new ChunkSeries(l, chunks));
    }
    return out;
  }

  /** Labels of matching series that have chunks in [mint, maxt]. */
  List<Labels> selectLabels(List<LabelMatcher> matchers, long mint, long maxt) {
    List<Labels> out = new ArrayList<>();
    if (!overlaps(mint, maxt)) {
      return out;
    }
    BitSet refs = postings(matchers);
    List<IndexReader.ChunkMeta> metas = new ArrayList<>();
    for (int ref = refs.nextSetBit(0); ref >= 0; ref = refs.nextSetBit(ref + 1)) {
      metas.clear();
      Labels l = index.series(ref, mint, maxt, metas);
      if (!metas.isEmpty()) {
        out.add(l);
      }
    }
    return out;
  }

  /** The data of one chunk (encoding byte checked, CRC verified), copied out of the map. */
  byte[] chunk(long ref) {
    int seg = (int) (ref >>> 32);
    int off = (int) ref;
    if (seg >= segments.length) {
      throw new BlockFormatException(dir + ": chunk ref " + ref + " points to missing segment " + (seg + 1));
    }
    ByteBuffer b = segments[seg];
    Dec d = new Dec(b, off);
    int len = (int) d.uvarint();
    Dec.checkCrc(b, d.pos, len + 1, dir + " chunk " + ref);
    int enc = d.u8();
    if (enc != XorChunk.ENCODING) {
      throw new BlockFormatException(dir + ": chunk " + ref + " has encoding " + enc + ", only XOR (1) is supported");
    }
    byte[] data = new byte[len];
    b.get(d.pos, data);
    return data;
  }

  @Override
  public String toString() {
    return "Block[" + meta.ulid() + " " + meta.minTime() + ".." + meta.maxTime() + " level " + meta.level() + "]";
  }
}
