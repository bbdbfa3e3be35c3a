package io.promgate.promql.engine;

import io.promgate.model.Labels;
import io.promgate.promql.ast.AggregateExpr;
import io.promgate.promql.ast.AggregateOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The aggregations that select series rather than fold them: topk, bottomk, limitk and limit_ratio
 * (Prometheus' {@code aggregationK}). Output series keep their labels; topk and bottomk go through Go's
 * heap ({@link GoHeap}) so that ties come out in Prometheus' order.
 */
final class SelectingAggregations {
  private SelectingAggregations() {
  }

  static List<FloatSeries> apply(Evaluator ev, AggregateExpr e, double param, List<FloatSeries> input,
      int[] seriesToGroup, Aggregations.Group[] groups, long ts, Map<Labels, FloatSeries> kSeries) {
    AggregateOp op = e.op();
    int groupsRemaining = groups.length;
    for (Aggregations.Group g : groups) {
      g.seen = false;
      g.complete = false;
    }
    double[] v = new double[1];
    long k = 0;
    double r = 0;
    seriesLoop:
    for (int si = 0; si < input.size(); si++) {
      FloatSeries in = input.get(si);
      if (!Aggregations.next(in, ts, v)) {
        continue;
      }
      Sample s = new Sample(in.metric, v[0], ts, in.dropName);
      switch (op) {
        case TOPK, BOTTOMK, LIMITK -> {
          if (Double.isNaN(param) || Double.isInfinite(param) || param >= 9.223372036854775807E18
              || param <= -9.223372036854775808E18) {
            throw EngineException.execution("Scalar value " + ValueFormat.formatG(param, true) + " overflows int64");
          }
          k = (long) param;
          if (k > input.size()) {
            k = input.size();
          }
          if (k < 1) {
            advanceRemaining(input, si + 1, ts, v);
            return new ArrayList<>();
          }
        }
        case LIMIT_RATIO -> {
          if (Double.isNaN(param)) {
            throw EngineException.execution("Ratio value NaN is NaN");
          }
          if (param == 0) {
            advanceRemaining(input, si + 1, ts, v);
            return new ArrayList<>();
          }
          r = Math.max(-1.0, Math.min(1.0, param));
        }
        default -> {
        }
      }
      Aggregations.Group g = groups[seriesToGroup[si]];
      if (!g.seen) {
        g.seen = true;
        g.heap = new ArrayList<>();
        switch (op) {
          case LIMIT_RATIO -> {
            if (addRatioSample(r, s)) {
              g.heap.add(s);
            }
          }
          case LIMITK -> g.heap.add(s);
          case TOPK -> GoHeap.push(g.heap, s, false);
          case BOTTOMK -> GoHeap.push(g.heap, s, true);
          default -> {
          }
        }
        continue;
      }
      switch (op) {
        case TOPK -> {
          if (g.heap.size() < k) {
            GoHeap.push(g.heap, s, false);
          } else if (g.heap.get(0).f < s.f || (Double.isNaN(g.heap.get(0).f) && !Double.isNaN(s.f))) {
            g.heap.set(0, s);
            if (k > 1) {
              GoHeap.fix(g.heap, 0, false);
            }
          }
        }
        case BOTTOMK -> {
          if (g.heap.size() < k) {
            GoHeap.push(g.heap, s, true);
          } else if (g.heap.get(0).f > s.f || (Double.isNaN(g.heap.get(0).f) && !Double.isNaN(s.f))) {
            g.heap.set(0, s);
            if (k > 1) {
              GoHeap.fix(g.heap, 0, true);
            }
          }
        }
        case LIMITK -> {
          if (g.heap.size() < k) {
            GoHeap.push(g.heap, s, false);
          }
          if (!g.complete && g.heap.size() == k) {
            g.complete = true;
            groupsRemaining--;
            if (groupsRemaining == 0) {
              advanceRemaining(input, si + 1, ts, v);
              break seriesLoop;
            }
          }
        }
        case LIMIT_RATIO -> {
          if (addRatioSample(r, s)) {
            GoHeap.push(g.heap, s, false);
          }
        }
        default -> throw new IllegalStateException("expected aggregation operator but got " + op);
      }
    }
    List<FloatSeries> mat = new ArrayList<>();
    for (Aggregations.Group g : groups) {
      if (!g.seen) {
        continue;
      }
      if (op == AggregateOp.TOPK && g.heap.size() > 1) {
        GoHeap.sortReverse(g.heap, false);
      } else if (op == AggregateOp.BOTTOMK && g.heap.size() > 1) {
        GoHeap.sortReverse(g.heap, true);
      }
      for (Sample s : g.heap) {
        if (ev.isInstant()) {
          FloatSeries fs = new FloatSeries(s.metric, s.dropName, 1);
          fs.add(ts, s.f);
          mat.add(fs);
        } else {
          FloatSeries fs = kSeries.get(s.metric);
          if (fs == null) {
            fs = new FloatSeries(s.metric, s.dropName, 16);
            kSeries.put(s.metric, fs);
          }
          fs.add(ts, s.f);
        }
      }
    }
    return mat;
  }

  private static void advanceRemaining(List<FloatSeries> input, int from, long ts, double[] v) {
    for (int i = from; i < input.size(); i++) {
      Aggregations.next(input.get(i), ts, v);
    }
  }

  /** Prometheus' HashRatioSampler: a series is in when its label hash, scaled to [0, 1), is below the ratio. */
  static boolean addRatioSample(double ratio, Sample s) {
    double offset = unsignedToDouble(XxHash64.labelsHash(s.metric)) / 1.8446744073709552E19;
    return (ratio >= 0 && offset < ratio) || (ratio < 0 && offset >= 1.0 + ratio);
  }

  private static double unsignedToDouble(long x) {
    double d = (double) (x >>> 1) * 2.0;
    return d + (x & 1);
  }
}
