package io.promgate.tsdb.wal;

import io.promgate.model.Labels;
import io.promgate.tsdb.MetricMetadata;
import io.promgate.tsdb.head.MemSeries;
import io.promgate.tsdb.head.PreparedAppend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.xerial.snappy.Snappy;

/**
 * Encoding of WAL records. Each record is framed as {@code [u32 length][u32 CRC32C of payload][payload]},
 * big-endian, and the payload's first byte is its type:
 * <ul>
 *   <li>1 series: {@code uvarint n, n × (uvarint ref, uvarint labelCount, labelCount × (string name, string value))}</li>
 *   <li>2 samples (read only; written before type 5): {@code uvarint n, n × (uvarint ref, varint t - previous t,
 *       8 bytes value bits)}</li>
 *   <li>3 metadata: {@code uvarint n, n × (string family, string type, string help, string unit)}</li>
 *   <li>4 segment end: no body; written as the last record of a segment before the next one is started</li>
 *   <li>5 samples: {@code uvarint n, n × (varint ref - previous ref, varint t - previous t, 8 bytes value bits)},
 *       previous ref and t starting at 0</li>
 * </ul>
 * Strings are a uvarint byte length and UTF-8; varints are zigzag-encoded. A type byte with the high bit set
 * ({@link #COMPRESSED}) is followed by the snappy-compressed body of the record type in the low bits (the
 * CRC covers what is stored): as in Prometheus' WAL, label sets and the small deltas compress well, which
 * means fewer bytes for every group-commit fsync. Records that do not get smaller are stored as they are,
 * as is everything with {@code -Dpromgate.wal.compress=false}. WALs written before type 5 and compression
 * replay unchanged; older promgate versions cannot read the new records.
 *
 * <p>This is promgate's own format, not Prometheus' WAL, which is why the directory is called
 * {@code wal-promgate}: {@code promtool tsdb dump} must not mistake it.
 */
public final class WalRecords {
  static final int HEADER = 8;
  static final byte SERIES = 1;
  static final byte SAMPLES = 2;
  static final byte METADATA = 3;
  /** Last record of every closed segment: lets replay notice a segment that lost its tail. */
  static final byte SEGMENT_END = 4;
  static final byte SAMPLES_DELTA = 5;
  /** Flag in the type byte: the body is snappy-compressed. */
  static final int COMPRESSED = 0x80;
  /** A compressed body that claims to decode to more than this is corrupt (records are far smaller). */
  private static final int MAX_DECOMPRESSED = 1 << 30;
  private static final boolean COMPRESS = Boolean.parseBoolean(System.getProperty("promgate.wal.compress", "true"));

  private WalRecords() {
  }

  /** Frames for everything a prepared append must make durable; empty when it holds nothing new. */
  public static byte[] encode(PreparedAppend p) {
    return encode(p, COMPRESS);
  }

  static byte[] encode(PreparedAppend p, boolean compress) {
    Out out = new Out(64 + p.sampleCount() * (compress ? 8 : 12));
    Out body = new Out(64 + p.sampleCount() * 12);
    if (!p.newSeries().isEmpty()) {
      body.uvarint(p.newSeries().size());
      for (MemSeries s : p.newSeries()) {
        body.uvarint(s.ref());
        Labels l = s.labels();
        body.uvarint(l.size());
        for (int i = 0; i < l.size(); i++) {
          body.string(l.name(i));
          body.string(l.value(i));
        }
      }
      out.record(SERIES, body, compress);
    }
    if (p.sampleCount() > 0) {
      body.reset();
      body.uvarint(p.sampleCount());
      long prevRef = 0;
      long prevT = 0;
      for (int i = 0; i < p.sampleCount(); i++) {
        long ref = p.sampleRef(i);
        body.varint(ref - prevRef);
        prevRef = ref;
        long t = p.sampleTimestamp(i);
        body.varint(t - prevT);
        prevT = t;
        body.longBE(Double.doubleToRawLongBits(p.sampleValue(i)));
      }
      out.record(SAMPLES_DELTA, body, compress);
    }
    if (!p.metadata().isEmpty()) {
      body.reset();
      body.uvarint(p.metadata().size());
      for (MetricMetadata m : p.metadata()) {
        body.string(m.metricFamily());
        body.string(m.type());
        body.string(m.help());
        body.string(m.unit());
      }
      out.record(METADATA, body, compress);
    }
    return out.toByteArray();
  }

