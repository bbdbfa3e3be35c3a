package io.promgate.gateway.cache;

import java.util.Comparator;

/**
 * One series of a matrix result over some time range: its labels (for ordering), its {@code metric}
 * object exactly as the backend wrote it, and its float and histogram points.
 *
 * @param labels names and values alternating, sorted by name
 */
record SeriesPoints(String[] labels, byte[] metric, Points floats, Points histograms) {
  /**
   * Prometheus sorts a range query's matrix with {@code labels.Compare}: label by label, name then value,
   * Go string comparison (UTF-8 bytes, i.e. code points), a prefix first. Stitched answers must use the
   * same order as an unsplit one.
   */
  static final Comparator<String[]> LABEL_ORDER = (a, b) -> {
    int n = Math.min(a.length, b.length);
    for (int i = 0; i < n; i++) {
      int c = compareCodePoints(a[i], b[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.length, b.length);
  };

  static int compareCodePoints(String x, String y) {
    int i = 0;
    int j = 0;
    while (i < x.length() && j < y.length()) {
      int a = x.codePointAt(i);
      int b = y.codePointAt(j);
      if (a != b) {
        return Integer.compare(a, b);
      }
      i += Character.charCount(a);
      j += Character.charCount(b);
    }
    return Integer.compare(x.length() - i, y.length() - j);
  }

  /** Identity of the series across pieces. */
  String identity() {
    return String.join("\u0000", labels);
  }

  /**
   * This series followed by {@code later}'s points at times {@code [fromT, toT]}, all after this one's
   * (in place when it can, see {@link Points#append}); this series' metric text is kept, as a stitch keeps
   * the first piece's.
   */
  SeriesPoints append(SeriesPoints later, long fromT, long toT) {
    Points f = floats.append(later.floats, later.floats.lowerBound(fromT), later.floats.lowerBound(toT + 1));
    Points h = histograms.append(later.histograms, later.histograms.lowerBound(fromT),
        later.histograms.lowerBound(toT + 1));
    return f == floats && h == histograms ? this : new SeriesPoints(labels, metric, f, h);
  }

  boolean isEmpty() {
    return floats.size() == 0 && histograms.size() == 0;
  }

  long bytes() {
    long b = 2L * metric.length + 64 + floats.bytes() + histograms.bytes();
    for (String s : labels) {
      b += 40 + 2L * s.length();
    }
    return b;
  }
}
