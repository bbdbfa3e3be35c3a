package io.promgate.promql.engine;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.StaleNaN;
import io.promgate.promql.ast.Call;
import io.promgate.promql.ast.VectorSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The experimental {@code info(v, {data label selector})} of Prometheus 3.5 (info.go): adds to each series
 * the data labels of the info series ({@code target_info} unless the selector names others) that share its
 * identifying labels {@code instance} and {@code job}; the newest info sample wins.
 *
 * <p>I/O first: Prometheus selects the info series during evaluation, narrowed to the identifying label
 * values seen. Here the info series are planned as one more select before evaluation (info name and data
 * label matchers), and narrowed in memory.
 */
final class InfoFunction {
  static final String TARGET_INFO = "target_info";
  static final List<String> IDENTIFYING = List.of("instance", "job");

  private InfoFunction() {
  }

  /**
   * The select for a call's info metrics. Prometheus evaluates info series at the plain step times (no
   * offset, no {@code @}, whatever the argument has), so that is the range planned.
   */
  static VectorSelector infoSelector(Call c) {
    List<LabelMatcher> matchers = new ArrayList<>();
    boolean hasName = false;
    if (c.args().size() > 1 && Evaluator.unwrap(c.args().get(1)) instanceof VectorSelector data) {
      for (LabelMatcher m : data.matchers()) {
        matchers.add(m);
        hasName |= m.name().equals(Labels.METRIC_NAME);
      }
    }
    if (!hasName) {
      matchers.add(0, LabelMatcher.eq(Labels.METRIC_NAME, TARGET_INFO));
    }
    return new VectorSelector(null, matchers, 0, null, null, c.position());
  }

  static List<FloatSeries> eval(Evaluator ev, Call c) {
    List<FloatSeries> mat = ev.eval(c.args().get(0));
    Map<String, List<LabelMatcher>> dataMatchers = new LinkedHashMap<>();
    List<LabelMatcher> infoNameMatchers = new ArrayList<>();
    if (c.args().size() > 1 && Evaluator.unwrap(c.args().get(1)) instanceof VectorSelector data) {
      for (LabelMatcher m : data.matchers()) {
        if (m.name().equals(Labels.METRIC_NAME)) {
          infoNameMatchers.add(m);
        } else {
          dataMatchers.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(m);
        }
      }
    } else {
      infoNameMatchers.add(LabelMatcher.eq(Labels.METRIC_NAME, TARGET_INFO));
    }
    boolean[] ignore = new boolean[mat.size()];
    Map<String, Set<String>> idValues = new HashMap<>();
    for (int i = 0; i < mat.size(); i++) {
      Labels m = mat.get(i).metric;
      String name = m.metricName();
      if (infoNameMatchers.stream().anyMatch(x -> x.matches(name))) {
        ignore[i] = true;
        continue;
      }
      for (String l : IDENTIFYING) {
        String v = m.get(l);
        if (!v.isEmpty()) {
          idValues.computeIfAbsent(l, k -> new HashSet<>()).add(v);
        }
      }
    }
    List<FloatSeries> info = idValues.isEmpty() ? List.of() : infoSeries(ev, c, idValues);
    Set<String> infoNames = new LinkedHashSet<>();
    for (FloatSeries s : info) {
      infoNames.add(s.metric.metricName());
    }
    List<List<FloatSeries>> inputs = new ArrayList<>();
    inputs.add(mat);
    inputs.add(new ArrayList<>(info));
    Map<Labels, Integer> baseIndex = new java.util.IdentityHashMap<>();
    for (int i = 0; i < mat.size(); i++) {
      baseIndex.put(mat.get(i).metric, i);
    }
    return ev.rangeEval((args, ts, out) -> {
      List<Sample> base = args.get(0);
      if (base.isEmpty()) {
        return;
      }
      Map<Labels, Sample> bySig = new HashMap<>();
      for (Sample s : args.get(1)) {
        Labels sig = sig(s.metric.metricName(), s.metric);
        Sample existing = bySig.get(sig);
        if (existing == null || (long) existing.f < (long) s.f) {
          bySig.put(sig, s);
        } else if ((long) existing.f == (long) s.f) {
          throw EngineException.execution("found duplicate series for info metric " + s.metric.metricName());
        }
      }
      for (Sample bs : base) {
        Integer idx = baseIndex.get(bs.metric);
        if (idx != null && ignore[idx]) {
          out.add(new Sample(bs.metric, bs.f, ts, false));
          continue;
        }
        Labels.Builder added = Labels.builder();
        for (String infoName : infoNames) {
          Sample is = bySig.get(sig(infoName, bs.metric));
          if (is == null) {
            continue;
          }
          for (int i = 0; i < is.metric.size(); i++) {
            String n = is.metric.name(i);
            String v = is.metric.value(i);
            if (n.equals(Labels.METRIC_NAME) || (!dataMatchers.isEmpty() && !dataMatchers.containsKey(n))) {
              continue;
            }
            String have = added.get(n);
            if (!have.isEmpty() && !have.equals(v)) {
              throw EngineException.execution("conflicting label: " + n);
            }
            if (bs.metric.has(n)) {
              continue;
            }
            added.set(n, v);
          }
        }
        Labels infoLabels = added.build();
        if (infoLabels.isEmpty() && !dataMatchers.values().stream().flatMap(List::stream)
            .allMatch(LabelMatcher::matchesEmpty)) {
          continue;
        }
        Labels.Builder b = bs.metric.toBuilder();
        infoLabels.forEach(b::set);
        out.add(new Sample(b.build(), bs.f, ts, false));
      }
    }, inputs);
  }

  private static Labels sig(String infoName, Labels l) {
    Labels.Builder b = Labels.builder().set(Labels.METRIC_NAME, infoName);
    for (String id : IDENTIFYING) {
      b.set(id, l.get(id));
    }
    return b.build();
  }

  /**
   * The info series on this evaluator's grid, valued with the timestamp of the sample picked (Prometheus
   * evaluates them without offset, recording the original sample time), narrowed to the identifying values.
   */
  private static List<FloatSeries> infoSeries(Evaluator ev, Call c, Map<String, Set<String>> idValues) {
    VectorSelector sel = ev.sh.infoSelectors.get(c);
    List<FloatSeries> out = new ArrayList<>();
    if (sel == null) {
      return out;
    }
    for (SelectedSeries s : ev.data(sel)) {
      boolean ok = true;
      for (Map.Entry<String, Set<String>> e : idValues.entrySet()) {
        if (!e.getValue().contains(s.labels.get(e.getKey()))) {
          ok = false;
          break;
        }
      }
      if (!ok) {
        continue;
      }
      FloatSeries fs = null;
      for (long ts = ev.start; ts <= ev.end; ts += ev.interval) {
        int i = s.lastAtOrBefore(ts);
        if (i < 0 || s.t[i] <= ts - ev.sh.lookback || StaleNaN.is(s.f[i])) {
          continue;
        }
        if (fs == null) {
          fs = new FloatSeries(s.labels, 16);
        }
        fs.add(ts, s.t[i]);
      }
      if (fs != null) {
        out.add(fs);
      }
    }
    return out;
  }
}
