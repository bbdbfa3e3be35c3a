package io.promgate.promql.engine;

import io.promgate.model.Labels;
import io.promgate.promql.ast.AggregateExpr;
import io.promgate.promql.ast.AggregateOp;
import io.promgate.promql.ast.Expr;
import io.promgate.promql.ast.StringLiteral;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Aggregation operators, as Prometheus' {@code rangeEvalAgg}/{@code aggregation}/{@code aggregationK}: the
 * input series are mapped to groups once, then each step folds the series that have a point there. Sums and
 * means use Kahan compensation, and topk/bottomk keep Go's heap order so that ties come out as in Prometheus.
 */
final class Aggregations {
  private Aggregations() {
  }

  static final class Group {
    boolean seen;
    double value;
    double mean;
    double kahanC;
    double count;
    boolean incrementalMean;
    List<Sample> heap;
    double[] values;
    int nValues;
    boolean complete;
  }

  static List<FloatSeries> eval(Evaluator ev, AggregateExpr e) {
    List<String> grouping = new ArrayList<>(e.grouping());
    java.util.Collections.sort(grouping);
    if (e.op() == AggregateOp.COUNT_VALUES) {
      return countValues(ev, e, grouping);
    }
    double[] params = null;
    if (e.param() != null) {
      params = ev.evalScalarSteps(e.param());
    }
    List<FloatSeries> input = ev.eval(e.expr());
    return rangeEvalAgg(ev, e, grouping, input, params);
  }

  static Labels groupingKey(Labels metric, List<String> grouping, boolean without) {
    return groupingKey(metric, groupingSet(grouping, without), without);
  }

  /** The label names a grouping keeps ({@code by}) or drops ({@code without}, plus the metric name). */
  static Set<String> groupingSet(List<String> grouping, boolean without) {
    Set<String> set = new HashSet<>(grouping);
    if (without) {
      set.add(Labels.METRIC_NAME);
    }
    return set;
  }

  /** @param names from {@link #groupingSet}, built once per aggregation rather than once per series */
  static Labels groupingKey(Labels metric, Set<String> names, boolean without) {
    if (without) {
      return metric.without(names);
    }
    if (names.isEmpty()) {
      return Labels.EMPTY;
    }
    return metric.keep(names);
  }

