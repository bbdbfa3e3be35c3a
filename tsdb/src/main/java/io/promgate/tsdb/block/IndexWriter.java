package io.promgate.tsdb.block;

import io.promgate.tsdb.io.WritableFiles;
import io.promgate.model.Labels;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes a Prometheus index, format v2 ({@code tsdb/docs/format/index.md}), in one pass over series
 * sorted by labels:
 * <pre>
 * magic 0xBAAAD700 | version 2 | symbols | series (16-byte aligned) | label indices | postings (4-byte
 * aligned; the all-series list under ""="" first) | label offset table | postings offset table | TOC
 * </pre>
 * Section order, the empty symbol and where the TOC points are those of Prometheus' own writer, so that for
 * the same series our index is byte-identical to Prometheus' (checked in {@code BytesPerSampleIT}).
 * Symbols are referenced by their position in the sorted symbol table (v2), series by offset / 16. Every
 * table has a 4-byte length and a CRC32C of its content; series entries have a uvarint length. Label
 * indices are the v1-style tables Prometheus still writes (its v2 reader ignores them, older tools read them).
 */
final class IndexWriter {
  static final int MAGIC = 0xBAAAD700;

  private final OutputStream out;
  private final Enc enc = new Enc(4096);
  private long pos;

  private IndexWriter(OutputStream out) {
    this.out = out;
  }

  /** Series sorted by labels; metas per series: (minTime, maxTime, chunk ref) per chunk. */
  static void write(Path file, List<Labels> series, List<long[]> metas) throws IOException {
    try (FileChannel ch = WritableFiles.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      OutputStream os = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
      new IndexWriter(os).writeAll(series, metas);
      os.flush();
      ch.force(true);
    }
  }

  private void emit() throws IOException {
    out.write(enc.b, 0, enc.n);
    pos += enc.n;
    enc.reset();
  }

  private void pad(int align) throws IOException {
    long p = pos % align;
    if (p != 0) {
      for (long i = p; i < align; i++) {
        enc.put(0);
      }
      emit();
    }
  }

  /** Starts a table with a 4-byte length placeholder; returns where its content starts in enc. */
  private int beginTable() {
    enc.be32(0);
    return enc.n;
  }

  private void endTable(int from) {
    enc.be32At(from - 4, enc.n - from);
    enc.be32(enc.crc(from));
  }

