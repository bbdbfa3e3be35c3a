package io.promgate.promql.engine;

import io.promgate.model.Labels;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

/**
 * The implementation table: function name → implementation, one row per function of Prometheus 3.5
 * (functions.go {@code FunctionCalls}). A test checks that its keys equal the parser's signature table.
 * Range-vector functions live in {@link RangeFunctions}; here are the per-sample ones.
 */
final class FunctionTable {
  private FunctionTable() {
  }

  static final Map<String, FunctionImpl> IMPLEMENTATIONS = build();

  private static Map<String, FunctionImpl> build() {
    Map<String, FunctionImpl> m = new HashMap<>();
    m.put("abs", simple(Math::abs));
    m.put("ceil", simple(Math::ceil));
    m.put("floor", simple(Math::floor));
    m.put("exp", simple(Math::exp));
    m.put("sqrt", simple(Math::sqrt));
    m.put("ln", simple(Math::log));
    m.put("log2", simple(v -> Math.log(v) / Math.log(2)));
    m.put("log10", simple(Math::log10));
    m.put("sin", simple(Math::sin));
    m.put("cos", simple(Math::cos));
    m.put("tan", simple(Math::tan));
    m.put("asin", simple(Math::asin));
    m.put("acos", simple(Math::acos));
    m.put("atan", simple(Math::atan));
    m.put("sinh", simple(Math::sinh));
    m.put("cosh", simple(Math::cosh));
    m.put("tanh", simple(Math::tanh));
    m.put("asinh", simple(FunctionTable::asinh));
    m.put("acosh", simple(FunctionTable::acosh));
    m.put("atanh", simple(FunctionTable::atanh));
    m.put("rad", simple(v -> v * Math.PI / 180));
    m.put("deg", simple(v -> v * 180 / Math.PI));
    m.put("sgn", simple(v -> v < 0 ? -1 : v > 0 ? 1 : v));
    m.put("pi", (args, ctx, out) -> out.add(new Sample(Labels.EMPTY, Math.PI, 0, false)));
    m.put("time", (args, ctx, out) -> out.add(new Sample(Labels.EMPTY, ctx.ts / 1000.0, 0, false)));
    m.put("vector", (args, ctx, out) -> out.add(new Sample(Labels.EMPTY, vec(args, 0).get(0).f, 0, false)));
    m.put("scalar", FunctionTable::scalar);
    m.put("round", FunctionTable::round);
    m.put("clamp", (args, ctx, out) -> clamp(vec(args, 0), vec(args, 1).get(0).f, vec(args, 2).get(0).f, out));
    m.put("clamp_max", (args, ctx, out) -> clamp(vec(args, 0), Double.NEGATIVE_INFINITY, vec(args, 1).get(0).f, out));
    m.put("clamp_min", (args, ctx, out) -> clamp(vec(args, 0), vec(args, 1).get(0).f, Double.POSITIVE_INFINITY, out));
    m.put("timestamp", (args, ctx, out) -> {
      for (Sample s : vec(args, 0)) {
        out.add(new Sample(s.metric, s.t / 1000.0, 0, true));
      }
    });
    m.put("absent", (args, ctx, out) -> {
      if (vec(args, 0).isEmpty()) {
        out.add(new Sample(FunctionCalls.absentLabels(ctx.call.args().get(0)), 1, 0, false));
      }
    });
    m.put("sort", (args, ctx, out) -> Sorting.byValue(vec(args, 0), false, out));
    m.put("sort_desc", (args, ctx, out) -> Sorting.byValue(vec(args, 0), true, out));
    m.put("sort_by_label", (args, ctx, out) -> Sorting.byLabel(vec(args, 0), ctx, false, out));
    m.put("sort_by_label_desc", (args, ctx, out) -> Sorting.byLabel(vec(args, 0), ctx, true, out));
    m.put("histogram_quantile", ClassicHistograms::quantile);
    m.put("histogram_fraction", ClassicHistograms::fraction);
    // Functions of native histograms only: float samples are ignored, so over floats they yield nothing.
    for (String h : List.of("histogram_count", "histogram_sum", "histogram_avg", "histogram_stddev",
        "histogram_stdvar")) {
      m.put(h, (args, ctx, out) -> {
      });
    }
    m.put("days_in_month", date(t -> t.toLocalDate().lengthOfMonth()));
    m.put("day_of_month", date(ZonedDateTime::getDayOfMonth));
    m.put("day_of_week", date(t -> t.getDayOfWeek().getValue() % 7));
    m.put("day_of_year", date(ZonedDateTime::getDayOfYear));
    m.put("hour", date(ZonedDateTime::getHour));
    m.put("minute", date(ZonedDateTime::getMinute));
    m.put("month", date(ZonedDateTime::getMonthValue));
    m.put("year", date(ZonedDateTime::getYear));
    FunctionImpl special = (args, ctx, out) -> {
      throw new IllegalStateException(ctx.call.function().name() + " is evaluated by FunctionCalls");
    };
    m.put("label_replace", special);
    m.put("label_join", special);
    m.put("info", special);
    RangeFunctions.register(m);
    return Map.copyOf(m);
  }

