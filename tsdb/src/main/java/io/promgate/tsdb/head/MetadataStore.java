package io.promgate.tsdb.head;

import io.promgate.tsdb.MetricMetadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Latest metadata per metric family of one tenant, for {@code /api/v1/metadata}. Prometheus keeps metadata
 * per target and may list several entries for a metric; remote write sends one per family, so we keep the
 * latest one and answer in the same shape (a list per metric).
 */
public final class MetadataStore {
  private final Map<String, MetricMetadata> byFamily = new ConcurrentHashMap<>();

  /** Whether storing {@code m} would change anything (so unchanged metadata is not logged again). */
  boolean isNew(MetricMetadata m) {
    return !m.equals(byFamily.get(m.metricFamily()));
  }

  void put(MetricMetadata m) {
    byFamily.put(m.metricFamily(), m);
  }

  /**
   * Metadata sorted by metric name, as {@code /api/v1/metadata?metric=&limit=} wants it.
   *
   * @param metric only this family, or all when null or empty
   * @param limit at most this many metrics, unlimited when negative (Prometheus: {@code limit=0} is empty)
   */
  public Map<String, List<MetricMetadata>> query(String metric, int limit) {
    Map<String, List<MetricMetadata>> out = new LinkedHashMap<>();
    if (metric != null && !metric.isEmpty()) {
      MetricMetadata m = byFamily.get(metric);
      if (m != null && limit != 0) {
        out.put(metric, List.of(m));
      }
      return out;
    }
    for (Map.Entry<String, MetricMetadata> e : new TreeMap<>(byFamily).entrySet()) {
      if (limit >= 0 && out.size() >= limit) {
        break;
      }
      out.put(e.getKey(), List.of(e.getValue()));
    }
    return out;
  }

  public int size() {
    return byFamily.size();
  }
}
