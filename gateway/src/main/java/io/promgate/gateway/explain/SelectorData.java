package io.promgate.gateway.explain;

import io.promgate.model.Labels;
import io.promgate.model.SampleIterator;
import io.promgate.model.Series;
import io.promgate.model.SeriesSet;
import io.promgate.model.StaleNaN;
import io.promgate.model.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one backend returned for one selector, summarised: the series that would reach the engine, the
 * samples they carry, and their time extent. "Live" series are those the engine can show: for an instant
 * query a series whose newest sample in the window is a stale marker shows nothing (Prometheus' staleness
 * rule), for a range query any real sample counts.
 */
record SelectorData(int series, int liveSeries, long samples, long firstMs, long lastMs, long lastStaleMs,
    List<Labels> labels) {
  static final SelectorData EMPTY = new SelectorData(0, 0, 0, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, List.of());

  /** Walks the set once; external labels are added to the listed labels so matchers see what the engine sees. */
  static SelectorData of(SeriesSet set, long mint, long maxt, boolean instant, Map<String, String> external) {
    int series = 0;
    int live = 0;
    long samples = 0;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    long lastStale = Long.MIN_VALUE;
    List<Labels> labels = new ArrayList<>();
    while (set.next()) {
      Series s = set.at();
      series++;
      labels.add(withExternal(s.labels(), external));
      SampleIterator it = s.iterator();
      long real = 0;
      boolean newestIsStale = false;
      ValueType vt;
      while ((vt = it.next()) != ValueType.NONE) {
        long t = it.timestamp();
        if (t < mint || t > maxt) {
          continue;
        }
        boolean stale = vt == ValueType.FLOAT && StaleNaN.is(it.value());
        newestIsStale = stale;
        if (stale) {
          lastStale = Math.max(lastStale, t);
          continue;
        }
        real++;
        first = Math.min(first, t);
        last = Math.max(last, t);
      }
      samples += real;
      if (real > 0 && !(instant && newestIsStale)) {
        live++;
      }
    }
    return new SelectorData(series, live, samples, first, last, lastStale, labels);
  }

  static Labels withExternal(Labels l, Map<String, String> external) {
    if (external.isEmpty()) {
      return l;
    }
    Labels.Builder b = l.toBuilder();
    external.forEach(b::set);
    return b.build();
  }

  SelectorData plus(SelectorData o) {
    List<Labels> all = new ArrayList<>(labels);
    all.addAll(o.labels);
    return new SelectorData(series + o.series, liveSeries + o.liveSeries, samples + o.samples,
        Math.min(firstMs, o.firstMs), Math.max(lastMs, o.lastMs), Math.max(lastStaleMs, o.lastStaleMs), all);
  }
}
