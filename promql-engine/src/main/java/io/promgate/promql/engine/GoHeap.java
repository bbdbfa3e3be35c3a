package io.promgate.promql.engine;

import java.util.Collections;
import java.util.List;

/**
 * Go's {@code container/heap} and small-slice sort over samples, reproduced step for step, so that topk and
 * bottomk return ties in the same order as Prometheus (which uses a heap, then {@code sort.Sort}).
 *
 * <p>{@code reverse=false} is Prometheus' {@code vectorByValueHeap} (NaN smallest, ascending);
 * {@code reverse=true} is {@code vectorByReverseValueHeap} (NaN smallest, descending).
 */
final class GoHeap {
  private GoHeap() {
  }

  static boolean less(List<Sample> h, int i, int j, boolean reverse) {
    double vi = h.get(i).f;
    double vj = h.get(j).f;
    if (Double.isNaN(vi)) {
      return true;
    }
    return reverse ? vi > vj : vi < vj;
  }

  static void push(List<Sample> h, Sample s, boolean reverse) {
    h.add(s);
    up(h, h.size() - 1, reverse);
  }

  static void fix(List<Sample> h, int i, boolean reverse) {
    if (!down(h, i, h.size(), reverse)) {
      up(h, i, reverse);
    }
  }

  private static void up(List<Sample> h, int j, boolean reverse) {
    while (true) {
      int i = (j - 1) / 2;
      if (i == j || !less(h, j, i, reverse)) {
        break;
      }
      Collections.swap(h, i, j);
      j = i;
    }
  }

  private static boolean down(List<Sample> h, int i0, int n, boolean reverse) {
    int i = i0;
    while (true) {
      int j1 = 2 * i + 1;
      if (j1 >= n || j1 < 0) {
        break;
      }
      int j = j1;
      int j2 = j1 + 1;
      if (j2 < n && less(h, j2, j1, reverse)) {
        j = j2;
      }
      if (!less(h, j, i, reverse)) {
        break;
      }
      Collections.swap(h, i, j);
      i = j;
    }
    return i > i0;
  }

  /**
   * {@code sort.Sort(sort.Reverse(heap))}. Go uses insertion sort below 12 elements; above, its pdqsort is
   * not stable and ties may come out in another order than here.
   */
  static void sortReverse(List<Sample> h, boolean reverse) {
    int n = h.size();
    if (n <= 12) {
      for (int i = 1; i < n; i++) {
        for (int j = i; j > 0 && less(h, j - 1, j, reverse); j--) {
          Collections.swap(h, j, j - 1);
        }
      }
      return;
    }
    // Reverse order of less: b before a when less(a, b); NaNs (always "less") go last.
    h.sort((a, b) -> {
      boolean an = Double.isNaN(a.f);
      boolean bn = Double.isNaN(b.f);
      if (an || bn) {
        return Boolean.compare(an, bn);
      }
      return reverse ? Double.compare(a.f, b.f) : Double.compare(b.f, a.f);
    });
  }
}