  /** The framed segment-end record. */
  static byte[] segmentEnd() {
    Out out = new Out(16);
    int start = out.begin(SEGMENT_END);
    out.end(start);
    return out.toByteArray();
  }

  /**
   * Decodes one payload (type byte first) and feeds the visitor; throws on malformed input. Returns false
   * for the segment-end record.
   */
  static boolean decode(byte[] buf, int off, int len, WalVisitor v) {
    if (len > 0 && (buf[off] & COMPRESSED) != 0) {
      byte[] plain = uncompress(buf, off + 1, len - 1);
      plain[0] = (byte) (buf[off] & ~COMPRESSED);
      if (plain[0] == SEGMENT_END) {
        throw new IllegalArgumentException("compressed segment-end record");
      }
      return decode(plain, 0, plain.length, v);
    }
    In in = new In(buf, off, off + len);
    byte type = in.b();
    if (type == SEGMENT_END) {
      in.expectEnd();
      return false;
    }
    int n = in.count();
    switch (type) {
      case SERIES -> {
        int[] refs = new int[n];
        Labels[] labels = new Labels[n];
        for (int i = 0; i < n; i++) {
          refs[i] = in.ref();
          int nl = in.count();
          Labels.Builder b = Labels.builder();
          for (int j = 0; j < nl; j++) {
            b.set(in.string(), in.string());
          }
          labels[i] = b.build();
        }
        in.expectEnd();
        for (int i = 0; i < n; i++) {
          v.series(refs[i], labels[i]);
        }
      }
      case SAMPLES -> {
        int[] refs = new int[n];
        long[] ts = new long[n];
        long[] vs = new long[n];
        long prev = 0;
        for (int i = 0; i < n; i++) {
          refs[i] = in.ref();
          long zz = in.uvarint();
          prev += (zz >>> 1) ^ -(zz & 1);
          ts[i] = prev;
          vs[i] = in.longBE();
        }
        in.expectEnd();
        for (int i = 0; i < n; i++) {
          v.sample(refs[i], ts[i], Double.longBitsToDouble(vs[i]));
        }
      }
      case SAMPLES_DELTA -> {
        int[] refs = new int[n];
        long[] ts = new long[n];
        long[] vs = new long[n];
        long prevRef = 0;
        long prevT = 0;
        for (int i = 0; i < n; i++) {
          prevRef += in.varint();
          if (prevRef <= 0 || prevRef > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bad series ref " + prevRef);
          }
          refs[i] = (int) prevRef;
          prevT += in.varint();
          ts[i] = prevT;
          vs[i] = in.longBE();
        }
        in.expectEnd();
        for (int i = 0; i < n; i++) {
          v.sample(refs[i], ts[i], Double.longBitsToDouble(vs[i]));
        }
      }
      case METADATA -> {
        MetricMetadata[] ms = new MetricMetadata[n];
        for (int i = 0; i < n; i++) {
          ms[i] = new MetricMetadata(in.string(), in.string(), in.string(), in.string());
        }
        in.expectEnd();
        for (MetricMetadata m : ms) {
          v.metadata(m);
        }
      }
      default -> throw new IllegalArgumentException("unknown WAL record type " + type);
    }
    return true;
  }

  /** The body, decompressed after a free byte for the record type. */
  private static byte[] uncompress(byte[] buf, int off, int len) {
    try {
      if (len <= 0 || !Snappy.isValidCompressedBuffer(buf, off, len)) {
        throw new IllegalArgumentException("corrupt compressed WAL record");
      }
      int n = Snappy.uncompressedLength(buf, off, len);
      if (n < 0 || n > MAX_DECOMPRESSED) {
        throw new IllegalArgumentException("implausible decompressed WAL record length " + n);
      }
      byte[] out = new byte[n + 1]; // the type byte goes first
      if (Snappy.uncompress(buf, off, len, out, 1) != n) {
        throw new IllegalArgumentException("corrupt compressed WAL record");
      }
      return out;
    } catch (IOException e) {
      throw new IllegalArgumentException("corrupt compressed WAL record: " + e.getMessage(), e);
    }
  }

