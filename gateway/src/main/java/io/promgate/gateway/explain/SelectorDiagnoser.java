package io.promgate.gateway.explain;

import io.promgate.gateway.explain.Diagnosis.Code;
import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.SelectHints;
import io.promgate.promql.parser.Printer;
import io.promgate.routing.config.BackendConfig;
import io.promgate.routing.plan.Assignment;
import io.promgate.routing.plan.SelectorPlan;
import io.promgate.routing.plan.TimeRangePlanner;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds why one selector matched nothing, narrowing step by step like a person would, and stopping at the
 * first step that explains it: is the name known (label values of {@code __name__}), which matcher
 * excludes every series of that name (series look-up by name), is the data on a backend this range does
 * not use, or outside the window, or ended by a stale marker. All look-ups go to the backends routed for
 * the caller's tenant, with the caller's tenant: a name that exists only for another tenant is reported
 * as unknown, exactly as if it did not exist anywhere, unless the caller's credential may read that other
 * tenant ({@code readableOthers}, issue 12): then, and only for those tenants, {@code other_tenant} names
 * them.
 */
final class SelectorDiagnoser {
  private static final int MAX_VALUES = 10;
  /** How far around the window to look for the data of series that exist but have none in it. */
  static final long SEARCH_AROUND_MS = 31L * 86_400_000;
  private final Explainer ex;
  private final String tenant;
  private final boolean instant;

  private final List<String> readableOthers;

  SelectorDiagnoser(Explainer ex, String tenant, boolean instant, List<String> readableOthers) {
    this.readableOthers = List.copyOf(readableOthers);
    this.ex = ex;
    this.tenant = tenant;
    this.instant = instant;
  }

  Future<List<Diagnosis>> diagnose(SelectorPlan sp, String selector, SelectorData planned) {
    List<LabelMatcher> matchers = sp.selector().matchers();
    if (planned.series() > 0 && planned.lastStaleMs() != Long.MIN_VALUE) {
      return Future.succeededFuture(List.of(new Diagnosis(selector, Code.STALE, "the series of " + selector
          + " ended with a stale marker at " + Times.at(planned.lastStaleMs())
          + " (the target went away or stopped exposing them); nothing is current in the window",
          List.of("query a range before " + Times.at(planned.lastStaleMs()), "check that the target is still scraped"))));
    }
    List<String> backends = ex.tenantBackends(tenant);
    String name = metricName(matchers);
    Future<Boolean> known = name == null ? Future.succeededFuture(true) : union(backends,
        b -> ex.labelValues(b, tenant, "__name__", List.of())).compose(names -> {
          if (names.contains(name)) {
            return Future.succeededFuture(true);
          }
          Diagnosis unknown = new Diagnosis(selector, Code.UNKNOWN_METRIC, "no metric named " + name
              + " exists for tenant " + tenant, suggestNames(name, names, matchers));
          return tenantsWith(name).compose(others -> Future.failedFuture(new Found(others.isEmpty() ? unknown
              : new Diagnosis(selector, Code.OTHER_TENANT, "no metric named " + name + " exists for tenant " + tenant
                  + ", but it exists for tenant " + String.join(", ", others) + " (which you may read)",
                  others.stream().map(o -> "query tenant " + o + " (/tenant/" + o + "/ or X-Scope-OrgID: " + o + ")")
                      .toList()))));
        });
    return known.compose(ok -> seriesOf(backends, matchers, name)).compose(all -> {
      List<Labels> matching = all.stream().filter(l -> matchesAll(l, matchers)).toList();
      if (matching.isEmpty()) {
        return Future.succeededFuture(List.of(blameMatcher(selector, matchers, all, name)));
      }
      return whereIsTheData(sp, selector, backends);
    }).recover(t -> t instanceof Found f ? Future.succeededFuture(List.of(f.diagnosis))
        : Future.failedFuture(t));
  }

