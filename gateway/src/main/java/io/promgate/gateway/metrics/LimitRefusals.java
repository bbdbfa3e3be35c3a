package io.promgate.gateway.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code promgate_limit_refusals_total{limit, tenant}}: calls refused, wholly or in part, by a
 * {@code tenancy.limits} limit, on reads (e.g. {@code max-query-range}, {@code max-series-per-query}) and on
 * remote write (e.g. {@code ingestion-rate}, {@code max-label-value-length}). The {@code limit} label is the
 * config key, so an alert names what to raise. One family for the whole server: {@link SelfMetrics} owns it.
 */
public final class LimitRefusals implements SelfMetrics.MetricsSource {
  private final Map<String, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();

  public void refused(String limit, String tenant) {
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
    out.append("# HELP promgate_limit_refusals_total Calls refused (wholly or in part) by a tenancy.limits limit, by limit and tenant.\n")
        .append("# TYPE promgate_limit_refusals_total counter\n");
    counts.forEach((limit, byTenant) -> byTenant.forEach((tenant, n) -> out.append("promgate_limit_refusals_total{limit=\"")
        .append(limit).append("\",tenant=\"").append(escape(tenant)).append("\"} ").append(n.sum()).append('\n')));
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
