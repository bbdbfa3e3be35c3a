package io.promgate.model.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promgate.model.StaleNaN;
import io.promgate.model.ValueType;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class XorChunkTest {
  private static final HexFormat HEX = HexFormat.of();

  /**
   * Bytes derived by hand from Prometheus' chunkenc XOR layout (see XorAppender):
   * header 0x0004; t0=1000 as zig-zag varint (2000 → d0 0f); 1.0 raw (3ff0...); delta 1000 as uvarint
   * (e8 07); 2.0 xor 1.0 = 0x7ff0.. → '1' '1' leading=1 (00001) sigbits=11 (001011) 11111111111 → c2 5f ff;
   * t=3000 same value: dod 0 '0', xor 0 '0'; t=4010 v=3.0: dod=10 → '10'+14 bits, xor 0x0008.. has
   * leading 12 / trailing 51, which does not fit the previous window (trailing 52) → '1' '1' 01100 000001
   * '1'. Together the last 32 bits are 20 02 b6 03.
   *
   * <p>Quirk first found by XorChunkPromtoolIT: after the byte-aligned first sample Prometheus' bstream
   * leaves an empty trailing byte (writeByte on a full stream appends two bytes), so a one-sample chunk ends
   * in 00; later bit writes fill that byte first.
   */
  @Test
  void encodesHandDerivedGoldenBytes() {
    XorAppender a = new XorAppender();
    a.append(1000, 1.0);
    assertThat(hex(a)).isEqualTo("0001" + "d00f" + "3ff0000000000000" + "00");
    a.append(2000, 2.0);
    assertThat(hex(a)).isEqualTo("0002" + "d00f" + "3ff0000000000000" + "e807" + "c25fff");
    a.append(3000, 2.0);
    assertThat(hex(a)).isEqualTo("0003" + "d00f" + "3ff0000000000000" + "e807" + "c25fff" + "00");
    a.append(4010, 3.0);
    assertThat(hex(a)).isEqualTo("0004" + "d00f" + "3ff0000000000000" + "e807" + "c25fff" + "2002b603");

    assertThat(decode(a.toByteArray())).containsExactly(
        new S(1000, 1.0), new S(2000, 2.0), new S(3000, 2.0), new S(4010, 3.0));
  }

  @Test
  void emptyChunkIsJustTheHeader() {
    XorAppender a = new XorAppender();
    assertThat(hex(a)).isEqualTo("0000");
    assertThat(new XorIterator(a.toByteArray()).next()).isEqualTo(ValueType.NONE);
  }

  @Test
  void negativeFirstTimestampUsesZigZag() {
    XorAppender a = new XorAppender();
    a.append(-1, 0.0);
    assertThat(hex(a)).isEqualTo("0001" + "01" + "0000000000000000" + "00");
    assertThat(decode(a.toByteArray())).containsExactly(new S(-1, 0.0));
  }

  /** Every bucket edge of Prometheus' asymmetric bitRange, both sides, round-trips. */
  @Test
  void deltaOfDeltaBucketEdgesRoundTrip() {
    long[] dods = {0, 1, -1, 8192, -8191, 8193, -8192, 65536, -65535, 65537, -65536, 524288, -524287, 524289,
        -524288, 1L << 40, -(1L << 40)};
    List<S> in = new ArrayList<>();
    long t = 1_600_000_000_000L;
    long delta = 15_000_000_000L;
    in.add(new S(t, 1));
    t += delta;
    in.add(new S(t, 2));
    for (long dod : dods) {
      delta += dod;
      t += delta;
      in.add(new S(t, in.size()));
    }
    assertThat(roundTrip(in)).containsExactlyElementsOf(in);
    assertThat(XorAppender.bitRange(8192, 14)).isTrue();
    assertThat(XorAppender.bitRange(-8192, 14)).isFalse();
  }

  @Test
  void specialValuesKeepTheirExactBits() {
    List<S> in = List.of(new S(1, Double.NaN), new S(2, StaleNaN.VALUE), new S(3, Double.POSITIVE_INFINITY),
        new S(4, -0.0), new S(5, 0.0), new S(6, Double.MIN_VALUE), new S(7, -Double.MAX_VALUE),
        new S(8, StaleNaN.VALUE));
    List<S> out = roundTrip(in);
    assertThat(out).hasSize(in.size());
    for (int i = 0; i < in.size(); i++) {
      assertThat(Double.doubleToRawLongBits(out.get(i).v)).isEqualTo(Double.doubleToRawLongBits(in.get(i).v));
    }
    assertThat(StaleNaN.is(out.get(1).v)).isTrue();
  }

  @Test
  void randomSequencesRoundTripBitExactly() {
    Random rnd = new Random(42);
    for (int run = 0; run < 500; run++) {
      int n = 1 + rnd.nextInt(200);
      List<S> in = new ArrayList<>();
      long t = rnd.nextLong() >> 20;
      double v = rnd.nextDouble() * 1000;
      for (int i = 0; i < n; i++) {
        in.add(new S(t, v));
        t += switch (rnd.nextInt(4)) {
          case 0 -> 15_000;
          case 1 -> 15_000 + rnd.nextInt(50) - 25;
          case 2 -> 1 + rnd.nextInt(10_000_000);
          default -> 1 + (rnd.nextLong() >>> 30);
        };
        v = switch (rnd.nextInt(5)) {
          case 0 -> v;
          case 1 -> v + 1;
          case 2 -> rnd.nextDouble();
          case 3 -> Double.longBitsToDouble(rnd.nextLong());
          default -> Math.floor(v * 2);
        };
      }
      List<S> out = roundTrip(in);
      assertThat(out).hasSameSizeAs(in);
      for (int i = 0; i < n; i++) {
        assertThat(out.get(i).t).isEqualTo(in.get(i).t);
        assertThat(Double.doubleToRawLongBits(out.get(i).v)).isEqualTo(Double.doubleToRawLongBits(in.get(i).v));
      }
    }
  }

  @Test
  void seekNeverMovesBackwards() {
    XorAppender a = new XorAppender();
    for (int i = 0; i < 10; i++) {
      a.append(i * 10L, i);
    }
    XorIterator it = new XorIterator(a.toByteArray());
    assertThat(it.seek(25)).isEqualTo(ValueType.FLOAT);
    assertThat(it.timestamp()).isEqualTo(30);
    assertThat(it.seek(5)).isEqualTo(ValueType.FLOAT);
    assertThat(it.timestamp()).isEqualTo(30);
    assertThat(it.next()).isEqualTo(ValueType.FLOAT);
    assertThat(it.timestamp()).isEqualTo(40);
    assertThat(it.seek(1000)).isEqualTo(ValueType.NONE);
    assertThat(it.next()).isEqualTo(ValueType.NONE);
  }

  @Test
  void truncatedChunkFailsLoudly() {
    XorAppender a = new XorAppender();
    for (int i = 0; i < 5; i++) {
      a.append(i * 1000L, i * 1.5);
    }
    byte[] b = a.toByteArray();
    XorIterator it = new XorIterator().reset(b, 0, b.length - 3);
    assertThatThrownBy(() -> {
      while (it.next() != ValueType.NONE) {
        // drain
      }
    }).isInstanceOf(ChunkFormatException.class);
  }

  @Test
  void chunkKnowsItsBoundsAndCount() {
    XorChunk c = XorChunk.encode(new long[] {5, 7, 20}, new double[] {1, 2, 3});
    assertThat(c.numSamples()).isEqualTo(3);
    assertThat(c.minTime()).isEqualTo(5);
    assertThat(c.maxTime()).isEqualTo(20);
    assertThat(XorChunk.of(c.bytes())).isEqualTo(c);
  }

  record S(long t, double v) {
  }

  static String hex(XorAppender a) {
    return HEX.formatHex(a.toByteArray());
  }

  static List<S> decode(byte[] b) {
    List<S> out = new ArrayList<>();
    XorIterator it = new XorIterator(b);
    while (it.next() == ValueType.FLOAT) {
      out.add(new S(it.timestamp(), it.value()));
    }
    return out;
  }

  static List<S> roundTrip(List<S> in) {
    XorAppender a = new XorAppender(8);
    for (S s : in) {
      a.append(s.t, s.v);
    }
    return decode(a.toByteArray());
  }
}
