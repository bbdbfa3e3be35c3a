package io.promgate.promql.engine.promqltest;

import io.promgate.model.Labels;
import io.promgate.model.StaleNaN;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A series line of a promqltest script, {@code metric{a="b"} 0+10x3 _ stale {{...}}}: labels and the
 * expanded value sequence (Prometheus' {@code parser.ParseSeriesDesc}). Native histogram samples are not
 * decoded, only marked, because evals that involve them are skipped.
 *
 * @param values one entry per step; {@link #OMITTED} for {@code _}
 * @param hasHistogram whether any value was a native histogram {@code {{...}}}
 */
public record SeriesDescription(Labels labels, List<Double> values, boolean hasHistogram) {
  /** Marker for an omitted value; compare by identity. */
  public static final Double OMITTED = Double.valueOf(Double.longBitsToDouble(0x7ff8dead0000beefL));
  /** A histogram value (not decoded). */
  public static final Double HISTOGRAM = Double.valueOf(Double.longBitsToDouble(0x7ff8dead0000cafeL));

  private static final String NUM = "(?:[+-]?(?:[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN]"
      + "|(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?))";
  private static final Pattern ITEM = Pattern.compile("^(" + NUM + "|stale)(?:(" + NUM + ")?x([0-9]+))?$");
  private static final Pattern BLANK = Pattern.compile("^_(?:x([0-9]+))?$");

  public static SeriesDescription parse(String line) {
    int[] pos = {0};
    Labels labels = parseMetric(line, pos);
    List<Double> values = new ArrayList<>();
    boolean hist = false;
    for (String item : splitItems(line.substring(pos[0]))) {
      if (item.startsWith("{{")) {
        hist = true;
        int count = 1;
        Matcher m = Pattern.compile("x([0-9]+)$").matcher(item);
        if (m.find() && item.lastIndexOf("}}") < m.start()) {
          count = Integer.parseInt(m.group(1)) + 1;
        }
        for (int i = 0; i < count; i++) {
          values.add(HISTOGRAM);
        }
        continue;
      }
      Matcher b = BLANK.matcher(item);
      if (b.matches()) {
        int n = b.group(1) == null ? 1 : Integer.parseInt(b.group(1));
        for (int i = 0; i < n; i++) {
          values.add(OMITTED);
        }
        continue;
      }
      Matcher m = ITEM.matcher(item);
      if (!m.matches()) {
        throw new IllegalArgumentException("bad series value " + item + " in: " + line);
      }
      double v = m.group(1).equals("stale") ? StaleNaN.VALUE : parseNumber(m.group(1));
      if (m.group(3) == null) {
        values.add(v);
        continue;
      }
      double inc = m.group(2) == null ? 0 : parseNumber(m.group(2));
      long times = Long.parseLong(m.group(3));
      for (long i = 0; i <= times; i++) {
        values.add(v);
        v += inc;
      }
    }
    return new SeriesDescription(labels, values, hist);
  }

  static double parseNumber(String s) {
    String l = s.toLowerCase(java.util.Locale.ROOT);
    boolean neg = l.startsWith("-");
    String body = l.startsWith("+") || l.startsWith("-") ? l.substring(1) : l;
    if (body.startsWith("inf")) {
      return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (body.equals("nan")) {
      return Double.NaN;
    }
    if (body.startsWith("0x")) {
      double v = Long.parseLong(body.substring(2), 16);
      return neg ? -v : v;
    }
    return Double.parseDouble(s);
  }

  /** Splits on whitespace, keeping {{...}} (which may contain spaces) in one item. */
  private static List<String> splitItems(String s) {
    List<String> items = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int depth = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth--;
      }
      if (Character.isWhitespace(c) && depth == 0) {
        if (cur.length() > 0) {
          items.add(cur.toString());
          cur.setLength(0);
        }
      } else {
        cur.append(c);
      }
    }
    if (cur.length() > 0) {
      items.add(cur.toString());
    }
    return items;
  }

  /** metric name and/or {labels}; pos is left after them. */
  static Labels parseMetric(String s, int[] pos) {
    Labels.Builder b = Labels.builder();
    int i = skipSpace(s, 0);
    int start = i;
    while (i < s.length() && isNameChar(s.charAt(i))) {
      i++;
    }
    if (i > start) {
      b.set(Labels.METRIC_NAME, s.substring(start, i));
    }
    i = skipSpace(s, i);
    if (i < s.length() && s.charAt(i) == '{' && !s.startsWith("{{", i)) {
      i++;
      while (true) {
        i = skipSpace(s, i);
        if (i >= s.length()) {
          throw new IllegalArgumentException("unterminated label set: " + s);
        }
        char c = s.charAt(i);
        if (c == '}') {
          i++;
          break;
        }
        if (c == ',') {
          i++;
          continue;
        }
        String name;
        if (c == '"' || c == '\'' || c == '`') {
          int[] p = {i};
          name = readString(s, p);
          i = skipSpace(s, p[0]);
          if (i < s.length() && (s.charAt(i) == ',' || s.charAt(i) == '}')) {
            b.set(Labels.METRIC_NAME, name);
            continue;
          }
        } else {
          int ns = i;
          while (i < s.length() && isNameChar(s.charAt(i))) {
            i++;
          }
          name = s.substring(ns, i);
          i = skipSpace(s, i);
        }
        if (i >= s.length() || s.charAt(i) != '=') {
          throw new IllegalArgumentException("expected = in label set: " + s);
        }
        i = skipSpace(s, i + 1);
        int[] p = {i};
        String value = readString(s, p);
        i = p[0];
        b.set(name, value);
      }
    }
    pos[0] = i;
    return b.build();
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == ':';
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** A Go-style quoted string starting at p[0]; p[0] is left after the closing quote. */
  static String readString(String s, int[] p) {
    int i = p[0];
    char q = s.charAt(i++);
    StringBuilder sb = new StringBuilder();
    while (i < s.length() && s.charAt(i) != q) {
      char c = s.charAt(i++);
      if (c == '\\' && q != '`' && i < s.length()) {
        char e = s.charAt(i++);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          case '\\' -> sb.append('\\');
          case '"' -> sb.append('"');
          case '\'' -> sb.append('\'');
          case 'u' -> {
            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          case 'x' -> {
            sb.append((char) Integer.parseInt(s.substring(i, i + 2), 16));
            i += 2;
          }
          default -> sb.append('\\').append(e);
        }
      } else {
        sb.append(c);
      }
    }
    p[0] = i + 1;
    return sb.toString();
  }
}
