package io.promgate.promql.engine;

import io.promgate.model.Labels;
import io.promgate.promql.ast.BinaryExpr;
import io.promgate.promql.ast.BinaryOp;
import io.promgate.promql.ast.ExprType;
import io.promgate.promql.ast.VectorMatching;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Binary operators: scalar/scalar, vector/scalar and vector/vector with one-to-one, many-to-one and set
 * matching, as Prometheus' {@code VectorBinop}, {@code VectorAnd/Or/Unless} and {@code VectorscalarBinop},
 * including their error texts. Arithmetic between two vectors drops the metric name (and type/unit) at once;
 * everywhere else the drop is delayed through the sample's mark.
 */
final class BinaryOps {
  private BinaryOps() {
  }

  static final Set<String> METADATA_LABELS = Set.of("__name__", "__type__", "__unit__");

  static List<FloatSeries> eval(Evaluator ev, BinaryExpr e) {
    ExprType lt = e.lhs().type();
    ExprType rt = e.rhs().type();
    BinaryOp op = e.op();
    List<FloatSeries> lhs = ev.eval(e.lhs());
    List<FloatSeries> rhs = ev.eval(e.rhs());
    if (lt == ExprType.SCALAR && rt == ExprType.SCALAR) {
      return ev.rangeEval((args, ts, out) -> {
        double l = args.get(0).get(0).f;
        double r = args.get(1).get(0).f;
        out.add(new Sample(Labels.EMPTY, scalarBinop(op, l, r), ts, false));
      }, Evaluator.inputs(lhs, rhs));
    }
    if (lt == ExprType.VECTOR && rt == ExprType.VECTOR) {
      VectorMatching m = e.matching() != null ? e.matching()
          : new VectorMatching(op.isSetOperator() ? VectorMatching.Cardinality.MANY_TO_MANY
              : VectorMatching.Cardinality.ONE_TO_ONE, List.of(), false, List.of());
      Signatures sigs = new Signatures(m.on(), m.matchingLabels(), lhs.size() + rhs.size());
      if (op == BinaryOp.LAND) {
        return ev.rangeEval((args, ts, out) -> and(args.get(0), args.get(1), sigs, out), Evaluator.inputs(lhs, rhs));
      } else if (op == BinaryOp.LOR) {
        return ev.rangeEval((args, ts, out) -> or(args.get(0), args.get(1), sigs, out), Evaluator.inputs(lhs, rhs));
      } else if (op == BinaryOp.LUNLESS) {
        return ev.rangeEval((args, ts, out) -> unless(args.get(0), args.get(1), sigs, out),
            Evaluator.inputs(lhs, rhs));
      }
      MatchState rm = new MatchState();
      return ev.rangeEval((args, ts, out) -> vectorBinop(op, args.get(0), args.get(1), m, e.returnBool(), sigs, rm, out),
          Evaluator.inputs(lhs, rhs));
    }
    boolean swap = lt == ExprType.SCALAR;
    List<FloatSeries> vec = swap ? rhs : lhs;
    List<FloatSeries> sc = swap ? lhs : rhs;
    return ev.rangeEval((args, ts, out) -> vectorScalarBinop(op, args.get(0), args.get(1).get(0).f, swap,
        e.returnBool(), out), Evaluator.inputs(vec, sc));
  }

  static double scalarBinop(BinaryOp op, double l, double r) {
    return switch (op) {
      case ADD -> l + r;
      case SUB -> l - r;
      case MUL -> l * r;
      case DIV -> l / r;
      case POW -> goPow(l, r);
      case MOD -> l % r;
      case EQL -> l == r ? 1 : 0;
      case NEQ -> l != r ? 1 : 0;
      case GTR -> l > r ? 1 : 0;
      case LSS -> l < r ? 1 : 0;
      case GTE -> l >= r ? 1 : 0;
      case LTE -> l <= r ? 1 : 0;
      case ATAN2 -> Math.atan2(l, r);
      default -> throw EngineException.execution("operator \"" + op.symbol() + "\" not allowed for Scalar operations");
    };
  }

  /** Go's math.Pow special cases differ from Java's for a base of 1 or -1. */
  static double goPow(double x, double y) {
    if (y == 0 || x == 1) {
      return 1;
    }
    if (x == -1 && Double.isInfinite(y)) {
      return 1;
    }
    return Math.pow(x, y);
  }


