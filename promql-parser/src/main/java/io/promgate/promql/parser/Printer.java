package io.promgate.promql.parser;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.promql.ast.AggregateExpr;
import io.promgate.promql.ast.At;
import io.promgate.promql.ast.BinaryExpr;
import io.promgate.promql.ast.BinaryOp;
import io.promgate.promql.ast.Call;
import io.promgate.promql.ast.DurationExpr;
import io.promgate.promql.ast.Expr;
import io.promgate.promql.ast.MatrixSelector;
import io.promgate.promql.ast.NumberLiteral;
import io.promgate.promql.ast.ParenExpr;
import io.promgate.promql.ast.StringLiteral;
import io.promgate.promql.ast.SubqueryExpr;
import io.promgate.promql.ast.UnaryExpr;
import io.promgate.promql.ast.VectorMatching;
import io.promgate.promql.ast.VectorSelector;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Canonical PromQL text, as Prometheus 3.5's {@code Expr.String()} (promql/parser/printer.go) writes it:
 * matchers sorted, the name matcher folded into the name, durations as model.Duration, numbers as Go's
 * shortest decimal. {@code PromQLParser.parse(print(e))} equals {@code e}.
 *
 * <p>format_query in Prometheus is {@code Pretty(0)}: see {@link #pretty}.
 *
 * <p>Deliberate differences: a literal +Inf left of {@code ^} prints as {@code Inf}; labels in {@code on(...)}/{@code ignoring(...)}/{@code group_x(...)} that
 * are not legacy names are quoted (Prometheus prints them bare, which does not parse back).
 */
public final class Printer {
  private Printer() {
  }

  /**
   * What Prometheus' /api/v1/format_query returns ({@code Pretty(0)}): {@link #print} for queries up to
   * 100 bytes, longer ones split over indented lines.
   */
  public static String pretty(Expr e) {
    return DeepStack.run(() -> new PrettyPrinter(PrettyPrinter.MAX_LINE).pretty(e, 0));
  }

  public static String print(Expr e) {
    return DeepStack.run(() -> printDirect(e));
  }

  /** print() without the deep-stack fallback, for callers already inside one. */
  static String printDirect(Expr e) {
    StringBuilder sb = new StringBuilder(64);
    print(e, sb);
    return sb.toString();
  }

  private static void print(Expr e, StringBuilder sb) {
    if (e instanceof AggregateExpr a) {
      aggregateHead(a, sb);
      sb.append('(');
      if (a.param() != null) {
        print(a.param(), sb);
        sb.append(", ");
      }
      print(a.expr(), sb);
      sb.append(')');
    } else if (e instanceof BinaryExpr b) {
      if (b.op() == BinaryOp.POW && b.lhs() instanceof NumberLiteral n && n.value() == Double.POSITIVE_INFINITY) {
        // "Inf ^ 2" parses to a literal +Inf on the left; Prometheus prints "+Inf ^ 2", which parses as
        // +(Inf ^ 2). Printing the bare "Inf" keeps parse(print(e)) == e.
        sb.append("Inf");
      } else {
        print(b.lhs(), sb);
      }
      sb.append(' ');
      operator(b, sb);
      sb.append(' ');
      print(b.rhs(), sb);
    } else if (e instanceof Call c) {
      sb.append(c.function().name()).append('(');
      for (int i = 0; i < c.args().size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        print(c.args().get(i), sb);
      }
      sb.append(')');
    } else if (e instanceof MatrixSelector m) {
      VectorSelector vs = m.selector();
      selectorBody(vs, sb);
      sb.append('[');
      duration(m.rangeMillis(), m.rangeExpr(), sb);
      sb.append(']');
      modifiers(vs.at(), vs.offsetMillis(), vs.offsetExpr(), sb);
    } else if (e instanceof SubqueryExpr s) {
      print(s.expr(), sb);
      sb.append('[');
      duration(s.rangeMillis(), s.rangeExpr(), sb);
      sb.append(':');
      if (s.stepMillis() != 0 && s.stepExpr() == null) {
        sb.append(Durations.format(s.stepMillis()));
      } else if (s.stepExpr() != null) {
        durationExpr(s.stepExpr(), sb);
      }
      sb.append(']');
      modifiers(s.at(), s.offsetMillis(), s.offsetExpr(), sb);
    } else if (e instanceof NumberLiteral n) {
      sb.append(DurationFolder.canonical(n.value(), n.duration()));
    } else if (e instanceof ParenExpr p) {
      sb.append('(');
      print(p.expr(), sb);
      sb.append(')');
    } else if (e instanceof StringLiteral s) {
      sb.append(GoStrings.quote(s.value()));
    } else if (e instanceof UnaryExpr u) {
      sb.append(u.negative() ? '-' : '+');
      print(u.expr(), sb);
    } else if (e instanceof VectorSelector vs) {
      selectorBody(vs, sb);
      modifiers(vs.at(), vs.offsetMillis(), vs.offsetExpr(), sb);
    }
  }

  /** Prometheus' getAggOpStr(): {@code sum}, {@code sum by (job) }, {@code sum without () }. */
  static void aggregateHead(AggregateExpr a, StringBuilder sb) {
    sb.append(a.op().keyword());
    if (a.without()) {
      sb.append(" without (");
      groupingLabels(a.grouping(), sb);
      sb.append(") ");
    } else if (!a.grouping().isEmpty()) {
      sb.append(" by (");
      groupingLabels(a.grouping(), sb);
      sb.append(") ");
    }
  }

  /** The operator with its bool and vector-matching modifiers, e.g. {@code / on (job) group_left ()}. */
  static void operator(BinaryExpr b, StringBuilder sb) {
    sb.append(b.op().symbol());
    if (b.returnBool()) {
      sb.append(" bool");
    }
    matching(b.matching(), sb);
  }

  private static void selectorBody(VectorSelector vs, StringBuilder sb) {
    List<String> parts = new ArrayList<>(vs.matchers().size());
    for (LabelMatcher m : vs.matchers()) {
      // Skip the name matcher the name already says; keep an explicit empty one.
      if (m.name().equals(Labels.METRIC_NAME) && m.type() == LabelMatcher.Type.EQ && m.value().equals(vs.name())
          && !m.value().isEmpty()) {
        continue;
      }
      parts.add(matcher(m));
    }
    if (vs.name() != null) {
      sb.append(vs.name());
    }
    if (!parts.isEmpty()) {
      Collections.sort(parts);
      sb.append('{').append(String.join(",", parts)).append('}');
    }
  }

  /** labels.Matcher.String(). */
  public static String matcher(LabelMatcher m) {
    String name = GoStrings.isLegacyLabelName(m.name()) ? m.name() : GoStrings.quote(m.name());
    return name + m.type().op() + GoStrings.quote(m.value());
  }

  private static void modifiers(At at, long offsetMillis, DurationExpr offsetExpr, StringBuilder sb) {
    if (at != null) {
      switch (at.kind()) {
        case TIME -> sb.append(" @ ").append(BigDecimal.valueOf(at.millis()).movePointLeft(3).setScale(3)
            .toPlainString());
        case START -> sb.append(" @ start()");
        case END -> sb.append(" @ end()");
      }
    }
    if (offsetExpr != null) {
      sb.append(" offset ");
      durationExpr(offsetExpr, sb);
    } else if (offsetMillis > 0) {
      sb.append(" offset ").append(Durations.format(offsetMillis));
    } else if (offsetMillis < 0) {
      sb.append(" offset -").append(Durations.format(-offsetMillis));
    }
  }

  private static void duration(long millis, DurationExpr expr, StringBuilder sb) {
    if (expr != null) {
      durationExpr(expr, sb);
    } else {
      sb.append(Durations.format(millis));
    }
  }

  static void durationExpr(DurationExpr e, StringBuilder sb) {
    if (e instanceof DurationExpr.Literal l) {
      sb.append(l.written() != null ? l.written() : Durations.formatFloat(l.seconds()));
    } else if (e instanceof DurationExpr.Paren p) {
      sb.append('(');
      durationExpr(p.expr(), sb);
      sb.append(')');
    } else if (e instanceof DurationExpr.Unary u) {
      sb.append(u.op());
      durationExpr(u.expr(), sb);
    } else if (e instanceof DurationExpr.Binary b) {
      durationExpr(b.lhs(), sb);
      sb.append(' ').append(b.op()).append(' ');
      durationExpr(b.rhs(), sb);
    }
  }

  private static void matching(VectorMatching vm, StringBuilder sb) {
    if (vm == null || (vm.matchingLabels().isEmpty() && !vm.on())) {
      return;
    }
    sb.append(vm.on() ? " on (" : " ignoring (");
    groupingLabels(vm.matchingLabels(), sb);
    sb.append(')');
    if (vm.cardinality() == VectorMatching.Cardinality.MANY_TO_ONE
        || vm.cardinality() == VectorMatching.Cardinality.ONE_TO_MANY) {
      sb.append(vm.cardinality() == VectorMatching.Cardinality.MANY_TO_ONE ? " group_left (" : " group_right (");
      groupingLabels(vm.include(), sb);
      sb.append(')');
    }
  }

  private static void groupingLabels(List<String> labels, StringBuilder sb) {
    for (int i = 0; i < labels.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      String l = labels.get(i);
      sb.append(GoStrings.isLegacyMetricName(l) ? l : GoStrings.quote(l));
    }
  }
}