  @SuppressWarnings("unchecked")
  static List<Sample> vec(Object[] args, int i) {
    return (List<Sample>) args[i];
  }

  static StepContext.Window window(Object[] args, int i) {
    return (StepContext.Window) args[i];
  }

  /** A per-sample float function. Input samples belong to the current step only, so they are rewritten. */
  private static FunctionImpl simple(DoubleUnaryOperator op) {
    return (args, ctx, out) -> {
      for (Sample s : vec(args, 0)) {
        s.f = op.applyAsDouble(s.f);
        s.dropName = true;
        out.add(s);
      }
    };
  }

  private static void scalar(Object[] args, StepContext ctx, List<Sample> out) {
    List<Sample> v = vec(args, 0);
    double value = v.size() == 1 ? v.get(0).f : Double.NaN;
    out.add(new Sample(Labels.EMPTY, value, 0, false));
  }

  private static void round(Object[] args, StepContext ctx, List<Sample> out) {
    double toNearest = args.length >= 2 ? vec(args, 1).get(0).f : 1;
    double inv = 1.0 / toNearest;
    for (Sample s : vec(args, 0)) {
      s.f = Math.floor(s.f * inv + 0.5) / inv;
      s.dropName = true;
      out.add(s);
    }
  }

  private static void clamp(List<Sample> vec, double min, double max, List<Sample> out) {
    if (max < min) {
      return;
    }
    for (Sample s : vec) {
      s.f = Math.max(min, Math.min(max, s.f));
      s.dropName = true;
      out.add(s);
    }
  }

  private static FunctionImpl date(ToDoubleFunction<ZonedDateTime> f) {
    return (args, ctx, out) -> {
      if (args.length == 0) {
        out.add(new Sample(Labels.EMPTY, f.applyAsDouble(utc(Math.floorDiv(ctx.ts, 1000))), 0, false));
        return;
      }
      for (Sample s : vec(args, 0)) {
        out.add(new Sample(s.metric, f.applyAsDouble(utc(goFloatToInt64(s.f))), 0, true));
      }
    };
  }

  /** Go's int64(float64) on amd64: truncation, and the "indefinite" MinInt64 for NaN and overflow. */
  static long goFloatToInt64(double v) {
    if (Double.isNaN(v) || v >= 9.223372036854775807E18 || v < -9.223372036854775808E18) {
      return Long.MIN_VALUE;
    }
    return (long) v;
  }

  private static ZonedDateTime utc(long seconds) {
    long s = Math.max(Math.min(seconds, Instant.MAX.getEpochSecond()), Instant.MIN.getEpochSecond());
    return Instant.ofEpochSecond(s).atZone(ZoneOffset.UTC);
  }

  static double asinh(double x) {
    if (Double.isInfinite(x) || x == 0) {
      return x;
    }
    double a = Math.abs(x);
    double r = Math.log(a + Math.sqrt(a * a + 1));
    return x < 0 ? -r : r;
  }

  static double acosh(double x) {
    if (x < 1 || Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x == 1) {
      return 0;
    }
    return Math.log(x + Math.sqrt(x * x - 1));
  }

  static double atanh(double x) {
    if (x < -1 || x > 1 || Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x == 1) {
      return Double.POSITIVE_INFINITY;
    }
    if (x == -1) {
      return Double.NEGATIVE_INFINITY;
    }
    if (x == 0) {
      return x;
    }
    return 0.5 * Math.log((1 + x) / (1 - x));
  }
}
