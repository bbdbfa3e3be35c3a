package io.promgate.promql.analysis;

import io.promgate.model.LabelMatcher;
import io.promgate.promql.ast.Expr;
import io.promgate.promql.ast.VectorSelector;
import java.util.ArrayList;
import java.util.List;

/**
 * Enforces a label matcher on every selector of a query, like prom-label-proxy: any matcher the user
 * wrote for the same label is replaced (so {@code up{tenant="b"}} cannot escape {@code tenant="a"}),
 * and the enforced matcher is added where there was none. The result is a new AST.
 */
public final class MatcherInjector {
  private MatcherInjector() {
  }

  public static Expr inject(Expr expr, LabelMatcher enforced) {
    return SelectorRewriter.rewrite(expr, vs -> enforce(vs, enforced));
  }

  /** The selector with every matcher on {@code enforced.name()} replaced by {@code enforced}. */
  public static VectorSelector enforce(VectorSelector vs, LabelMatcher enforced) {
    List<LabelMatcher> kept = new ArrayList<>(vs.matchers().size() + 1);
    for (LabelMatcher m : vs.matchers()) {
      if (!m.name().equals(enforced.name())) {
        kept.add(m);
      }
    }
    // Keep the name matcher last, as the parser builds it.
    int at = kept.size();
    if (vs.name() != null && at > 0 && kept.get(at - 1).name().equals(io.promgate.model.Labels.METRIC_NAME)) {
      at--;
    }
    kept.add(at, enforced);
    return new VectorSelector(vs.name(), kept, vs.offsetMillis(), vs.offsetExpr(), vs.at(), vs.position());
  }

}
