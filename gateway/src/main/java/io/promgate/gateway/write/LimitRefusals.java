package io.promgate.gateway.write;

import io.promgate.gateway.metrics.SelfMetrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code promgate_limit_refusals_total{limit, tenant}}: write requests refused, wholly or in part, because of
 * a per-tenant limit ({@code ingestion_rate}, {@code max_label_names_per_series}, {@code max_label_name_length},
 * {@code max_label_value_length}). Limit names are Mimir's, so existing alerts read naturally.
 */
public final class LimitRefusals implements SelfMetrics.MetricsSource {
  private final Map<String, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();

  void refused(String limit, String tenant) {
    counts.computeIfAbsent(limit, l -> new ConcurrentHashMap<>()).computeIfAbsent(tenant, t -> new LongAdder())
        .increment();
  }

  public long count(String limit, String tenant) {
    Map<String, LongAdder> m = counts.get(limit);
    LongAdder a = m == null ? null : m.get(tenant);
    return a == null ? 0 : a.sum();
  }

  @Override
  public void writeTo(StringBuilder out) {
    out.append("# HELP promgate_limit_refusals_total Write requests refused (wholly or in part) by a per-tenant limit.\n")
        .append("# TYPE promgate_limit_refusals_total counter\n");
    counts.forEach((limit, byTenant) -> byTenant.forEach((tenant, n) -> out.append("promgate_limit_refusals_total{limit=\"")
        .append(limit).append("\",tenant=\"").append(escape(tenant)).append("\"} ").append(n.sum()).append('\n')));
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
