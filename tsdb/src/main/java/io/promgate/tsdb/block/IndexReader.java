package io.promgate.tsdb.block;

import io.promgate.model.Labels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.TreeMap;

/**
 * Reads an index (format v2) through a read-only memory map. Kept in memory: the TOC, every 32nd symbol's
 * offset (symbols are resolved by skipping at most 31 strings, as Prometheus' {@code Symbols} does) and the
 * postings offset table (label name → sorted values → postings offset). Series and postings lists are
 * decoded from the map on demand, so opening a block costs little memory whatever its size.
 */
final class IndexReader {
  private static final int SYMBOL_FACTOR = 32;

  private final ByteBuffer b;
  private final int[] symbolOffsets;
  private final int symbolCount;
  /** name → (values sorted, offsets of their postings lists). "" holds the all-series list. */
  private final TreeMap<String, Values> postings = new TreeMap<>(IndexWriter::compareUtf8);

  record Values(String[] values, long[] offsets) {
    int find(String v) {
      int lo = 0;
      int hi = values.length - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        int c = IndexWriter.compareUtf8(values[mid], v);
        if (c == 0) {
          return mid;
        } else if (c < 0) {
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      return -1;
    }
  }

  /** A chunk's place in the chunk files and its time bounds (maxTime inclusive). */
  record ChunkMeta(long ref, long minTime, long maxTime) {
  }

  IndexReader(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      if (ch.size() > Integer.MAX_VALUE) {
        throw new BlockFormatException(file + ": index larger than 2 GiB is not supported yet");
      }
      MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
      this.b = m;
    }
    if (b.limit() < 5 + 52 || b.getInt(0) != IndexWriter.MAGIC) {
      throw new BlockFormatException(file + ": not an index (bad magic)");
    }
    if (b.get(4) != 2) {
      throw new BlockFormatException(file + ": index version " + b.get(4) + " not supported (only v2)");
    }
    int toc = b.limit() - 52;
    if (Dec.crc(b, toc, 48) != b.getInt(toc + 48)) {
      throw new BlockFormatException(file + ": TOC CRC mismatch");
    }
    Dec d = new Dec(b, toc);
    long symbolsOff = d.be64();
    d.be64(); // series
    d.be64(); // label indices
    d.be64(); // label offset table
    d.be64(); // postings
    long postingsTableOff = d.be64();

    int len = b.getInt((int) symbolsOff);
    Dec.checkCrc(b, (int) symbolsOff + 4, len, file + " symbols");
    d = new Dec(b, (int) symbolsOff + 4);
    symbolCount = d.be32();
    symbolOffsets = new int[(symbolCount + SYMBOL_FACTOR - 1) / SYMBOL_FACTOR];
    for (int i = 0; i < symbolCount; i++) {
      if (i % SYMBOL_FACTOR == 0) {
        symbolOffsets[i / SYMBOL_FACTOR] = d.pos;
      }
      d.skipUvarintBytes();
    }

    len = b.getInt((int) postingsTableOff);
    Dec.checkCrc(b, (int) postingsTableOff + 4, len, file + " postings offset table");
    d = new Dec(b, (int) postingsTableOff + 4);
    int n = d.be32();
    String name = null;
    List<String> vals = new ArrayList<>();
    List<Long> offs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (d.u8() != 2) {
        throw new BlockFormatException(file + ": postings offset table entry with key count != 2");
      }
      String nm = d.uvarintString();
      String v = d.uvarintString();
      long off = d.uvarint();
      if (name != null && !nm.equals(name)) {
        put(name, vals, offs);
      }
      name = nm;
      vals.add(v);
      offs.add(off);
    }
    if (name != null) {
      put(name, vals, offs);
    }
  }

  private void put(String name, List<String> vals, List<Long> offs) {
    long[] o = new long[offs.size()];
    for (int i = 0; i < o.length; i++) {
      o[i] = offs.get(i);
    }
    postings.put(name, new Values(vals.toArray(new String[0]), o));
    vals.clear();
    offs.clear();
  }

  String symbol(int ref) {
    if (ref < 0 || ref >= symbolCount) {
      throw new BlockFormatException("symbol ref " + ref + " out of range (" + symbolCount + " symbols)");
    }
    Dec d = new Dec(b, symbolOffsets[ref / SYMBOL_FACTOR]);
    for (int i = ref % SYMBOL_FACTOR; i > 0; i--) {
      d.skipUvarintBytes();
    }
    return d.uvarintString();
  }

  /** Label names, sorted (without the all-postings key). */
  List<String> labelNames() {
    List<String> out = new ArrayList<>(postings.keySet());
    out.remove("");
    return out;
  }

  /** Sorted values of a label, empty when the label is unknown. */
  String[] labelValues(String name) {
    Values v = postings.get(name);
    return v == null || name.isEmpty() ? new String[0] : v.values;
  }

  Values values(String name) {
    return postings.get(name);
  }

  /** Series refs of one postings list, OR-ed into the set. */
  void postingsInto(long offset, BitSet into) {
    int len = b.getInt((int) offset);
    Dec.checkCrc(b, (int) offset + 4, len, "postings list");
    Dec d = new Dec(b, (int) offset + 4);
    int n = d.be32();
    for (int i = 0; i < n; i++) {
      into.set(d.be32());
    }
  }

  BitSet allPostings() {
    BitSet out = new BitSet();
    Values v = postings.get("");
    if (v != null) {
      postingsInto(v.offsets[0], out);
    }
    return out;
  }

  /** Decodes one series entry: labels, and chunk metas overlapping [mint, maxt] into {@code chunks}. */
  Labels series(int ref, long mint, long maxt, List<ChunkMeta> chunks) {
    int off = ref * 16;
    Dec d = new Dec(b, off);
    int len = (int) d.uvarint();
    Dec.checkCrc(b, d.pos, len, "series " + ref);
    int nl = (int) d.uvarint();
    String[] pairs = new String[nl * 2];
    for (int i = 0; i < nl * 2; i++) {
      pairs[i] = symbol((int) d.uvarint());
    }
    int nc = (int) d.uvarint();
    long t0 = 0;
    long maxT = 0;
    long cref = 0;
    for (int i = 0; i < nc; i++) {
      if (i == 0) {
        t0 = d.varint();
        maxT = t0 + d.uvarint();
        cref = d.uvarint();
      } else {
        t0 = maxT + d.uvarint();
        maxT = t0 + d.uvarint();
        cref += d.varint();
      }
      if (chunks != null && maxT >= mint && t0 <= maxt) {
        chunks.add(new ChunkMeta(cref, t0, maxT));
      }
    }
    return Labels.fromSortedPairs(pairs);
  }

  long sizeBytes() {
    return b.limit();
  }
}
