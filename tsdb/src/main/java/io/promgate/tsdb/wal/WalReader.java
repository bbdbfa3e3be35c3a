package io.promgate.tsdb.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/** Reads one WAL segment, stopping at the first record that is torn, fails its CRC or does not decode. */
final class WalReader {
  private WalReader() {
  }

  /**
   * @param good offset just after the last good record
   * @param ended whether the last good record is the segment-end record (nothing after it is read)
   */
  record Result(long good, boolean ended) {
  }

  /** Feeds every good record to the visitor; returns the offset just after the last good record. */
  static long replay(Path segment, WalVisitor visitor) throws IOException {
    return read(segment, visitor).good();
  }

  /** Feeds every good record to the visitor, up to the first bad one or the segment-end record. */
  static Result read(Path segment, WalVisitor visitor) throws IOException {
    byte[] b = Files.readAllBytes(segment);
    int pos = 0;
    CRC32C crc = new CRC32C();
    while (pos + WalRecords.HEADER <= b.length) {
      int len = getInt(b, pos);
      int stored = getInt(b, pos + 4);
      if (len <= 0 || len > b.length - pos - WalRecords.HEADER) {
        break;
      }
      crc.reset();
      crc.update(b, pos + WalRecords.HEADER, len);
      if ((int) crc.getValue() != stored) {
        break;
      }
      boolean data;
      try {
        data = WalRecords.decode(b, pos + WalRecords.HEADER, len, visitor);
      } catch (IllegalArgumentException e) {
        break;
      }
      pos += WalRecords.HEADER + len;
      if (!data) {
        return new Result(pos, true);
      }
    }
    return new Result(pos, false);
  }

  private static int getInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
  }
}
