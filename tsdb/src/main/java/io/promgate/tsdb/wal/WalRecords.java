package io.promgate.tsdb.wal;

import io.promgate.model.Labels;
import io.promgate.tsdb.MetricMetadata;
import io.promgate.tsdb.head.MemSeries;
import io.promgate.tsdb.head.PreparedAppend;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Encoding of WAL records. Each record is framed as {@code [u32 length][u32 CRC32C of payload][payload]},
 * big-endian, and the payload's first byte is its type:
 * <ul>
 *   <li>1 series: {@code uvarint n, n × (uvarint ref, uvarint labelCount, labelCount × (string name, string value))}</li>
 *   <li>2 samples: {@code uvarint n, n × (uvarint ref, varint t - previous t, 8 bytes value bits)}</li>
 *   <li>3 metadata: {@code uvarint n, n × (string family, string type, string help, string unit)}</li>
 *   <li>4 segment end: no body; written as the last record of a segment before the next one is started</li>
 * </ul>
 * Strings are a uvarint byte length and UTF-8. This is promgate's own format, not Prometheus' WAL, which
 * is why the directory is called {@code wal-promgate}: {@code promtool tsdb dump} must not mistake it.
 */
public final class WalRecords {
  static final int HEADER = 8;
  static final byte SERIES = 1;
  static final byte SAMPLES = 2;
  static final byte METADATA = 3;
  /** Last record of every closed segment: lets replay notice a segment that lost its tail. */
  static final byte SEGMENT_END = 4;

  private WalRecords() {
  }

  /** Frames for everything a prepared append must make durable; empty when it holds nothing new. */
  public static byte[] encode(PreparedAppend p) {
    Out out = new Out(64 + p.sampleCount() * 14);
    if (!p.newSeries().isEmpty()) {
      int start = out.begin(SERIES);
      out.uvarint(p.newSeries().size());
      for (MemSeries s : p.newSeries()) {
        out.uvarint(s.ref());
        Labels l = s.labels();
        out.uvarint(l.size());
        for (int i = 0; i < l.size(); i++) {
          out.string(l.name(i));
          out.string(l.value(i));
        }
      }
      out.end(start);
    }
    if (p.sampleCount() > 0) {
      int start = out.begin(SAMPLES);
      out.uvarint(p.sampleCount());
      long prev = 0;
      for (int i = 0; i < p.sampleCount(); i++) {
        out.uvarint(p.sampleRef(i));
        long t = p.sampleTimestamp(i);
        long d = t - prev;
        out.uvarint((d << 1) ^ (d >> 63));
        prev = t;
        out.longBE(Double.doubleToRawLongBits(p.sampleValue(i)));
      }
      out.end(start);
    }
    if (!p.metadata().isEmpty()) {
      int start = out.begin(METADATA);
      out.uvarint(p.metadata().size());
      for (MetricMetadata m : p.metadata()) {
        out.string(m.metricFamily());
        out.string(m.type());
        out.string(m.help());
        out.string(m.unit());
      }
      out.end(start);
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