  /** A growable byte buffer; ByteArrayOutputStream would take a monitor on every byte. */
  static final class Out {
    private byte[] buf;
    private int count;

    Out(int size) {
      buf = new byte[Math.max(size, 16)];
    }

    private void ensure(int n) {
      if (count + n > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, count + n));
      }
    }

    void write(int b) {
      ensure(1);
      buf[count++] = (byte) b;
    }

    void write(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, buf, count, len);
      count += len;
    }

    byte[] toByteArray() {
      return java.util.Arrays.copyOf(buf, count);
    }

    void reset() {
      count = 0;
    }

    /**
     * Appends a framed record of {@code type} with {@code body} (a type-less payload), snappy-compressed
     * when asked and when that makes it smaller.
     */
    void record(byte type, Out body, boolean compress) {
      if (compress && body.count >= 32) {
        int max = Snappy.maxCompressedLength(body.count);
        int start = begin((byte) (type | COMPRESSED));
        ensure(max);
        int n;
        try {
          n = Snappy.compress(body.buf, 0, body.count, buf, count);
        } catch (IOException e) {
          throw new IllegalStateException("snappy compression failed", e);
        }
        if (n < body.count) {
          count += n;
          end(start);
          return;
        }
        count = start; // not smaller: store it plain
      }
      int start = begin(type);
      write(body.buf, 0, body.count);
      end(start);
    }

    int begin(byte type) {
      int start = count;
      for (int i = 0; i < HEADER; i++) {
        write(0);
      }
      write(type);
      return start;
    }

    void end(int start) {
      int len = count - start - HEADER;
      CRC32C crc = new CRC32C();
      crc.update(buf, start + HEADER, len);
      putInt(start, len);
      putInt(start + 4, (int) crc.getValue());
    }

    private void putInt(int at, int v) {
      buf[at] = (byte) (v >>> 24);
      buf[at + 1] = (byte) (v >>> 16);
      buf[at + 2] = (byte) (v >>> 8);
      buf[at + 3] = (byte) v;
    }

    void uvarint(long x) {
      ensure(10);
      while (Long.compareUnsigned(x, 0x80) >= 0) {
        buf[count++] = (byte) ((x & 0x7f) | 0x80);
        x >>>= 7;
      }
      buf[count++] = (byte) x;
    }

    void varint(long x) {
      uvarint((x << 1) ^ (x >> 63));
    }

    void longBE(long x) {
      ensure(8);
      for (int s = 56; s >= 0; s -= 8) {
        buf[count++] = (byte) (x >>> s);
      }
    }

    void string(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      uvarint(b.length);
      write(b, 0, b.length);
    }
  }

  static final class In {
    private final byte[] buf;
    private int pos;
    private final int end;

    In(byte[] buf, int pos, int end) {
      this.buf = buf;
      this.pos = pos;
      this.end = end;
    }

    byte b() {
      if (pos >= end) {
        throw new IllegalArgumentException("WAL record truncated");
      }
      return buf[pos++];
    }

    long uvarint() {
      long x = 0;
      for (int s = 0; s < 64; s += 7) {
        int b = b() & 0xff;
        x |= (long) (b & 0x7f) << s;
        if (b < 0x80) {
          return x;
        }
      }
      throw new IllegalArgumentException("varint too long");
    }

    long varint() {
      long zz = uvarint();
      return (zz >>> 1) ^ -(zz & 1);
    }

    int count() {
      long n = uvarint();
      if (n < 0 || n > end - pos) {
        throw new IllegalArgumentException("implausible count " + n);
      }
      return (int) n;
    }

    int ref() {
      long r = uvarint();
      if (r <= 0 || r > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("bad series ref " + r);
      }
      return (int) r;
    }

    long longBE() {
      long x = 0;
      for (int i = 0; i < 8; i++) {
        x = (x << 8) | (b() & 0xff);
      }
      return x;
    }

    String string() {
      int n = count();
      String s = new String(buf, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }

    void expectEnd() {
      if (pos != end) {
        throw new IllegalArgumentException((end - pos) + " trailing bytes in WAL record");
      }
    }
  }
}
