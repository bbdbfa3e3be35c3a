package io.promgate.promql.engine;

import io.promgate.model.Labels;
import java.nio.charset.StandardCharsets;

/**
 * xxHash64 (seed 0) of a label set serialised as Prometheus 3.5's default {@code labels.Hash} does (the
 * "stringlabels" build: each name and value as a length, one byte below 255 else 0xff and 3 bytes
 * little-endian, then its bytes), so that {@code limit_ratio} picks the same series as Prometheus.
 */
final class XxHash64 {
  private static final long P1 = 0x9E3779B185EBCA87L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P3 = 0x165667B19E3779F9L;
  private static final long P4 = 0x85EBCA77C2B2AE63L;
  private static final long P5 = 0x27D4EB2F165667C5L;

  private XxHash64() {
  }

  static long labelsHash(Labels labels) {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(128);
    for (int i = 0; i < labels.size(); i++) {
      byte[] n = labels.name(i).getBytes(StandardCharsets.UTF_8);
      byte[] v = labels.value(i).getBytes(StandardCharsets.UTF_8);
      writeString(b, n);
      writeString(b, v);
    }
    return hash(b.toByteArray());
  }

  private static void writeString(java.io.ByteArrayOutputStream b, byte[] s) {
    int len = s.length;
    if (len < 255) {
      b.write(len);
    } else {
      b.write(255);
      b.write(len & 0xff);
      b.write((len >> 8) & 0xff);
      b.write((len >> 16) & 0xff);
    }
    b.write(s, 0, len);
  }

  static long hash(byte[] in) {
    int len = in.length;
    int i = 0;
    long h;
    if (len >= 32) {
      long v1 = P1 + P2;
      long v2 = P2;
      long v3 = 0;
      long v4 = -P1;
      while (i + 32 <= len) {
        v1 = round(v1, le64(in, i));
        v2 = round(v2, le64(in, i + 8));
        v3 = round(v3, le64(in, i + 16));
        v4 = round(v4, le64(in, i + 24));
        i += 32;
      }
      h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
      h = merge(h, v1);
      h = merge(h, v2);
      h = merge(h, v3);
      h = merge(h, v4);
    } else {
      h = P5;
    }
    h += len;
    while (i + 8 <= len) {
      long k1 = round(0, le64(in, i));
      h ^= k1;
      h = Long.rotateLeft(h, 27) * P1 + P4;
      i += 8;
    }
    if (i + 4 <= len) {
      h ^= (le32(in, i) & 0xFFFFFFFFL) * P1;
      h = Long.rotateLeft(h, 23) * P2 + P3;
      i += 4;
    }
    while (i < len) {
      h ^= (in[i] & 0xFFL) * P5;
      h = Long.rotateLeft(h, 11) * P1;
      i++;
    }
    h ^= h >>> 33;
    h *= P2;
    h ^= h >>> 29;
    h *= P3;
    h ^= h >>> 32;
    return h;
  }

  private static long round(long acc, long input) {
    acc += input * P2;
    acc = Long.rotateLeft(acc, 31);
    return acc * P1;
  }

  private static long merge(long acc, long val) {
    acc ^= round(0, val);
    return acc * P1 + P4;
  }

  private static long le64(byte[] b, int i) {
    return (b[i] & 0xFFL) | (b[i + 1] & 0xFFL) << 8 | (b[i + 2] & 0xFFL) << 16 | (b[i + 3] & 0xFFL) << 24
        | (b[i + 4] & 0xFFL) << 32 | (b[i + 5] & 0xFFL) << 40 | (b[i + 6] & 0xFFL) << 48 | (b[i + 7] & 0xFFL) << 56;
  }

  private static int le32(byte[] b, int i) {
    return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
  }
}
