package io.promgate.promql.parser;

import io.promgate.promql.ast.AggregateExpr;
import io.promgate.promql.ast.BinaryExpr;
import io.promgate.promql.ast.Call;
import io.promgate.promql.ast.Expr;
import io.promgate.promql.ast.ParenExpr;
import io.promgate.promql.ast.SubqueryExpr;
import io.promgate.promql.ast.UnaryExpr;
import java.nio.charset.StandardCharsets;

/**
 * Prometheus' {@code Pretty(0)} (promql/parser/prettier.go), what /api/v1/format_query returns: a node
 * whose one-line form exceeds 100 bytes is split over lines, children indented by two spaces. Quirks
 * kept on purpose: a short subquery is not indented, and a split binary expression starts with its
 * left operand's own indentation. Output goes into one buffer (Prometheus concatenates strings at every
 * level, which is cubic on deeply nested input).
 */
final class PrettyPrinter {
  static final int MAX_LINE = 100;
  private final int maxLine;

  PrettyPrinter(int maxLine) {
    this.maxLine = maxLine;
  }

  String pretty(Expr e, int level) {
    StringBuilder sb = new StringBuilder(128);
    pretty(e, level, sb);
    return sb.toString();
  }

  private void pretty(Expr e, int level, StringBuilder sb) {
    if (e instanceof SubqueryExpr s) {
      String whole = Printer.printDirect(s);
      if (!needsSplit(whole)) {
        sb.append(whole);
        return;
      }
      pretty(s.expr(), level, sb);
      sb.append(whole, Printer.printDirect(s.expr()).length(), whole.length());
      return;
    }
    if (e instanceof UnaryExpr u) {
      indent(level, sb);
      sb.append(u.negative() ? '-' : '+').append(pretty(u.expr(), level).strip());
      return;
    }
    boolean splittable = e instanceof AggregateExpr || e instanceof BinaryExpr || e instanceof ParenExpr
        || (e instanceof Call c && !c.args().isEmpty());
    String oneLine = Printer.printDirect(e);
    if (!splittable || !needsSplit(oneLine)) {
      indent(level, sb);
      sb.append(oneLine);
      return;
    }
    if (e instanceof AggregateExpr a) {
      indent(level, sb);
      Printer.aggregateHead(a, sb);
      sb.append("(\n");
      if (a.param() != null) {
        pretty(a.param(), level + 1, sb);
        sb.append(",\n");
      }
      pretty(a.expr(), level + 1, sb);
      sb.append('\n');
      indent(level, sb);
      sb.append(')');
    } else if (e instanceof BinaryExpr b) {
      pretty(b.lhs(), level + 1, sb);
      sb.append('\n');
      indent(level, sb);
      Printer.operator(b, sb);
      sb.append('\n');
      pretty(b.rhs(), level + 1, sb);
    } else if (e instanceof Call c) {
      indent(level, sb);
      sb.append(c.function().name()).append("(\n");
      for (int i = 0; i < c.args().size(); i++) {
        pretty(c.args().get(i), level + 1, sb);
        sb.append(i + 1 < c.args().size() ? ",\n" : "");
      }
      sb.append('\n');
      indent(level, sb);
      sb.append(')');
    } else if (e instanceof ParenExpr p) {
      indent(level, sb);
      sb.append("(\n");
      pretty(p.expr(), level + 1, sb);
      sb.append('\n');
      indent(level, sb);
      sb.append(')');
    }
  }

  private boolean needsSplit(String oneLine) {
    // Prometheus compares len(String()), i.e. UTF-8 bytes; only non-ASCII text needs the encoding.
    return oneLine.length() > maxLine
        || (oneLine.length() * 3 > maxLine && oneLine.getBytes(StandardCharsets.UTF_8).length > maxLine);
  }

  private static void indent(int n, StringBuilder sb) {
    for (int i = 0; i < n; i++) {
      sb.append("  ");
    }
  }
}
