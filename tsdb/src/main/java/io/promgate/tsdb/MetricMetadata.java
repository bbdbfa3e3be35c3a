package io.promgate.tsdb;

/**
 * Metadata of one metric family as remote write carries it ({@code prometheus.MetricMetadata}) and
 * {@code /api/v1/metadata} serves it.
 *
 * @param type lower-case Prometheus type name: counter, gauge, histogram, gaugehistogram, summary, info,
 *     stateset or unknown
 */
public record MetricMetadata(String metricFamily, String type, String help, String unit) {
  public MetricMetadata {
    help = help == null ? "" : help;
    unit = unit == null ? "" : unit;
    type = type == null || type.isEmpty() ? "unknown" : type;
  }
}
