package io.promgate.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * An immutable label set, sorted by name with unique names, as Prometheus' {@code labels.Labels}.
 *
 * <p>Stored as one flat array {@code [n0, v0, n1, v1, ...]}: series identity is compared and hashed on
 * hot paths (merge, dedup, binary matching), and a flat array is cheaper to walk than a list of records.
 * Empty values are dropped on construction, because Prometheus treats a label with an empty value as absent.
 */
public final class Labels implements Comparable<Labels>, Iterable<Label> {
  public static final String METRIC_NAME = "__name__";
  public static final Labels EMPTY = new Labels(new String[0]);

  private final String[] pairs;
  private int hash;

  private Labels(String[] sortedPairs) {
    this.pairs = sortedPairs;
  }

  /** From alternating names and values, in any order. */
  public static Labels of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("odd number of label strings: " + namesAndValues.length);
    }
    Builder b = builder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      b.set(namesAndValues[i], namesAndValues[i + 1]);
    }
    return b.build();
  }

  public static Labels fromMap(Map<String, String> map) {
    Builder b = builder();
    map.forEach(b::set);
    return b.build();
  }

  public static Labels fromList(Collection<Label> labels) {
    Builder b = builder();
    for (Label l : labels) {
      b.set(l.name(), l.value());
    }
    return b.build();
  }

  /**
   * Wraps pairs the caller guarantees sorted by name, unique, and without empty values (e.g. decoded from a
   * store that validated them). Not checked.
   */
  public static Labels fromSortedPairs(String[] pairs) {
    return new Labels(pairs);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    for (int i = 0; i < pairs.length; i += 2) {
      b.map.put(pairs[i], pairs[i + 1]);
    }
    return b;
  }

  public int size() {
    return pairs.length / 2;
  }

  public boolean isEmpty() {
    return pairs.length == 0;
  }

  public String name(int i) {
    return pairs[2 * i];
  }

  public String value(int i) {
    return pairs[2 * i + 1];
  }

  /** The value of a label, or {@code ""} when absent (Prometheus' convention). */
  public String get(String name) {
    int i = indexOf(name);
    return i < 0 ? "" : pairs[2 * i + 1];
  }

  public boolean has(String name) {
    return indexOf(name) >= 0;
  }

  public String metricName() {
    return get(METRIC_NAME);
  }

  private int indexOf(String name) {
    int lo = 0;
    int hi = pairs.length / 2 - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = pairs[2 * mid].compareTo(name);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  public void forEach(BiConsumer<String, String> action) {
    for (int i = 0; i < pairs.length; i += 2) {
      action.accept(pairs[i], pairs[i + 1]);
    }
  }

  /** Copy without the given names. */
  public Labels without(Collection<String> names) {
    if (names.isEmpty()) {
      return this;
    }
    List<String> kept = new ArrayList<>(pairs.length);
    for (int i = 0; i < pairs.length; i += 2) {
      if (!names.contains(pairs[i])) {
        kept.add(pairs[i]);
        kept.add(pairs[i + 1]);
      }
    }
    return kept.size() == pairs.length ? this : new Labels(kept.toArray(new String[0]));
  }

  public Labels without(String... names) {
    return without(Set.of(names));
  }

  /** Copy keeping only the given names. */
  public Labels keep(Collection<String> names) {
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < pairs.length; i += 2) {
      if (names.contains(pairs[i])) {
        kept.add(pairs[i]);
        kept.add(pairs[i + 1]);
      }
    }
    return kept.size() == pairs.length ? this : new Labels(kept.toArray(new String[0]));
  }

  public Labels withoutMetricName() {
    return indexOf(METRIC_NAME) < 0 ? this : without(Set.of(METRIC_NAME));
  }

  public Map<String, String> toMap() {
    Map<String, String> m = new TreeMap<>();
    forEach(m::put);
    return m;
  }

  public List<Label> toList() {
    List<Label> l = new ArrayList<>(size());
    forEach((n, v) -> l.add(new Label(n, v)));
    return l;
  }

  @Override
  public Iterator<Label> iterator() {
    return new Iterator<>() {
      int i;

      @Override
      public boolean hasNext() {
        return i < pairs.length;
      }

      @Override
      public Label next() {
        if (i >= pairs.length) {
          throw new NoSuchElementException();
        }
        Label l = new Label(pairs[i], pairs[i + 1]);
        i += 2;
        return l;
      }
    };
  }

  /** Prometheus' ordering: label by label, name then value; a prefix sorts first. */
  @Override
  public int compareTo(Labels o) {
    int n = Math.min(pairs.length, o.pairs.length);
    for (int i = 0; i < n; i++) {
      // Names and often values are shared instances (one per store), so identity settles most pairs.
      if (pairs[i] == o.pairs[i]) {
        continue;
      }
      int c = pairs[i].compareTo(o.pairs[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(pairs.length, o.pairs.length);
  }

  @Override
  public boolean equals(Object o) {
    return this == o || (o instanceof Labels l && hashCode() == l.hashCode() && Arrays.equals(pairs, l.pairs));
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(pairs);
      hash = h == 0 ? 1 : h;
    }
    return hash;
  }

  /** Prometheus' text form: {@code {a="1", b="2"}}, with every label inside the braces. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < pairs.length; i += 2) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(pairs[i]).append("=\"").append(escape(pairs[i + 1])).append('"');
    }
    return sb.append('}').toString();
  }

  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Mutable builder; later sets of a name win, empty values delete. */
  public static final class Builder {
    private final TreeMap<String, String> map = new TreeMap<>();

    public Builder set(String name, String value) {
      if (value == null || value.isEmpty()) {
        map.remove(name);
      } else {
        map.put(name, value);
      }
      return this;
    }

    public Builder del(String name) {
      map.remove(name);
      return this;
    }

    public Builder setAll(Labels labels) {
      labels.forEach(this::set);
      return this;
    }

    public String get(String name) {
      return map.getOrDefault(name, "");
    }

    public Labels build() {
      if (map.isEmpty()) {
        return EMPTY;
      }
      String[] p = new String[map.size() * 2];
      int i = 0;
      for (Map.Entry<String, String> e : map.entrySet()) {
        p[i++] = e.getKey();
        p[i++] = e.getValue();
      }
      return new Labels(p);
    }
  }
}