  private void writeAll(List<Labels> series, List<long[]> metas) throws IOException {
    enc.be32(MAGIC);
    enc.put(2);
    emit();

    // Symbols: every label name and value, sorted by their UTF-8 bytes (Go string order).
    TreeSet<String> symbolSet = new TreeSet<>(IndexWriter::compareUtf8);
    symbolSet.add(""); // Prometheus' symbols include the all-postings key's empty name and value
    for (Labels l : series) {
      for (int i = 0; i < l.size(); i++) {
        symbolSet.add(l.name(i));
        symbolSet.add(l.value(i));
      }
    }
    Map<String, Integer> symbols = new HashMap<>(symbolSet.size() * 2);
    long symbolsOff = pos;
    int t = beginTable();
    enc.be32(symbolSet.size());
    for (String s : symbolSet) {
      symbols.put(s, symbols.size());
      enc.uvarintString(s);
    }
    endTable(t);
    emit();

    // Series, collecting postings (refs increase with position, so lists come out sorted).
    TreeMap<String, TreeMap<String, IntArray>> postings = new TreeMap<>(IndexWriter::compareUtf8);
    IntArray all = new IntArray();
    long seriesOff = pos; // Prometheus records the section start before the first series' padding
    Enc body = new Enc(256);
    for (int s = 0; s < series.size(); s++) {
      pad(16);
      int ref = Math.toIntExact(pos / 16);
      all.add(ref);
      Labels l = series.get(s);
      body.reset();
      body.uvarint(l.size());
      for (int i = 0; i < l.size(); i++) {
        body.uvarint(symbols.get(l.name(i)));
        body.uvarint(symbols.get(l.value(i)));
        postings.computeIfAbsent(l.name(i), k -> new TreeMap<>(IndexWriter::compareUtf8))
            .computeIfAbsent(l.value(i), k -> new IntArray()).add(ref);
      }
      long[] m = metas.get(s);
      int nc = m.length / 3;
      body.uvarint(nc);
      long prevMax = 0;
      long prevRef = 0;
      for (int c = 0; c < nc; c++) {
        long min = m[3 * c];
        long max = m[3 * c + 1];
        long cref = m[3 * c + 2];
        if (c == 0) {
          body.varint(min);
          body.uvarint(max - min);
          body.uvarint(cref);
        } else {
          body.uvarint(min - prevMax);
          body.uvarint(max - min);
          body.varint(cref - prevRef);
        }
        prevMax = max;
        prevRef = cref;
      }
      enc.uvarint(body.n);
      int from = enc.n;
      enc.bytes(body.b, 0, body.n);
      enc.be32(enc.crc(from));
      emit();
    }

    // Label indices (v1 style): one per label name, its values as 4-byte symbol refs.
    long labelIndicesOff = pos;
    List<Long> labelIndexOffsets = new ArrayList<>();
    for (Map.Entry<String, TreeMap<String, IntArray>> e : postings.entrySet()) {
      pad(4);
      labelIndexOffsets.add(pos);
      t = beginTable();
      enc.be32(1);
      enc.be32(e.getValue().size());
      for (String v : e.getValue().keySet()) {
        enc.be32(symbols.get(v));
      }
      endTable(t);
      emit();
    }
    // Postings: all series first, then by name and value.
    long postingsOff = pos;
    List<long[]> offsets = new ArrayList<>();
    offsets.add(new long[] {writePostings(all)});
    for (TreeMap<String, IntArray> values : postings.values()) {
      for (IntArray p : values.values()) {
        offsets.add(new long[] {writePostings(p)});
      }
    }
    long labelTableOff = pos;
    t = beginTable();
    enc.be32(postings.size());
    int k = 0;
    for (String name : postings.keySet()) {
      enc.put(1);
      enc.uvarintString(name);
      enc.uvarint(labelIndexOffsets.get(k++));
    }
    endTable(t);
    emit();

    long postingsTableOff = pos;
    t = beginTable();
    enc.be32(offsets.size());
    enc.put(2);
    enc.uvarintString("");
    enc.uvarintString("");
    enc.uvarint(offsets.get(0)[0]);
    k = 1;
    for (Map.Entry<String, TreeMap<String, IntArray>> e : postings.entrySet()) {
      for (String v : e.getValue().keySet()) {
        enc.put(2);
        enc.uvarintString(e.getKey());
        enc.uvarintString(v);
        enc.uvarint(offsets.get(k++)[0]);
      }
    }
    endTable(t);
    emit();

    enc.be64(symbolsOff);
    enc.be64(seriesOff);
    enc.be64(labelIndicesOff);
    enc.be64(labelTableOff);
    enc.be64(postingsOff);
    enc.be64(postingsTableOff);
    enc.be32(enc.crc(0));
    emit();
  }

  private long writePostings(IntArray p) throws IOException {
    pad(4);
    long at = pos;
    int t = beginTable();
    enc.be32(p.n);
    for (int i = 0; i < p.n; i++) {
      enc.be32(p.a[i]);
    }
    endTable(t);
    emit();
    return at;
  }

  /** Go compares strings by bytes; UTF-16 order differs for supplementary characters. */
  static int compareUtf8(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        if (Character.isSurrogate(x) || Character.isSurrogate(y)) {
          return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
        }
        return Character.compare(x, y);
      }
    }
    return Integer.compare(a.length(), b.length());
  }

  static final class IntArray {
    int[] a = new int[2];
    int n;

    void add(int v) {
      if (n == a.length) {
        a = java.util.Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }
  }
}
