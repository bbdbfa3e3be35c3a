package io.promgate.gateway.explain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The closest existing metric names to one that does not exist. Metric names are made of tokens
 * ({@code aws_cost_exporter_cluster_cost} = aws, cost, exporter, cluster, cost); a mistyped or guessed
 * name usually keeps most of them (the FinOps case of issue 11), while plain edit distance alone prefers
 * short unrelated names. So candidates rank by shared tokens first, then by Levenshtein distance; a name
 * sharing no token is kept only when it is within a third of the length (a typo).
 */
public final class NameSuggester {
  private NameSuggester() {
  }

  public static List<String> closest(String wanted, Iterable<String> existing, int limit) {
    Set<String> want = tokens(wanted);
    record Scored(String name, int shared, int distance) {}
    List<Scored> scored = new ArrayList<>();
    for (String name : existing) {
      if (name.equals(wanted)) {
        continue;
      }
      Set<String> have = tokens(name);
      int shared = 0;
      for (String t : want) {
        if (have.contains(t)) {
          shared++;
        }
      }
      int d = levenshtein(wanted.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT));
      if (shared > 0 || d <= Math.max(2, wanted.length() / 3)) {
        scored.add(new Scored(name, shared, d));
      }
    }
    scored.sort(Comparator.comparingInt((Scored s) -> -s.shared).thenComparingInt(Scored::distance)
        .thenComparing(Scored::name));
    return scored.stream().limit(limit).map(Scored::name).toList();
  }

  static Set<String> tokens(String name) {
    Set<String> out = new HashSet<>();
    for (String t : name.toLowerCase(Locale.ROOT).split("[_:]+")) {
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }

  static int levenshtein(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