  /** Those of the caller's other readable tenants that have a metric {@code name}; failures count as no. */
  private Future<List<String>> tenantsWith(String name) {
    List<Future<Set<String>>> calls = readableOthers.stream()
        .map(t -> union(ex.tenantBackends(t), b -> ex.labelValues(b, t, "__name__", List.of()))).toList();
    return Future.join(calls).transform(ignored -> {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < calls.size(); i++) {
        if (calls.get(i).succeeded() && calls.get(i).result().contains(name)) {
          out.add(readableOthers.get(i));
        }
      }
      return Future.succeededFuture(out);
    });
  }

  /** Short-cuts the chain once a step has its answer. */
  private static final class Found extends RuntimeException {
    final Diagnosis diagnosis;

    Found(Diagnosis d) {
      super(null, null, false, false);
      this.diagnosis = d;
    }
  }

  private List<String> suggestNames(String name, Set<String> names, List<LabelMatcher> matchers) {
    List<String> out = new ArrayList<>();
    for (String n : NameSuggester.closest(name, names, 5)) {
      out.add(Explainer.selectorText(replaceName(matchers, n)));
    }
    if (out.isEmpty()) {
      out.add("list the names that exist: /api/v1/label/__name__/values");
    }
    return out;
  }

  /** Series of the name (or of the first matcher without a name) on all of the tenant's backends, any time. */
  private Future<List<Labels>> seriesOf(List<String> backends, List<LabelMatcher> matchers, String name) {
    List<LabelMatcher> probe = name != null ? List.of(LabelMatcher.eq("__name__", name))
        : matchers.stream().filter(m -> !m.matchesEmpty()).limit(1).toList();
    if (probe.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<Future<List<Labels>>> calls = new ArrayList<>();
    for (String b : backends) {
      Map<String, String> ext = TimeRangePlanner.externalLabels(ex.configs().get(b));
      calls.add(ex.series(b, tenant, probe).map(ls -> ls.stream().map(l -> SelectorData.withExternal(l, ext)).toList()));
    }
    return Future.join(calls).transform(ignored -> {
      List<Labels> out = new ArrayList<>();
      calls.stream().filter(Future::succeeded).forEach(f -> out.addAll(f.result()));
      return Future.succeededFuture(out);
    });
  }

  /** The first matcher that, applied in order, leaves no series: label_mismatch, or external_label. */
  private Diagnosis blameMatcher(String selector, List<LabelMatcher> matchers, List<Labels> all, String name) {
    List<Labels> left = all;
    for (LabelMatcher m : matchers) {
      List<Labels> next = left.stream().filter(l -> m.matches(value(l, m.name()))).toList();
      if (!next.isEmpty() || left.isEmpty()) {
        left = next;
        continue;
      }
      String what = name == null ? "the series" : "series of " + name;
      Map<String, Map<String, String>> extOwners = new java.util.LinkedHashMap<>();
      ex.configs().forEach((b, c) -> {
        Map<String, String> ext = TimeRangePlanner.externalLabels(c);
        if (ext.containsKey(m.name())) {
          extOwners.put(b, ext);
        }
      });
      boolean anySeriesHasIt = left.stream().anyMatch(l -> l.has(m.name()));
      if (!extOwners.isEmpty() && !anySeriesHasIt) {
        List<String> owners = new ArrayList<>();
        extOwners.forEach((b, ext) -> owners.add(b + " (" + m.name() + "=\"" + ext.get(m.name()) + "\")"));
        return new Diagnosis(selector, Code.EXTERNAL_LABEL, "matcher " + Printer.matcher(m) + " uses label " + m.name()
            + ", which no " + what + " carries: it exists only as an external label of " + String.join(", ", owners)
            + ", which holds no such series for this tenant",
            List.of(Explainer.selectorText(matchers.stream().filter(x -> x != m).toList()),
                "send " + (name == null ? "the data" : name) + " to a store whose external labels match, or drop the matcher"));
      }
      Set<String> values = new TreeSet<>();
      left.forEach(l -> {
        if (l.has(m.name())) {
          values.add(l.get(m.name()));
        }
      });
      List<String> suggestions = new ArrayList<>();
      if (values.isEmpty()) {
        Set<String> names = new TreeSet<>();
        left.forEach(l -> l.forEach((k, v) -> names.add(k)));
        names.remove("__name__");
        suggestions.add(Explainer.selectorText(matchers.stream().filter(x -> x != m).toList()));
        return new Diagnosis(selector, Code.LABEL_MISMATCH, "matcher " + Printer.matcher(m) + " excludes every "
            + what + ": none has label " + m.name() + "; labels they have: " + String.join(", ", names), suggestions);
      }
      for (String v : values.stream().limit(3).toList()) {
        suggestions.add(Explainer.selectorText(matchers.stream()
            .map(x -> x == m ? LabelMatcher.of(LabelMatcher.Type.EQ, m.name(), v) : x).toList()));
      }
      List<String> shown = values.stream().limit(MAX_VALUES).toList();
      return new Diagnosis(selector, Code.LABEL_MISMATCH, "matcher " + Printer.matcher(m) + " excludes every " + what
          + "; values of " + m.name() + " that exist: " + String.join(", ", shown)
          + (values.size() > shown.size() ? " (and " + (values.size() - shown.size()) + " more)" : ""), suggestions);
    }
    return new Diagnosis(selector, Code.LABEL_MISMATCH, "the matchers together exclude every series", List.of());
  }

  /**
   * The series exist: the data is on a backend this range does not use, outside the window, or ended
   * stale. One select per tenant backend over the window widened by 31 days each way (only for
   * empty selectors).
   */
  private Future<List<Diagnosis>> whereIsTheData(SelectorPlan sp, String selector, List<String> backends) {
    long s = sp.selector().startMs();
    long e = sp.selector().endMs();
    Set<String> planned = new TreeSet<>();
    sp.assignments().forEach(a -> planned.add(a.backend()));
    // Bounded: a raw-data read over all time of a remote Prometheus could cost far more than the query.
    long mint = s - SEARCH_AROUND_MS;
    long maxt = e + SEARCH_AROUND_MS;
    List<Future<SelectorData>> calls = new ArrayList<>();
    for (String b : backends) {
      calls.add(ex.select(b, tenant, mint, maxt, new SelectHints(mint, maxt, 0, 0, "", List.of(), false),
          sp.selector().matchers(), false));
    }
    return Future.join(calls).transform(ignored -> {
      List<Diagnosis> out = new ArrayList<>();
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      long lastStale = Long.MIN_VALUE;
      for (int i = 0; i < backends.size(); i++) {
        if (calls.get(i).failed()) {
          continue;
        }
        String b = backends.get(i);
        SelectorData all = calls.get(i).result();
        first = Math.min(first, all.firstMs());
        last = Math.max(last, all.lastMs());
        lastStale = Math.max(lastStale, all.lastStaleMs());
        if (all.samples() > 0 && all.firstMs() <= e && all.lastMs() >= s) {
          String why = planned.contains(b) ? "its window for this tenant does not cover that part"
              : sp.pruned().stream().filter(p -> p.backend().equals(b)).map(p -> "pruned: " + p.detail()).findFirst()
                  .orElse("no route window sends this range to it");
          out.add(new Diagnosis(selector, Code.BACKEND_PRUNED, "backend " + b + " holds samples of " + selector
              + " in " + Times.range(Math.max(s, all.firstMs()), Math.min(e, all.lastMs()))
              + ", but this range does not read it (" + why + ")",
              List.of("change the routes so that " + b + " serves this time range", "query the range "
                  + Times.range(all.firstMs(), all.lastMs()) + " that " + b + " is routed for")));
        }
      }
      if (!out.isEmpty()) {
        return Future.succeededFuture(out);
      }
      if (first == Long.MAX_VALUE) {
        out.add(new Diagnosis(selector, Code.NO_SAMPLES_IN_RANGE, "series of " + selector
            + " exist but have no samples in " + Times.range(s, e) + " nor within 31 days of it",
            List.of("query a wider range, or check that the writer still sends them")));
      } else if (lastStale != Long.MIN_VALUE && lastStale >= last && lastStale < s) {
        out.add(new Diagnosis(selector, Code.STALE, "the series of " + selector + " ended with a stale marker at "
            + Times.at(lastStale) + ", before the window " + Times.range(s, e),
            List.of("query a range before " + Times.at(lastStale), "check that the target is still scraped")));
      } else {
        String where = last < s ? "their data ends at " + Times.at(last) + ", before the window starts"
            : "their data starts at " + Times.at(first) + ", after the window ends";
        out.add(new Diagnosis(selector, Code.NO_SAMPLES_IN_RANGE, "series of " + selector + " have samples from "
            + Times.at(first) + " to " + Times.at(last) + " but none in " + Times.range(s, e) + ": " + where,
            List.of("query a range within " + Times.range(first, last))));
      }
      return Future.succeededFuture(out);
    });
  }

  private static Future<Set<String>> union(List<String> backends,
      java.util.function.Function<String, Future<List<String>>> call) {
    List<Future<List<String>>> calls = backends.stream().map(call).toList();
    return Future.join(calls).transform(ignored -> {
      Set<String> out = new TreeSet<>();
      calls.stream().filter(Future::succeeded).forEach(f -> out.addAll(f.result()));
      return Future.succeededFuture(out);
    });
  }

  static String metricName(List<LabelMatcher> matchers) {
    for (LabelMatcher m : matchers) {
      if (m.name().equals("__name__") && m.type() == LabelMatcher.Type.EQ) {
        return m.value();
      }
    }
    return null;
  }

  static List<LabelMatcher> replaceName(List<LabelMatcher> matchers, String name) {
    return matchers.stream().map(m -> m.name().equals("__name__") && m.type() == LabelMatcher.Type.EQ
        ? LabelMatcher.eq("__name__", name) : m).toList();
  }

  static boolean matchesAll(Labels l, List<LabelMatcher> matchers) {
    for (LabelMatcher m : matchers) {
      if (!m.matches(value(l, m.name()))) {
        return false;
      }
    }
    return true;
  }

  static String value(Labels l, String name) {
    String v = l.get(name);
    return v == null ? "" : v;
  }
}
