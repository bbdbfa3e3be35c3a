package io.promgate.promql.ast;

import io.promgate.model.LabelMatcher;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An instant vector selector.
 *
 * @param name the metric name written before the braces, or null; when present, {@code matchers} also holds
 *     the equivalent {@code __name__="name"} matcher, as in Prometheus
 * @param matchers all matchers, in the order written (the name matcher last when a name was written)
 * @param offsetMillis the offset in ms (negative allowed), 0 when none
 * @param offsetExpr the offset as written when it was a duration expression, else null
 * @param at the {@code @} modifier, or null
 */
public record VectorSelector(
    String name,
    List<LabelMatcher> matchers,
    long offsetMillis,
    DurationExpr offsetExpr,
    At at,
    PositionRange position) implements Expr {
  public VectorSelector {
    matchers = List.copyOf(matchers);
  }

  /**
   * Matchers compare as a multiset: their order carries no meaning, and the printer sorts them (as
   * Prometheus does), so parse(print(e)) must still equal e.
   */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof VectorSelector v)) {
      return false;
    }
    return Objects.equals(name, v.name) && offsetMillis == v.offsetMillis && Objects.equals(offsetExpr, v.offsetExpr)
        && Objects.equals(at, v.at) && matchers.size() == v.matchers.size()
        && new HashMap<>(counts(matchers)).equals(counts(v.matchers));
  }

  private static Map<LabelMatcher, Integer> counts(List<LabelMatcher> ms) {
    Map<LabelMatcher, Integer> m = new HashMap<>();
    for (LabelMatcher x : ms) {
      m.merge(x, 1, Integer::sum);
    }
    return m;
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(name, offsetMillis, offsetExpr, at);
    for (LabelMatcher m : matchers) {
      h += m.hashCode();
    }
    return h;
  }

  @Override
  public ExprType type() {
    return ExprType.VECTOR;
  }
}