  private static double elem(BinaryOp op, double l, double r, boolean[] keepOut) {
    keepOut[0] = true;
    switch (op) {
      case ADD: return l + r;
      case SUB: return l - r;
      case MUL: return l * r;
      case DIV: return l / r;
      case POW: return goPow(l, r);
      case MOD: return l % r;
      case ATAN2: return Math.atan2(l, r);
      case EQL: keepOut[0] = l == r; return l;
      case NEQ: keepOut[0] = l != r; return l;
      case GTR: keepOut[0] = l > r; return l;
      case LSS: keepOut[0] = l < r; return l;
      case GTE: keepOut[0] = l >= r; return l;
      case LTE: keepOut[0] = l <= r; return l;
      default: throw new IllegalStateException("operator " + op + " not allowed for operations between vectors");
    }
  }

  static boolean changesMetricSchema(BinaryOp op) {
    return switch (op) {
      case ADD, SUB, DIV, MUL, POW, MOD, ATAN2 -> true;
      default -> false;
    };
  }

  private static void vectorScalarBinop(BinaryOp op, List<Sample> vec, double scalar, boolean swap, boolean returnBool,
      List<Sample> out) {
    boolean[] k = new boolean[1];
    for (Sample s : vec) {
      double l = s.f;
      double r = scalar;
      if (swap) {
        l = scalar;
        r = s.f;
      }
      double v = elem(op, l, r, k);
      if (op.isComparison() && swap) {
        v = r;
      }
      boolean kept = k[0];
      if (returnBool) {
        v = kept ? 1 : 0;
        kept = true;
      }
      if (kept) {
        s.f = v;
        if (changesMetricSchema(op) || returnBool) {
          s.dropName = true;
        }
        out.add(s);
      }
    }
  }

  /** Match signatures of series, cached per label set object (series labels are shared across steps). */
  static final class Signatures {
    private final boolean on;
    private final Set<String> names;
    private final Map<Labels, Labels> cache;
    private final Map<Labels, Labels> canonical;

    /** @param series how many input series there are: sized for one signature each, no rehashing */
    Signatures(boolean on, List<String> matching, int series) {
      this.on = on;
      this.cache = new IdentityHashMap<>(series);
      this.canonical = new HashMap<>(Math.max(16, series * 4 / 3 + 1));
      Set<String> n = new HashSet<>(matching);
      if (!on) {
        n.add(Labels.METRIC_NAME);
      }
      this.names = n;
    }

    /** The signature of a step sample: computed once per input series, canonical so equal ones are identical. */
    Labels of(Sample s) {
      FloatSeries src = s.src;
      if (src == null || src.metric != s.metric) {
        return of(s.metric);
      }
      if (src.sig == null) {
        src.sig = of(s.metric);
      }
      return src.sig;
    }

    Labels of(Labels l) {
      Labels sig = cache.get(l);
      if (sig == null) {
        sig = on ? l.keep(names) : l.without(names);
        Labels prev = canonical.putIfAbsent(sig, sig);
        if (prev != null) {
          sig = prev;
        }
        cache.put(l, sig);
      }
      return sig;
    }
  }

  private static void and(List<Sample> lhs, List<Sample> rhs, Signatures sigs, List<Sample> out) {
    if (lhs.isEmpty() || rhs.isEmpty()) {
      return;
    }
    Set<Labels> right = new HashSet<>();
    for (Sample s : rhs) {
      right.add(sigs.of(s));
    }
    for (Sample s : lhs) {
      if (right.contains(sigs.of(s))) {
        out.add(s);
      }
    }
  }

  private static void or(List<Sample> lhs, List<Sample> rhs, Signatures sigs, List<Sample> out) {
    if (lhs.isEmpty()) {
      out.addAll(rhs);
      return;
    }
    if (rhs.isEmpty()) {
      out.addAll(lhs);
      return;
    }
    Set<Labels> left = new HashSet<>();
    for (Sample s : lhs) {
      left.add(sigs.of(s));
      out.add(s);
    }
    for (Sample s : rhs) {
      if (!left.contains(sigs.of(s))) {
        out.add(s);
      }
    }
  }

  private static void unless(List<Sample> lhs, List<Sample> rhs, Signatures sigs, List<Sample> out) {
    if (lhs.isEmpty() || rhs.isEmpty()) {
      out.addAll(lhs);
      return;
    }
    Set<Labels> right = new HashSet<>();
    for (Sample s : rhs) {
      right.add(sigs.of(s));
    }
    for (Sample s : lhs) {
      if (!right.contains(sigs.of(s))) {
        out.add(s);
      }
    }
  }

  /**
   * State of one vector/vector operation across steps: result labels per (lhs, rhs) pair (the same pairs
   * recur at every step) and the per-step maps, cleared instead of reallocated.
   */
  static final class MatchState {
    final Map<Labels, Map<Labels, Labels>> cache = new IdentityHashMap<>();
    final Map<Labels, Sample> right = new HashMap<>();
    /** Per match group: the result labels inserted, a Labels for one, a Set for more (rare). */
    final Map<Labels, Object> matched = new HashMap<>();
  }

