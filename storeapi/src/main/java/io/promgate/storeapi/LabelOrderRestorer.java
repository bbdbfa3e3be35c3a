package io.promgate.storeapi;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * Restores the sort order after external labels were added to series that a store returned sorted by their
 * own labels, without buffering the result.
 *
 * <p>Why the order breaks: labels compare pair by pair and a prefix sorts first, so {@code {a="1"}} precedes
 * {@code {a="1", b="1"}}; add {@code region="eu"} to both and the second now sorts first, because {@code b}
 * precedes {@code region}. Thanos' TSDB store answers this by buffering every series and re-sorting; we
 * do not, since a Series call may stream a million series.
 *
 * <p>The invariant we use: adding the same labels to every series (none of whose names the series carry)
 * can only reorder a series after series that <em>extend</em> it, and those follow it immediately in the
 * store's order. So it suffices to hold back a chain of nested prefixes: a stack whose depth is bounded by
 * the number of labels per series. Each arriving series first releases every held series that sorts before
 * it, then is held itself. When labels are also removed (replica labels the series really carry) or clash
 * with external names, the invariant does not hold and {@link SeriesProducer} re-sorts in memory instead.
 */
final class LabelOrderRestorer {
  private final Deque<ServedSeries> held = new ArrayDeque<>();
  private final Consumer<ServedSeries> downstream;

  LabelOrderRestorer(Consumer<ServedSeries> downstream) {
    this.downstream = downstream;
  }

  void accept(ServedSeries s) {
    while (!held.isEmpty() && held.peek().labels().compareTo(s.labels()) <= 0) {
      downstream.accept(held.pop());
    }
    held.push(s);
  }

  void flush() {
    while (!held.isEmpty()) {
      downstream.accept(held.pop());
    }
  }

  int held() {
    return held.size();
  }
}
