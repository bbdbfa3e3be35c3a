package io.promgate.tsdb.block;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.Querier;
import io.promgate.model.Queryable;
import io.promgate.model.chunk.XorChunk;
import io.promgate.tsdb.head.ChunkSeries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * One persisted block, opened read-only: its meta, its index and its chunk segments, all memory-mapped.
 * Immutable and safe for concurrent readers.
 *
 * <p>Readers hold the block with {@link #acquire()}/{@link #release()} for as long as their querier is
 * open, and compaction or retention only {@link #retire() retires} a block after publishing the block list
 * without it; its directory is deleted once the last reader has released it ({@link #unused()}). This is
 * Prometheus' {@code Block.pendingReaders}: the mappings alone would keep the bytes alive on Linux, but a
 * directory must not vanish under a reader that lists or opens files, and other systems refuse to delete
 * mapped files at all. A reader that finds a block retired re-reads the block list, which by then holds
 * the replacement.
 */
public final class Block implements Queryable {
  private final Path dir;
  private final BlockMeta meta;
  private final IndexReader index;
  private final ChunkSource chunks;
  /** Readers holding the block; {@link #RETIRED} is added once, so a negative count means retired. */
  private final java.util.concurrent.atomic.AtomicInteger readers = new java.util.concurrent.atomic.AtomicInteger();
  private static final int RETIRED = Integer.MIN_VALUE / 2;

  private Block(Path dir, BlockMeta meta, IndexReader index, ChunkSource chunks) {
    this.dir = dir;
    this.meta = meta;
    this.index = index;
    this.chunks = chunks;
  }

  /** Opens a local block directory. */
  public static Block open(Path dir) throws IOException {
    BlockMeta meta = BlockMeta.fromJson(Files.readString(dir.resolve("meta.json"), StandardCharsets.UTF_8));
    return new Block(dir, meta, new IndexReader(dir.resolve("index")), new MappedChunkSource(dir.resolve("chunks")));
  }

  /** A block whose index is a local file (e.g. a cached copy) and whose chunks come from elsewhere. */
  public static Block of(BlockMeta meta, Path indexFile, ChunkSource chunks) throws IOException {
    return new Block(indexFile.getParent(), meta, new IndexReader(indexFile), chunks);
  }

  public BlockMeta meta() {
    return meta;
  }

  /** Takes a reader's hold on the block; false if it is retired (re-read the block list then). */
  public boolean acquire() {
    while (true) {
      int n = readers.get();
      if (n < 0) {
        return false;
      }
      if (readers.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  public void release() {
    readers.decrementAndGet();
  }

  /** No new reader can acquire the block from now on; idempotent. */
  public void retire() {
    while (true) {
      int n = readers.get();
      if (n < 0 || readers.compareAndSet(n, n + RETIRED)) {
        return;
      }
    }
  }

  /** Retired and released by every reader: its files may be deleted. */
  public boolean unused() {
    return readers.get() == RETIRED;
  }

  /** Readers holding the block now (for tests and logs). */
  public int readers() {
    int n = readers.get();
    return n < 0 ? n - RETIRED : n;
  }

  public Path dir() {
    return dir;
  }

  /** Bytes of index and chunk files (what retention by size counts). */
  public long sizeBytes() {
    return index.sizeBytes() + chunks.sizeBytes();
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

  /**
   * Matching series sorted by labels, with their chunks overlapping [mint, maxt]. All chunk refs are
   * collected first and read in one batch, so a remote source can coalesce them into few ranged reads.
   */
  public List<ChunkSeries> selectChunks(List<LabelMatcher> matchers, long mint, long maxt) {
    List<ChunkSeries> out = new ArrayList<>();
    if (!overlaps(mint, maxt)) {
      return out;
    }
    BitSet refs = postings(matchers);
    List<Labels> labels = new ArrayList<>();
    List<List<IndexReader.ChunkMeta>> metas = new ArrayList<>();
    int total = 0;
    for (int ref = refs.nextSetBit(0); ref >= 0; ref = refs.nextSetBit(ref + 1)) {
      List<IndexReader.ChunkMeta> m = new ArrayList<>(4);
      Labels l = index.series(ref, mint, maxt, m);
      if (!m.isEmpty()) {
        labels.add(l);
        metas.add(m);
        total += m.size();
      }
    }
    long[] chunkRefs = new long[total];
    int k = 0;
    for (List<IndexReader.ChunkMeta> m : metas) {
      for (IndexReader.ChunkMeta cm : m) {
        chunkRefs[k++] = cm.ref();
      }
    }
    long[] sorted = chunkRefs.clone();
    java.util.Arrays.sort(sorted);
    byte[][] data;
    try {
      data = chunks.read(sorted);
    } catch (IOException e) {
      throw new io.promgate.model.StorageException("cannot read chunks of block " + meta.ulid() + ": " + e.getMessage(), e);
    }
    k = 0;
    for (int i = 0; i < labels.size(); i++) {
      List<XorChunk> cs = new ArrayList<>(metas.get(i).size());
      for (IndexReader.ChunkMeta cm : metas.get(i)) {
        cs.add(new XorChunk(data[java.util.Arrays.binarySearch(sorted, chunkRefs[k++])], cm.minTime(), cm.maxTime()));
      }
      out.add(new ChunkSeries(labels.get(i), cs));
    }
    return out;
  }

  /** Every series ref, in label order (series are stored sorted, so refs ascend with labels). */
  public int[] seriesRefs() {
    return index.allPostings().stream().toArray();
  }

  /** Labels of a series (from {@link #seriesRefs()}). */
  public Labels seriesLabels(int ref) {
    return index.series(ref, Long.MIN_VALUE, Long.MAX_VALUE, null);
  }

  /** All chunks of a series, read now. */
  public List<XorChunk> seriesChunks(int ref) throws IOException {
    List<IndexReader.ChunkMeta> m = new ArrayList<>(4);
    index.series(ref, Long.MIN_VALUE, Long.MAX_VALUE, m);
    long[] refs = new long[m.size()];
    for (int i = 0; i < refs.length; i++) {
      refs[i] = m.get(i).ref();
    }
    byte[][] data = chunks.read(refs);
    List<XorChunk> out = new ArrayList<>(refs.length);
    for (int i = 0; i < refs.length; i++) {
      out.add(new XorChunk(data[i], m.get(i).minTime(), m.get(i).maxTime()));
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

  @Override
  public String toString() {
    return "Block[" + meta.ulid() + " " + meta.minTime() + ".." + meta.maxTime() + " level " + meta.level() + "]";
  }
}