  private static void vectorBinop(BinaryOp op, List<Sample> lhs, List<Sample> rhs, VectorMatching m, boolean returnBool,
      Signatures sigs, MatchState rm, List<Sample> out) {
    if (lhs.isEmpty() || rhs.isEmpty()) {
      return;
    }
    boolean oneToMany = m.cardinality() == VectorMatching.Cardinality.ONE_TO_MANY;
    if (oneToMany) {
      List<Sample> tmp = lhs;
      lhs = rhs;
      rhs = tmp;
    }
    Map<Labels, Sample> right = rm.right;
    right.clear();
    for (Sample rs : rhs) {
      Labels sig = sigs.of(rs);
      Sample dup = right.putIfAbsent(sig, rs);
      if (dup != null) {
        String oneSide = oneToMany ? "left" : "right";
        Labels matched = m.on() ? rs.metric.keep(new HashSet<>(m.matchingLabels()))
            : rs.metric.without(withName(m.matchingLabels()));
        throw EngineException.execution("found duplicate series for the match group " + matched
            + " on the " + oneSide + " hand-side of the operation: [" + rs.metric + ", " + dup.metric + "]"
            + ";many-to-many matching not allowed: matching labels must be unique on one side");
      }
    }
    Map<Labels, Object> matched = rm.matched;
    matched.clear();
    boolean[] k = new boolean[1];
    for (Sample ls : lhs) {
      Labels sig = sigs.of(ls);
      Sample rs = right.get(sig);
      if (rs == null) {
        continue;
      }
      double l = ls.f;
      double r = rs.f;
      if (oneToMany) {
        l = rs.f;
        r = ls.f;
      }
      double v = elem(op, l, r, k);
      boolean kept = k[0];
      if (returnBool) {
        v = kept ? 1 : 0;
      } else if (!kept) {
        continue;
      }
      Labels metric;
      FloatSeries src = ls.src;
      if (src != null && src.metric == ls.metric && src.lastRhs == rs.metric) {
        metric = src.lastResult;
      } else {
        metric = resultMetric(ls.metric, rs.metric, op, m, rm);
        if (src != null && src.metric == ls.metric) {
          src.lastRhs = rs.metric;
          src.lastResult = metric;
        }
      }
      Object prev = matched.putIfAbsent(sig, metric);
      if (prev != null) {
        if (m.cardinality() == VectorMatching.Cardinality.ONE_TO_ONE) {
          throw EngineException.execution(
              "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
        }
        if (!addInserted(matched, sig, prev, metric)) {
          throw EngineException.execution("multiple matches for labels: grouping labels must ensure unique matches");
        }
      }
      // ls belongs to this step only (see Evaluator.gather): reuse it for the result.
      ls.metric = metric;
      ls.f = v;
      ls.dropName = returnBool;
      out.add(ls);
    }
  }

  @SuppressWarnings("unchecked")
  private static boolean addInserted(Map<Labels, Object> matched, Labels sig, Object prev, Labels metric) {
    if (prev instanceof Labels one) {
      if (one.equals(metric)) {
        return false;
      }
      Set<Labels> set = new HashSet<>();
      set.add(one);
      set.add(metric);
      matched.put(sig, set);
      return true;
    }
    return ((Set<Labels>) prev).add(metric);
  }

  private static Set<String> withName(List<String> names) {
    Set<String> s = new TreeSet<>(names);
    s.add(Labels.METRIC_NAME);
    return s;
  }

  private static Labels resultMetric(Labels lhs, Labels rhs, BinaryOp op, VectorMatching m, MatchState rm) {
    // Nearly always one rhs per lhs (the same series matches at every step): a small map each.
    Map<Labels, Labels> byRhs = rm.cache.computeIfAbsent(lhs, x -> new IdentityHashMap<>(2));
    Labels cached = byRhs.get(rhs);
    if (cached != null) {
      return cached;
    }
    Labels.Builder b = lhs.toBuilder();
    if (changesMetricSchema(op)) {
      for (String n : METADATA_LABELS) {
        b.del(n);
      }
    }
    if (m.cardinality() == VectorMatching.Cardinality.ONE_TO_ONE) {
      if (m.on()) {
        Set<String> keep = new HashSet<>(m.matchingLabels());
        for (io.promgate.model.Label l : lhs) {
          if (!keep.contains(l.name())) {
            b.del(l.name());
          }
        }
      } else {
        for (String n : m.matchingLabels()) {
          b.del(n);
        }
      }
    }
    for (String n : m.include()) {
      String v = rhs.get(n);
      if (!v.isEmpty()) {
        b.set(n, v);
      } else {
        b.del(n);
      }
    }
    Labels res = b.build();
    byRhs.put(rhs, res);
    return res;
  }
}
