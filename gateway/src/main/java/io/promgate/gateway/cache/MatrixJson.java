package io.promgate.gateway.cache;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads and writes Prometheus' JSON answer to a range query, whichever backend produced it (a pass-through
 * Prometheus or our engine), keeping every point's text exactly as written.
 *
 * <p>Only a clean answer is read: {@code status: success}, {@code resultType: matrix}, and no other key
 * anywhere in the envelope ({@code warnings}, {@code infos}, {@code stats}...). Anything else returns null
 * and is never cached nor stitched: a warning or a partial response must reach the client as the backend
 * gave it, and must not be replayed later as if it still held.
 */
final class MatrixJson {
  private static final JsonFactory JSON = new JsonFactory();
  static final byte[] HEAD = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
      .getBytes(StandardCharsets.UTF_8);
  static final byte[] TAIL = "]}}".getBytes(StandardCharsets.UTF_8);
  static final byte[] METRIC = "{\"metric\":".getBytes(StandardCharsets.UTF_8);
  static final byte[] VALUES = ",\"values\":[".getBytes(StandardCharsets.UTF_8);
  static final byte[] HISTOGRAMS = ",\"histograms\":[".getBytes(StandardCharsets.UTF_8);

  private MatrixJson() {}

  /** The series of a clean matrix answer, sorted in Prometheus' order; null when not clean. */
  static List<SeriesPoints> parse(byte[] body) {
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      boolean success = false;
      List<SeriesPoints> result = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        p.nextToken();
        if (f.equals("status")) {
          success = "success".equals(p.getText());
        } else if (f.equals("data")) {
          result = data(p, body);
          if (result == null) {
            return null;
          }
        } else {
          return null;
        }
      }
      if (!success || result == null) {
        return null;
      }
      result.sort((a, b) -> SeriesPoints.LABEL_ORDER.compare(a.labels(), b.labels()));
      return result;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static List<SeriesPoints> data(JsonParser p, byte[] body) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      return null;
    }
    boolean matrix = false;
    List<SeriesPoints> out = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      p.nextToken();
      if (f.equals("resultType")) {
        matrix = "matrix".equals(p.getText());
      } else if (f.equals("result") && p.currentToken() == JsonToken.START_ARRAY) {
        out = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
          SeriesPoints s = series(p, body);
          if (s == null) {
            return null;
          }
          out.add(s);
        }
      } else {
        return null;
      }
    }
    return matrix ? out : null;
  }

  private static SeriesPoints series(JsonParser p, byte[] body) throws IOException {
    String[] labels = null;
    byte[] metric = null;
    Points floats = Points.EMPTY;
    Points histograms = Points.EMPTY;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken t = p.nextToken();
      if (f.equals("metric") && t == JsonToken.START_OBJECT) {
        int from = (int) p.currentTokenLocation().getByteOffset();
        List<String> pairs = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          pairs.add(p.currentName());
          p.nextToken();
          pairs.add(p.getText());
        }
        int to = (int) p.currentTokenLocation().getByteOffset() + 1;
        metric = Arrays.copyOfRange(body, from, to);
        labels = sortedPairs(pairs);
      } else if ((f.equals("values") || f.equals("histograms")) && t == JsonToken.START_ARRAY) {
        Points.Builder b = new Points.Builder();
        while (p.nextToken() == JsonToken.START_ARRAY) {
          int from = (int) p.currentTokenLocation().getByteOffset();
          p.nextToken();
          long ts = millis(p.getText());
          p.nextToken();
          p.skipChildren();
          if (p.nextToken() != JsonToken.END_ARRAY) {
            return null;
          }
          int to = (int) p.currentTokenLocation().getByteOffset() + 1;
          b.add(ts, body, from, to - from);
        }
        if (f.equals("values")) {
          floats = b.build();
        } else {
          histograms = b.build();
        }
      } else {
        return null;
      }
    }
    return labels == null ? null : new SeriesPoints(labels, metric, floats, histograms);
  }

  private static String[] sortedPairs(List<String> pairs) {
    int n = pairs.size() / 2;
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> SeriesPoints.compareCodePoints(pairs.get(2 * a), pairs.get(2 * b)));
    String[] out = new String[2 * n];
    for (int i = 0; i < n; i++) {
      out[2 * i] = pairs.get(2 * idx[i]);
      out[2 * i + 1] = pairs.get(2 * idx[i] + 1);
    }
    return out;
  }

  /** A JSON timestamp in seconds ({@code 1700000000}, {@code 1700000000.5}) to ms. */
  static long millis(String s) {
    int dot = s.indexOf('.');
    if (dot < 0 && s.indexOf('e') < 0 && s.indexOf('E') < 0) {
      return Long.parseLong(s) * 1000;
    }
    return new BigDecimal(s).movePointRight(3).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
  }

  /** The answer Prometheus writes for these series (already sorted). */
  static Buffer render(List<SeriesPoints> series) {
    long size = HEAD.length + TAIL.length;
    for (SeriesPoints s : series) {
      size += s.metric().length + 40 + s.floats().offset(s.floats().size()) + s.histograms().offset(s.histograms().size());
    }
    Buffer out = Buffer.buffer((int) Math.min(Integer.MAX_VALUE - 8, size));
    out.appendBytes(HEAD);
    boolean first = true;
    for (SeriesPoints s : series) {
      if (s.isEmpty()) {
        continue;
      }
      if (!first) {
        out.appendByte((byte) ',');
      }
      first = false;
      out.appendBytes(METRIC).appendBytes(s.metric());
      points(out, VALUES, s.floats());
      points(out, HISTOGRAMS, s.histograms());
      out.appendByte((byte) '}');
    }
    return out.appendBytes(TAIL);
  }

  private static void points(Buffer out, byte[] key, Points p) {
    if (p.size() == 0) {
      return;
    }
    // Every point is stored with a trailing comma: drop the last one.
    out.appendBytes(key).appendBytes(p.data(), 0, p.offset(p.size()) - 1).appendByte((byte) ']');
  }
}