  private static List<FloatSeries> rangeEvalAgg(Evaluator ev, AggregateExpr e, List<String> grouping,
      List<FloatSeries> input, double[] params) {
    AggregateOp op = e.op();
    boolean kOp = op == AggregateOp.TOPK || op == AggregateOp.BOTTOMK || op == AggregateOp.LIMITK
        || op == AggregateOp.LIMIT_RATIO;
    Map<Labels, Integer> groupIndex = new HashMap<>();
    int[] seriesToGroup = new int[input.size()];
    List<FloatSeries> result = new ArrayList<>();
    Set<String> names = groupingSet(grouping, e.without());
    for (int si = 0; si < input.size(); si++) {
      Labels key = groupingKey(input.get(si).metric, names, e.without());
      Integer idx = groupIndex.get(key);
      if (idx == null) {
        idx = groupIndex.size();
        groupIndex.put(key, idx);
        if (!kOp) {
          result.add(new FloatSeries(key, Math.min(ev.numSteps(), 64)));
        }
      }
      seriesToGroup[si] = idx;
      input.get(si).cursor = 0;
    }
    Group[] groups = new Group[groupIndex.size()];
    for (int i = 0; i < groups.length; i++) {
      groups[i] = new Group();
    }
    double pmax = Double.NEGATIVE_INFINITY;
    double pmin = Double.POSITIVE_INFINITY;
    boolean anyNaN = false;
    if (params != null) {
      for (double p : params) {
        if (Double.isNaN(p)) {
          anyNaN = true;
        } else {
          pmax = Math.max(pmax, p);
          pmin = Math.min(pmin, p);
        }
      }
      if (anyNaN && pmax == Double.NEGATIVE_INFINITY) {
        pmax = Double.NaN;
        pmin = Double.NaN;
      }
    }
    Annotations annos = ev.sh.annotations;
    switch (op) {
      case TOPK, BOTTOMK, LIMITK -> {
        if (!(pmax >= 1)) {
          return new ArrayList<>();
        }
      }
      case LIMIT_RATIO -> {
        if (pmax == 0 && pmin == 0) {
          return new ArrayList<>();
        }
        if (pmax > 1.0) {
          annos.warn("ratio value should be between -1 and 1, got " + ValueFormat.formatG(pmax, false)
              + ", capping to 1");
        }
        if (pmin < -1.0) {
          annos.warn("ratio value should be between -1 and 1, got " + ValueFormat.formatG(pmin, false)
              + ", capping to -1");
        }
      }
      case QUANTILE -> {
        if (anyNaN) {
          annos.warn("quantile value should be between 0 and 1, got NaN");
        }
        if (pmax > 1) {
          annos.warn("quantile value should be between 0 and 1, got " + ValueFormat.formatG(pmax, false));
        }
        if (pmin < 0) {
          annos.warn("quantile value should be between 0 and 1, got " + ValueFormat.formatG(pmin, false));
        }
      }
      default -> {
      }
    }
    Map<Labels, FloatSeries> kSeries = new LinkedHashMap<>();
    int step = 0;
    for (long ts = ev.start; ts <= ev.end; ts += ev.interval, step++) {
      ev.sh.limits.check();
      double param = params == null ? 0 : params[step];
      if (kOp) {
        List<FloatSeries> r = SelectingAggregations.apply(ev, e, param, input, seriesToGroup, groups, ts, kSeries);
        if (ev.isInstant()) {
          return r;
        }
      } else {
        aggregation(e, param, input, result, seriesToGroup, groups, ts);
      }
    }
    if (kOp) {
      return new ArrayList<>(kSeries.values());
    }
    List<FloatSeries> out = new ArrayList<>(result.size());
    for (FloatSeries s : result) {
      if (s.n > 0) {
        out.add(s);
      }
    }
    return out;
  }

  /** The value of series s at ts, advancing its cursor; NaN-boxed "absent" via the boolean array. */
  static boolean next(FloatSeries s, long ts, double[] v) {
    int c = s.cursor;
    while (c < s.n && s.t[c] < ts) {
      c++;
    }
    s.cursor = c;
    if (c < s.n && s.t[c] == ts) {
      v[0] = s.f[c];
      s.cursor = c + 1;
      return true;
    }
    return false;
  }

