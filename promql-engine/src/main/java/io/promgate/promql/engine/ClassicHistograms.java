package io.promgate.promql.engine;

import io.promgate.model.Labels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * histogram_quantile and histogram_fraction over classic histograms: samples are grouped by their labels
 * without {@code le} (the metric name stays, marked for delayed removal), each group's buckets are fixed and
 * interpolated by {@link Quantiles}.
 */
final class ClassicHistograms {
  private ClassicHistograms() {
  }

  private static Map<Labels, Quantiles.Buckets> group(List<Sample> in, StepContext ctx, Map<Labels, Labels> names) {
    Map<Labels, Quantiles.Buckets> groups = new LinkedHashMap<>();
    for (Sample s : in) {
      // Bound and group key are fixed per input series: computed once, not at every step.
      FloatSeries src = s.src != null && s.src.metric == s.metric ? s.src : null;
      Double ub;
      if (src != null && src.upperBound != null) {
        ub = Double.isNaN(src.upperBound) && src.sig == null ? null : src.upperBound;
      } else {
        ub = goParseFloat(s.metric.get("le"));
        if (src != null) {
          src.upperBound = ub == null ? Double.NaN : ub;
          src.sig = ub == null ? null : s.metric.without("le");
        }
      }
      if (ub == null) {
        String le = s.metric.get("le");
        ctx.annotations.warn("bucket label \"le\" is missing or has a malformed value of " + Annotations.quote(le)
            + " for metric name " + Annotations.quote(s.metric.metricName()));
        continue;
      }
      Labels key = src != null ? src.sig : s.metric.without("le");
      groups.computeIfAbsent(key, k -> new Quantiles.Buckets()).add(ub, s.f);
      names.putIfAbsent(key, key);
    }
    return groups;
  }

  static void quantile(Object[] args, StepContext ctx, List<Sample> out) {
    double q = FunctionTable.vec(args, 0).get(0).f;
    if (Double.isNaN(q) || q < 0 || q > 1) {
      ctx.annotations.warn("quantile value should be between 0 and 1, got " + ValueFormat.formatG(q, false));
    }
    Map<Labels, Quantiles.Buckets> groups = group(FunctionTable.vec(args, 1), ctx, new LinkedHashMap<>());
    for (Map.Entry<Labels, Quantiles.Buckets> e : groups.entrySet()) {
      Quantiles.BucketResult r = Quantiles.bucketQuantile(q, e.getValue());
      if (r.forcedMonotonic()) {
        ctx.annotations.info("input to histogram_quantile needed to be fixed for monotonicity (see "
            + "https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name "
            + Annotations.quote(e.getKey().metricName()));
      }
      out.add(new Sample(e.getKey(), r.value(), 0, true));
    }
  }

  static void fraction(Object[] args, StepContext ctx, List<Sample> out) {
    double lower = FunctionTable.vec(args, 0).get(0).f;
    double upper = FunctionTable.vec(args, 1).get(0).f;
    Map<Labels, Quantiles.Buckets> groups = group(FunctionTable.vec(args, 2), ctx, new LinkedHashMap<>());
    for (Map.Entry<Labels, Quantiles.Buckets> e : groups.entrySet()) {
      out.add(new Sample(e.getKey(), Quantiles.bucketFraction(lower, upper, e.getValue()), 0, true));
    }
  }

  /** Go's strconv.ParseFloat for the forms label values take; null when Go would fail. */
  static Double goParseFloat(String s) {
    if (s.isEmpty()) {
      return null;
    }
    String l = s.toLowerCase(java.util.Locale.ROOT);
    String body = l.startsWith("+") || l.startsWith("-") ? l.substring(1) : l;
    boolean neg = l.startsWith("-");
    if (body.equals("inf") || body.equals("infinity")) {
      return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (body.equals("nan")) {
      return Double.NaN;
    }
    char last = l.charAt(l.length() - 1);
    if (last == 'd' || last == 'f' || Character.isWhitespace(l.charAt(0)) || Character.isWhitespace(last)
        || body.contains("infinity") || body.contains("nan")) {
      return null;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
