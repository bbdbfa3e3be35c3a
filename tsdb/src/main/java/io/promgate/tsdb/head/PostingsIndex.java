package io.promgate.tsdb.head;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;

/**
 * Inverted index of the head: label name → value → sorted series refs, as Prometheus' {@code MemPostings}.
 *
 * <p>Refs are handed out densely and in increasing order, so each postings list is append-only and stays
 * sorted, and set algebra over matchers is done with {@link BitSet}s indexed by ref. A regex matcher is
 * evaluated once per distinct value of its label, never once per series.
 *
 * <p>Matching follows Prometheus' {@code PostingsForMatchers}: a matcher that matches the empty string
 * (e.g. {@code a=""}, {@code a!="x"}, {@code a=~"x|"}, {@code a!~"x"}) also selects series without the
 * label, so it is applied by subtracting the series whose value it rejects; {@code =~".*"} is a no-op; when
 * every matcher matches the empty string the start set is all series.
 */
final class PostingsIndex {
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<String, Map<String, IntList>> byName = new HashMap<>();
  private final IntList all = new IntList();

  void add(int ref, Labels labels) {
    lock.writeLock().lock();
    try {
      all.add(ref);
      for (int i = 0; i < labels.size(); i++) {
        byName.computeIfAbsent(labels.name(i), k -> new HashMap<>())
            .computeIfAbsent(labels.value(i), k -> new IntList())
            .add(ref);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Removes refs (rare: head truncation); rebuilds the affected lists. */
  void remove(BitSet refs, Map<Integer, Labels> labelsOf) {
    lock.writeLock().lock();
    try {
      all.removeAll(refs);
      for (Labels l : labelsOf.values()) {
        for (int i = 0; i < l.size(); i++) {
          Map<String, IntList> values = byName.get(l.name(i));
          if (values == null) {
            continue;
          }
          IntList p = values.get(l.value(i));
          if (p != null) {
            p.removeAll(refs);
            if (p.size() == 0) {
              values.remove(l.value(i));
              if (values.isEmpty()) {
                byName.remove(l.name(i));
              }
            }
          }
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  BitSet select(List<LabelMatcher> matchers) {
    lock.readLock().lock();
    try {
      BitSet result = null;
      BitSet subtract = new BitSet();
      for (LabelMatcher m : matchers) {
        if (m.type() == LabelMatcher.Type.RE && m.value().equals(".*")) {
          continue;
        }
        if (m.matchesEmpty()) {
          subtract.or(union(m.name(), v -> !m.matches(v)));
        } else {
          BitSet s = (m.type() == LabelMatcher.Type.EQ) ? exact(m.name(), m.value()) : union(m.name(), m::matches);
          if (result == null) {
            result = s;
          } else {
            result.and(s);
          }
          if (result.isEmpty()) {
            return result;
          }
        }
      }
      if (result == null) {
        result = all.toBitSet();
      }
      result.andNot(subtract);
      return result;
    } finally {
      lock.readLock().unlock();
    }
  }

  private BitSet exact(String name, String value) {
    Map<String, IntList> values = byName.get(name);
    IntList p = values == null ? null : values.get(value);
    return p == null ? new BitSet() : p.toBitSet();
  }

  private BitSet union(String name, Predicate<String> keep) {
    BitSet out = new BitSet();
    Map<String, IntList> values = byName.get(name);
    if (values != null) {
      values.forEach((v, p) -> {
        if (keep.test(v)) {
          p.orInto(out);
        }
      });
    }
    return out;
  }

  List<String> names() {
    lock.readLock().lock();
    try {
      List<String> out = new ArrayList<>(byName.keySet());
      out.sort(null);
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  List<String> values(String name) {
    lock.readLock().lock();
    try {
      Map<String, IntList> values = byName.get(name);
      List<String> out = values == null ? new ArrayList<>() : new ArrayList<>(values.keySet());
      out.sort(null);
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Approximate heap bytes of the postings (4 bytes per entry plus list overhead). */
  long bytes() {
    lock.readLock().lock();
    try {
      long b = all.capacity() * 4L;
      for (Map<String, IntList> values : byName.values()) {
        for (IntList p : values.values()) {
          b += 32 + p.capacity() * 4L + 48; // list object + array + map entry
        }
      }
      return b;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** A growable sorted int array. */
  static final class IntList {
    private int[] a = new int[1];
    private int n;

    void add(int v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n < 8 ? n * 2 : n + (n >> 1));
      }
      a[n++] = v;
    }

    int size() {
      return n;
    }

    int capacity() {
      return a.length;
    }

    void orInto(BitSet b) {
      for (int i = 0; i < n; i++) {
        b.set(a[i]);
      }
    }

    BitSet toBitSet() {
      BitSet b = new BitSet(n == 0 ? 0 : a[n - 1] + 1);
      orInto(b);
      return b;
    }

    void removeAll(BitSet refs) {
      int w = 0;
      for (int i = 0; i < n; i++) {
        if (!refs.get(a[i])) {
          a[w++] = a[i];
        }
      }
      n = w;
    }
  }
}