  private static void aggregation(AggregateExpr e, double q, List<FloatSeries> input, List<FloatSeries> output,
      int[] seriesToGroup, Group[] groups, long ts) {
    AggregateOp op = e.op();
    for (Group g : groups) {
      g.seen = false;
    }
    double[] v = new double[1];
    for (int si = 0; si < input.size(); si++) {
      if (!next(input.get(si), ts, v)) {
        continue;
      }
      double f = v[0];
      Group g = groups[seriesToGroup[si]];
      if (!g.seen) {
        g.seen = true;
        g.value = f;
        g.mean = f;
        g.kahanC = 0;
        g.count = 1;
        g.incrementalMean = false;
        switch (op) {
          case STDVAR, STDDEV -> g.value = (Double.isNaN(f) || Double.isInfinite(f)) ? Double.NaN : 0;
          case QUANTILE -> {
            if (g.values == null) {
              g.values = new double[8];
            }
            g.values[0] = f;
            g.nValues = 1;
          }
          case GROUP -> g.value = 1;
          default -> {
          }
        }
        continue;
      }
      switch (op) {
        case SUM -> {
          double[] r = kahanSumInc(f, g.value, g.kahanC);
          g.value = r[0];
          g.kahanC = r[1];
        }
        case AVG -> {
          g.count++;
          if (!g.incrementalMean) {
            double[] r = kahanSumInc(f, g.value, g.kahanC);
            if (!Double.isInfinite(r[0])) {
              g.value = r[0];
              g.kahanC = r[1];
              break;
            }
            g.incrementalMean = true;
            g.mean = g.value / (g.count - 1);
            g.kahanC /= g.count - 1;
          }
          double qq = (g.count - 1) / g.count;
          double[] r = kahanSumInc(f / g.count, qq * g.mean, qq * g.kahanC);
          g.mean = r[0];
          g.kahanC = r[1];
        }
        case GROUP -> {
        }
        case MAX -> {
          if (g.value < f || Double.isNaN(g.value)) {
            g.value = f;
          }
        }
        case MIN -> {
          if (g.value > f || Double.isNaN(g.value)) {
            g.value = f;
          }
        }
        case COUNT -> g.count++;
        case STDVAR, STDDEV -> {
          g.count++;
          double delta = f - g.mean;
          g.mean += delta / g.count;
          g.value += delta * (f - g.mean);
        }
        case QUANTILE -> {
          if (g.nValues == g.values.length) {
            g.values = java.util.Arrays.copyOf(g.values, g.nValues * 2);
          }
          g.values[g.nValues++] = f;
        }
        default -> throw new IllegalStateException("expected aggregation operator but got " + op);
      }
    }
    for (int ri = 0; ri < groups.length; ri++) {
      Group g = groups[ri];
      if (!g.seen) {
        continue;
      }
      double val = g.value;
      switch (op) {
        case AVG -> val = g.incrementalMean ? g.mean + g.kahanC : g.value / g.count + g.kahanC / g.count;
        case COUNT -> val = g.count;
        case STDVAR -> val = g.value / g.count;
        case STDDEV -> val = Math.sqrt(g.value / g.count);
        case QUANTILE -> val = Quantiles.quantile(q, g.values, g.nValues);
        case SUM -> val = g.value + g.kahanC;
        default -> {
        }
      }
      FloatSeries out = output.get(ri);
      out.add(ts, val);
      // Prometheus copies the mark from the input series with the group's index (engine.go, aggregation).
      out.dropName = input.get(ri).dropName;
    }
  }

  static double[] kahanSumInc(double inc, double sum, double c) {
    double t = sum + inc;
    if (Double.isInfinite(t)) {
      c = 0;
    } else if (Math.abs(sum) >= Math.abs(inc)) {
      c += (sum - t) + inc;
    } else {
      c += (inc - t) + sum;
    }
    return new double[] {t, c};
  }

  private static List<FloatSeries> countValues(Evaluator ev, AggregateExpr e, List<String> grouping) {
    Expr p = Evaluator.unwrap(e.param());
    if (!(p instanceof StringLiteral sl)) {
      throw EngineException.execution("count_values needs a string parameter");
    }
    String valueLabel = sl.value();
    if (!LabelNames.isValid(valueLabel)) {
      throw EngineException.execution("invalid label name " + Annotations.quote(valueLabel));
    }
    List<String> g = new ArrayList<>(grouping);
    if (!e.without()) {
      g.add(valueLabel);
      java.util.Collections.sort(g);
    }
    List<FloatSeries> input = ev.eval(e.expr());
    return ev.rangeEval((args, ts, out) -> {
      Map<Labels, double[]> counts = new LinkedHashMap<>();
      for (Sample s : args.get(0)) {
        Labels metric = s.metric.toBuilder().set(valueLabel, ValueFormat.formatF(s.f)).build();
        Labels key = groupingKey(metric, g, e.without());
        counts.computeIfAbsent(key, x -> new double[1])[0]++;
      }
      for (Map.Entry<Labels, double[]> en : counts.entrySet()) {
        out.add(new Sample(en.getKey(), en.getValue()[0], ts, false));
      }
    }, Evaluator.inputs(input));
  }
}
