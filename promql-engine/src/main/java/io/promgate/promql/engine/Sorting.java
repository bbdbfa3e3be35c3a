package io.promgate.promql.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** sort, sort_desc, sort_by_label and sort_by_label_desc, with Prometheus' NaN placement and natural order. */
final class Sorting {
  private Sorting() {
  }

  /** NaNs last either way; otherwise ascending or descending. Stable, as Go's insertion sort for small n. */
  static void byValue(List<Sample> in, boolean desc, List<Sample> out) {
    List<Sample> v = new ArrayList<>(in);
    v.sort((a, b) -> {
      boolean an = Double.isNaN(a.f);
      boolean bn = Double.isNaN(b.f);
      if (an || bn) {
        return Boolean.compare(an, bn);
      }
      return desc ? Double.compare(b.f, a.f) : Double.compare(a.f, b.f);
    });
    out.addAll(v);
  }

  static void byLabel(List<Sample> in, StepContext ctx, boolean desc, List<Sample> out) {
    List<String> names = new ArrayList<>();
    for (int i = 1; i < ctx.call.args().size(); i++) {
      names.add(FunctionCalls.stringArg(ctx.call, i));
    }
    Comparator<Sample> cmp = (a, b) -> {
      for (String n : names) {
        String x = a.metric.get(n);
        String y = b.metric.get(n);
        if (x.equals(y)) {
          continue;
        }
        boolean less = natLess(x, y);
        return desc ? (less ? 1 : -1) : (less ? -1 : 1);
      }
      int c = a.metric.compareTo(b.metric);
      return desc ? -c : c;
    };
    List<Sample> v = new ArrayList<>(in);
    v.sort(cmp);
    out.addAll(v);
  }

  private static final Pattern CHUNK = Pattern.compile("(\\d+|\\D+)");

  private static List<String> chunks(String s) {
    List<String> l = new ArrayList<>();
    Matcher m = CHUNK.matcher(s);
    while (m.find()) {
      l.add(m.group());
    }
    return l;
  }

  /** facette.io/natsort's Compare, which Prometheus uses: digit runs compare as integers. */
  static boolean natLess(String a, String b) {
    List<String> ca = chunks(a);
    List<String> cb = chunks(b);
    for (int i = 0; i < ca.size(); i++) {
      if (i >= cb.size()) {
        return false;
      }
      Long ai = atoi(ca.get(i));
      Long bi = atoi(cb.get(i));
      if (ai != null && bi != null) {
        if (ai.equals(bi)) {
          if (i == ca.size() - 1) {
            return true;
          } else if (i == cb.size() - 1) {
            return false;
          }
          continue;
        }
        return ai < bi;
      }
      if (ca.get(i).equals(cb.get(i))) {
        if (i == ca.size() - 1) {
          return true;
        } else if (i == cb.size() - 1) {
          return false;
        }
        continue;
      }
      return ca.get(i).compareTo(cb.get(i)) < 0;
    }
    return false;
  }

  private static Long atoi(String s) {
    if (s.isEmpty() || !Character.isDigit(s.charAt(0))) {
      return null;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

}
