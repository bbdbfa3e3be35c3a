package io.promgate.promql.engine.promqltest;

import io.promgate.model.Labels;
import io.promgate.promql.engine.FloatSeries;
import io.promgate.promql.engine.QueryResult;
import io.promgate.promql.engine.Sample;
import io.promgate.promql.engine.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks of Prometheus' reference runner ({@code compareResult}, {@code checkAnnotations},
 * {@code checkExpectedFailure}): each returns null when the eval's expectation holds, else what differs.
 */
final class ResultCheck {
  private ResultCheck() {
  }

  static String failure(Script.Eval ev, String actual) {
    if (ev.expectedFailMessage != null && !ev.expectedFailMessage.equals(actual)) {
      return "expected error \"" + ev.expectedFailMessage + "\" but got: " + actual;
    }
    if (ev.expectedFailRegexp != null && !ev.expectedFailRegexp.matcher(actual).find()) {
      return "expected error matching \"" + ev.expectedFailRegexp + "\" but got: " + actual;
    }
    List<Script.Expectation> f = ev.expects.get(Script.ExpectType.FAIL);
    if (f != null && !f.isEmpty() && !f.get(0).matches(actual)) {
      return "expected error matching " + f.get(0) + " but got: " + actual;
    }
    return null;
  }

  static String annotations(Script.Eval ev, QueryResult r) {
    List<String> warnings = r.warnings();
    List<String> infos = r.infos();
    if (ev.warn && warnings.isEmpty()) {
      return "expected warnings but got none";
    }
    if (ev.info && infos.isEmpty()) {
      return "expected info annotations but got none";
    }
    String e = checkType(ev.expects.get(Script.ExpectType.WARN), warnings, "warn");
    if (e == null) {
      e = checkType(ev.expects.get(Script.ExpectType.INFO), infos, "info");
    }
    if (e == null && ev.expects.containsKey(Script.ExpectType.NO_WARN) && !warnings.isEmpty()) {
      e = "unexpected warning annotations: " + warnings;
    }
    if (e == null && ev.expects.containsKey(Script.ExpectType.NO_INFO) && !infos.isEmpty()) {
      e = "unexpected info annotations: " + infos;
    }
    return e;
  }

  private static String checkType(List<Script.Expectation> expected, List<String> actual, String type) {
    if (expected == null || expected.isEmpty()) {
      return null;
    }
    if (actual.isEmpty()) {
      return "expected " + type + " annotations but none were found";
    }
    for (Script.Expectation e : expected) {
      if (actual.stream().noneMatch(e::matches)) {
        return "expected " + type + " annotation matching " + e + " but found: " + actual;
      }
    }
    for (String a : actual) {
      if (expected.stream().noneMatch(e -> e.matches(a))) {
        return "unexpected " + type + " annotation " + a;
      }
    }
    return null;
  }

  static String result(Script.Eval ev, Value value) {
    if (value instanceof Value.Matrix m) {
      if (ev.isOrdered()) {
        return "expected ordered result, but query returned a matrix";
      }
      if (ev.expectScalar) {
        return "expected scalar result, but got matrix";
      }
      List<FloatSeries> series = m.series();
      for (int i = 0; i + 1 < series.size(); i++) {
        if (series.get(i).metric().compareTo(series.get(i + 1).metric()) > 0) {
          return "matrix results should always be sorted by labels";
        }
      }
      Set<Labels> seen = new HashSet<>();
      for (FloatSeries s : series) {
        Script.Expected exp = ev.expected.get(s.metric());
        if (exp == null) {
          return "unexpected metric " + s.metric() + " in result, has " + s;
        }
        seen.add(s.metric());
        List<long[]> expT = new ArrayList<>();
        List<Double> expV = new ArrayList<>();
        for (int i = 0; i < exp.values().size(); i++) {
          long t = ev.start + i * ev.step;
          if (t > ev.end) {
            return "expected " + exp.values().size() + " points for " + s.metric()
                + ", but query time range cannot return this many points";
          }
          Double v = exp.values().get(i);
          if (v != SeriesDescription.OMITTED) {
            expT.add(new long[] {t});
            expV.add(v);
          }
        }
        if (expT.size() != s.size()) {
          return "expected " + expT.size() + " float points for " + s.metric() + ", but got " + s;
        }
        for (int i = 0; i < expT.size(); i++) {
          if (expT.get(i)[0] != s.timestampAt(i)) {
            return "expected timestamp " + expT.get(i)[0] + " at index " + i + " for " + s.metric() + ", got " + s;
          }
          if (!almostEqual(s.valueAt(i), expV.get(i))) {
            return "expected " + expV.get(i) + " at t=" + s.timestampAt(i) + " for " + s.metric() + ", got " + s;
          }
        }
      }
      for (Labels l : ev.expected.keySet()) {
        if (!seen.contains(l)) {
          return "expected metric " + l + " not found";
        }
      }
      return null;
    }
    if (value instanceof Value.Vector v) {
      if (ev.expectScalar) {
        return "expected scalar result, but got vector " + v.samples();
      }
      Set<Labels> seen = new HashSet<>();
      List<Sample> samples = v.samples();
      for (int pos = 0; pos < samples.size(); pos++) {
        Sample s = samples.get(pos);
        Script.Expected exp = ev.expected.get(s.metric());
        if (exp == null) {
          return "unexpected metric " + s.metric() + " in result, has value " + s.value();
        }
        if (ev.isOrdered() && exp.pos() != pos + 1) {
          return "expected metric " + s.metric() + " at position " + exp.pos() + " but was at " + (pos + 1);
        }
        if (!almostEqual(s.value(), exp.values().get(0))) {
          return "expected " + exp.values().get(0) + " for " + s.metric() + " but got " + s.value();
        }
        seen.add(s.metric());
      }
      for (Map.Entry<Labels, Script.Expected> e : ev.expected.entrySet()) {
        if (!seen.contains(e.getKey())) {
          return "expected metric " + e.getKey() + " with " + e.getValue().values() + " not found";
        }
      }
      return null;
    }
    if (value instanceof Value.Scalar sc) {
      if (!ev.expectScalar) {
        return "expected vector or matrix result, but got scalar " + sc.value();
      }
      if (!almostEqual(ev.expectedScalar, sc.value())) {
        return "expected scalar " + ev.expectedScalar + " but got " + sc.value();
      }
      return null;
    }
    return "unexpected result type " + value.resultType();
  }

  /** Prometheus' almost.Equal with epsilon 1e-6. */
  static boolean almostEqual(double a, double b) {
    if (Double.isNaN(a) && Double.isNaN(b)) {
      return true;
    }
    if (a == b) {
      return true;
    }
    double absSum = Math.abs(a) + Math.abs(b);
    double diff = Math.abs(a - b);
    if (a == 0 || b == 0 || absSum < Double.MIN_NORMAL) {
      return diff < 1e-6 * Double.MIN_NORMAL;
    }
    return diff / Math.min(absSum, Double.MAX_VALUE) < 1e-6;
  }
}
