package io.promgate.model.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.promgate.model.ValueType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden test against real Prometheus output: {@code promtool tsdb create-blocks-from openmetrics} writes a
 * block with chunks encoded by Prometheus' own XOR appender; every chunk in its segment files must decode to
 * the samples we fed in and re-encode, with our appender, to the very same bytes.
 */
class XorChunkPromtoolIT {
  @TempDir
  Path dir;

  @Test
  void reEncodingPrometheusChunksGivesIdenticalBytes() throws Exception {
    Path promtool = findPromtool();
    List<String> expected = new ArrayList<>();
    Path input = dir.resolve("in.om");
    Files.writeString(input, openMetrics(expected));
    Process p = new ProcessBuilder(promtool.toString(), "tsdb", "create-blocks-from", "openmetrics",
        input.toString(), dir.resolve("out").toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();

    List<Path> segments;
    try (Stream<Path> s = Files.walk(dir.resolve("out"))) {
      segments = s.filter(f -> f.getParent().getFileName().toString().equals("chunks")).sorted().toList();
    }
    assertThat(segments).isNotEmpty();
    List<String> decoded = new ArrayList<>();
    int chunks = 0;
    for (Path seg : segments) {
      for (byte[] chunk : readChunkSegment(Files.readAllBytes(seg))) {
        chunks++;
        XorAppender again = new XorAppender();
        XorIterator it = new XorIterator(chunk);
        while (it.next() == ValueType.FLOAT) {
          again.append(it.timestamp(), it.value());
          decoded.add(it.timestamp() + " " + Long.toHexString(Double.doubleToRawLongBits(it.value())));
        }
        assertThat(HexFormat.of().formatHex(again.toByteArray())).isEqualTo(HexFormat.of().formatHex(chunk));
      }
    }
    assertThat(chunks).isGreaterThan(10);
    assertThat(decoded).containsExactlyInAnyOrderElementsOf(expected);
  }

  /** Block chunk segment: magic 0x85BD40DD, version, 3 padding; then uvarint len, encoding, data, CRC32C. */
  static List<byte[]> readChunkSegment(byte[] b) {
    assertThat(HexFormat.of().formatHex(b, 0, 4)).isEqualTo("85bd40dd");
    List<byte[]> out = new ArrayList<>();
    int pos = 8;
    while (pos < b.length) {
      long len = 0;
      int shift = 0;
      int start = pos;
      while (true) {
        int x = b[pos++] & 0xff;
        len |= (long) (x & 0x7f) << shift;
        if (x < 0x80) {
          break;
        }
        shift += 7;
      }
      int enc = b[pos];
      assertThat(enc).as("chunk encoding at offset %d", start).isEqualTo(XorChunk.ENCODING);
      CRC32C crc = new CRC32C();
      crc.update(b, pos, 1 + (int) len);
      byte[] data = java.util.Arrays.copyOfRange(b, pos + 1, pos + 1 + (int) len);
      pos += 1 + (int) len;
      long stored = ((b[pos] & 0xffL) << 24) | ((b[pos + 1] & 0xffL) << 16) | ((b[pos + 2] & 0xffL) << 8)
          | (b[pos + 3] & 0xffL);
      assertThat(crc.getValue()).isEqualTo(stored);
      pos += 4;
      out.add(data);
    }
    return out;
  }

  /** Series with the timestamp and value patterns that exercise every encoder branch. */
  static String openMetrics(List<String> expected) {
    Random rnd = new Random(7);
    StringBuilder sb = new StringBuilder();
    String[] kinds = {"regular", "jitter", "counter", "constant", "random", "bits", "gaps", "special"};
    for (String kind : kinds) {
      sb.append("# TYPE ").append(kind).append(" gauge\n");
      for (int s = 0; s < 3; s++) {
        long t = 1_600_000_000_000L + rnd.nextInt(100_000);
        double v = rnd.nextInt(1000);
        for (int i = 0; i < 400; i++) {
          sb.append(kind).append("{s=\"").append(s).append("\"} ").append(format(v)).append(' ')
              .append(t / 1000).append('.').append(String.format("%03d", t % 1000)).append('\n');
          expected.add(t + " " + Long.toHexString(Double.doubleToRawLongBits(v)));
          t += switch (kind) {
            case "jitter" -> 15_000 + rnd.nextInt(2001) - 1000;
            case "gaps" -> rnd.nextInt(10) == 0 ? 1 + rnd.nextInt(600_000) : 1 + rnd.nextInt(30_000);
            default -> 15_000;
          };
          v = switch (kind) {
            case "counter" -> v + rnd.nextInt(100);
            case "constant" -> v;
            case "random", "gaps" -> rnd.nextDouble() * Math.pow(10, rnd.nextInt(12) - 6);
            case "bits" -> Double.longBitsToDouble(rnd.nextLong() & 0x7fefffffffffffffL);
            case "special" -> new double[] {Double.POSITIVE_INFINITY, 0.0, 1e308, -5, 1.5}[rnd.nextInt(5)];
            default -> v + (rnd.nextBoolean() ? 1 : -1) * rnd.nextInt(3);
          };
        }
      }
    }
    return sb.append("# EOF\n").toString();
  }

  private static String format(double v) {
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return Double.toString(v);
  }

  static Path findPromtool() throws IOException {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(d, "promtool");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    if ("1".equals(System.getenv("PROMGATE_REQUIRE_EXTERNAL"))) {
      throw new IOException("promtool not found on PATH but PROMGATE_REQUIRE_EXTERNAL=1");
    }
    assumeTrue(false, "promtool not found on PATH: skipping the Prometheus golden chunk test");
    return null;
  }
}
