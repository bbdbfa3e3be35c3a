package io.promgate.storeapi;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.Querier;
import io.promgate.model.SelectHints;
import io.promgate.model.Series;
import io.promgate.model.SeriesSet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Reads one tenant's series for a Series call, in the order they are served (by served labels). Blocking:
 * runs on a worker thread, one step at a time, so that at most a few series are held per tenant.
 */
final class TenantCursor implements AutoCloseable {
  private final TenantView view;
  private final long mint;
  private final long maxt;
  private final SelectHints hints;
  private final List<LabelMatcher> matchers;
  private final Set<String> dropped;
  private final boolean skipChunks;
  private final Labels external;
  private final ArrayDeque<ServedSeries> ready = new ArrayDeque<>();
  private final LabelOrderRestorer restorer = new LabelOrderRestorer(ready::add);

  private Querier querier;
  private SeriesSet set;
  private boolean exhausted;
  private boolean resortInMemory;

  TenantCursor(TenantView view, SelectHints hints, List<LabelMatcher> storeMatchers, Set<String> dropped,
      boolean skipChunks) {
    this.view = view;
    this.mint = hints.start();
    this.maxt = hints.end();
    this.hints = hints;
    this.matchers = storeMatchers;
    this.dropped = dropped;
    this.skipChunks = skipChunks;
    this.external = view.externalLabelsWithout(dropped);
  }

  private void open() {
    querier = view.store().querier(mint, maxt);
    // Streaming keeps the order only when series gain labels and lose none (see LabelOrderRestorer). Asking
    // the index which names occur is cheap, and decides whether this call must re-sort in memory.
    List<String> names = querier.labelNames(matchers);
    resortInMemory = containsAny(names, dropped) || containsAny(names, externalNames());
    set = querier.select(true, hints, matchers);
    if (resortInMemory) {
      List<ServedSeries> all = new ArrayList<>();
      while (set.next()) {
        all.add(serve(set.at()));
      }
      all.sort((a, b) -> a.labels().compareTo(b.labels()));
      ready.addAll(all);
      exhausted = true;
    }
  }

  private List<String> externalNames() {
    List<String> names = new ArrayList<>(external.size());
    external.forEach((n, v) -> names.add(n));
    return names;
  }

  private static boolean containsAny(List<String> names, Collection<String> wanted) {
    for (String w : wanted) {
      if (names.contains(w)) {
        return true;
      }
    }
    return false;
  }

  private ServedSeries serve(Series s) {
    Labels labels = TenantView.served(s.labels(), dropped, external);
    return new ServedSeries(labels, skipChunks ? List.of() : ChunkEncoder.chunks(s, mint, maxt));
  }

  /** The next series in served order without consuming it, or null at the end. */
  ServedSeries peek() {
    if (querier == null) {
      open();
    }
    while (ready.isEmpty() && !exhausted) {
      if (set.next()) {
        restorer.accept(serve(set.at()));
      } else {
        restorer.flush();
        exhausted = true;
      }
    }
    return ready.peek();
  }

  ServedSeries poll() {
    ServedSeries s = peek();
    ready.poll();
    return s;
  }

  /** Warnings of the store; complete only once the cursor is exhausted. */
  List<String> warnings() {
    return set == null ? List.of() : set.warnings();
  }

  String tenant() {
    return view.tenant();
  }

  @Override
  public void close() {
    if (querier != null) {
      querier.close();
    }
  }
}
