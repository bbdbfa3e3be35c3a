package io.promgate.tsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.model.Labels;
import io.promgate.tsdb.MetricMetadata;
import io.promgate.tsdb.SeriesSamples;
import io.promgate.tsdb.head.Head;
import io.promgate.tsdb.head.PreparedAppend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAL record format: golden bytes of the current records (delta-encoded samples, snappy-compressed
 * bodies), round trips, and replay of segments written by the format before it (plain type-2 samples).
 */
class WalFormatTest {
  @TempDir
  Path dir;

  /**
   * {@code WalRecords.encode} of {@link #firstAppend} by the release before record type 5 and compression
   * (commit a8a708a): a series record, a type-2 samples record and a metadata record.
   */
  private static final String OLD_FIRST = "0000002f86820ed901020102085f5f6e616d655f5f027570036a6f62046e6f64650202085f"
      + "5f6e616d655f5f027570036a6f6203617069000000254ea93873020301d00f3ff000000000000001b0ea01000000000000000002afe"
      + "a017ff8000000000000000000107b720cf203010275700567617567650355702e00";
  /** The same release's encoding of {@link #secondAppend}: one type-2 samples record. */
  private static final String OLD_SECOND = "0000000e510dbf5b020102b0e4034004000000000000";

  private static final List<String> EXPECTED = List.of(
      "series 1 {__name__=\"up\", job=\"node\"}",
      "series 2 {__name__=\"up\", job=\"api\"}",
      "sample 1 1000 3ff0000000000000",
      "sample 1 16000 0",
      "sample 2 1000 7ff8000000000000",
      "meta " + new MetricMetadata("up", "gauge", "Up.", ""),
      "sample 2 31000 4004000000000000");

  private static PreparedAppend firstAppend(Head head) {
    return head.prepare(List.of(
        new SeriesSamples(Labels.of("__name__", "up", "job", "node"), new long[] {1000, 16000}, new double[] {1, 0}),
        new SeriesSamples(Labels.of("__name__", "up", "job", "api"), new long[] {1000}, new double[] {Double.NaN})),
        List.of(new MetricMetadata("up", "gauge", "Up.", "")));
  }

  private static PreparedAppend secondAppend(Head head) {
    return head.prepare(List.of(
        new SeriesSamples(Labels.of("__name__", "up", "job", "api"), new long[] {31000}, new double[] {2.5})),
        List.of());
  }

  private static Head newHead() {
    return new Head(new Head.Options(Long.MAX_VALUE / 4, 0));
  }

  /** Both appends encoded with or without compression, as one segment's bytes. */
  private static byte[] encodeBoth(boolean compress) {
    Head head = newHead();
    PreparedAppend p = firstAppend(head);
    byte[] a = WalRecords.encode(p, compress);
    head.commit(p);
    PreparedAppend q = secondAppend(head);
    byte[] b = WalRecords.encode(q, compress);
    head.commit(q);
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static List<String> replay(Path wal) throws Exception {
    WalTest.Recorder r = new WalTest.Recorder();
    try (Wal w = Wal.open(wal, 1 << 20, r)) {
      assertThat(w.corruptionsRepaired()).isZero();
    }
    return r.lines;
  }

  @Test
  void uncompressedRecordsMatchTheGoldenBytes() {
    Head head = newHead();
    PreparedAppend p = firstAppend(head);
    byte[] first = WalRecords.encode(p, false);
    head.commit(p);
    // The series and metadata records are unchanged from the old format; samples are type 5 now:
    // ref deltas 1, 0, +1 and time deltas 1000, +15000, -15000, zigzag-encoded.
    String series = "0000002f86820ed901020102085f5f6e616d655f5f027570036a6f62046e6f64650202085f5f6e616d655f5f0275"
        + "70036a6f6203617069";
    String meta = "000000107b720cf203010275700567617567650355702e00";
    String samples = HexFormat.of().formatHex(first, series.length() / 2, first.length - meta.length() / 2);
    assertThat(HexFormat.of().formatHex(first)).startsWith(series).endsWith(meta);
    assertThat(samples.substring(16)) // after the frame header (length, CRC)
        .isEqualTo("05" + "03" + "02d00f" + "3ff0000000000000" + "00b0ea01" + "0000000000000000"
            + "02afea01" + "7ff8000000000000");
    PreparedAppend q = secondAppend(head);
    assertThat(HexFormat.of().formatHex(WalRecords.encode(q, false)).substring(16))
        .isEqualTo("05" + "01" + "04b0e403" + "4004000000000000");
  }

  @Test
  void compressedRecordsAreFlaggedSmallerAndReplayTheSame() throws Exception {
    // A realistic batch: label sets sharing names and values, one sample each at the same time.
    Head head = newHead();
    List<SeriesSamples> batch = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      batch.add(SeriesSamples.of(Labels.of("__name__", "node_cpu_seconds_total", "cpu", Integer.toString(i % 32),
          "instance", "host-" + i / 32 + ".example.net:9100", "job", "node", "mode", "idle"), 1_700_000_000_000L,
          i * 10.0));
    }
    PreparedAppend p = head.prepare(batch, List.of());
    byte[] plain = WalRecords.encode(p, false);
    byte[] packed = WalRecords.encode(p, true);
    head.commit(p);
    assertThat(packed.length).isLessThan(plain.length / 3);
    assertThat(packed[WalRecords.HEADER] & 0xff).isEqualTo(WalRecords.SERIES | WalRecords.COMPRESSED);

    Path a = dir.resolve("plain");
    Path b = dir.resolve("packed");
    Files.createDirectories(a);
    Files.createDirectories(b);
    Files.write(a.resolve("00000000"), plain);
    Files.write(b.resolve("00000000"), packed);
    List<String> lines = replay(a);
    assertThat(lines).hasSize(1000);
    assertThat(replay(b)).containsExactlyElementsOf(lines);
  }

  @Test
  void smallRecordsThatDoNotShrinkAreStoredPlain() {
    Head head = newHead();
    PreparedAppend p = secondAppend(head);
    assertThat(WalRecords.encode(p, true)).isEqualTo(WalRecords.encode(p, false));
  }

  @Test
  void roundTripsCompressedAndPlain() throws Exception {
    for (boolean compress : new boolean[] {false, true}) {
      Path w = dir.resolve("wal-" + compress);
      Files.createDirectories(w);
      Files.write(w.resolve("00000000"), encodeBoth(compress));
      assertThat(replay(w)).as("compress=" + compress).containsExactlyElementsOf(EXPECTED);
    }
  }

  /** A segment written by the previous release replays, and new records appended after it replay too. */
  @Test
  void oldFormatSegmentReplaysAndNewRecordsFollowIt() throws Exception {
    Path w = dir.resolve("wal-promgate");
    Files.createDirectories(w);
    Files.write(w.resolve("00000000"), HexFormat.of().parseHex(OLD_FIRST + OLD_SECOND));
    WalTest.Recorder r = new WalTest.Recorder();
    Head head = newHead();
    try (Wal wal = Wal.open(w, 1 << 20, new WalVisitor() {
      @Override
      public void series(int ref, Labels labels) {
        r.series(ref, labels);
        head.replaySeries(ref, labels);
      }

      @Override
      public void sample(int ref, long t, double v) {
        r.sample(ref, t, v);
        head.replaySample(ref, t, v);
      }

      @Override
      public void metadata(MetricMetadata m) {
        r.metadata(m);
        head.replayMetadata(m);
      }
    })) {
      assertThat(wal.corruptionsRepaired()).isZero();
      assertThat(r.lines).containsExactlyElementsOf(EXPECTED);
      PreparedAppend p = head.prepare(List.of(
          SeriesSamples.of(Labels.of("__name__", "up", "job", "node"), 46000, 1),
          SeriesSamples.of(Labels.of("__name__", "up", "job", "db"), 46000, 1)), List.of());
      wal.sync(wal.write(WalRecords.encode(p, true))).get(10, TimeUnit.SECONDS);
      head.commit(p);
    }
    List<String> expected = new ArrayList<>(EXPECTED);
    expected.add("series 3 {__name__=\"up\", job=\"db\"}");
    expected.add("sample 1 46000 3ff0000000000000");
    expected.add("sample 3 46000 3ff0000000000000");
    assertThat(replay(w)).containsExactlyElementsOf(expected);
  }

  /** A compressed body that passes its CRC but does not decompress is corrupt: replay stops before it. */
  @Test
  void undecodableCompressedRecordIsTreatedAsCorrupt() throws Exception {
    byte[] good = encodeBoth(true);
    WalRecords.Out bad = new WalRecords.Out(64);
    int start = bad.begin((byte) (WalRecords.SAMPLES_DELTA | WalRecords.COMPRESSED));
    for (int i = 0; i < 40; i++) {
      bad.write(0xff);
    }
    bad.end(start);
    byte[] badBytes = bad.toByteArray();
    Path w = dir.resolve("wal-promgate");
    Files.createDirectories(w);
    byte[] seg = new byte[good.length + badBytes.length];
    System.arraycopy(good, 0, seg, 0, good.length);
    System.arraycopy(badBytes, 0, seg, good.length, badBytes.length);
    Files.write(w.resolve("00000000"), seg);
    WalTest.Recorder r = new WalTest.Recorder();
    try (Wal wal = Wal.open(w, 1 << 20, r)) {
      assertThat(wal.corruptionsRepaired()).isEqualTo(1);
    }
    assertThat(r.lines).containsExactlyElementsOf(EXPECTED);
    assertThat(Files.size(w.resolve("00000000"))).isEqualTo(good.length);
  }
}
