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
 * left operand's own indentation.
 */
final class PrettyPrinter {
  static final int MAX_LINE = 100;
  private final int maxLine;

  PrettyPrinter(int maxLine) {
    this.maxLine = maxLine;
  }

  String pretty(Expr e, int level) {
    if (e instanceof AggregateExpr a) {
      if (!needsSplit(a)) {
        return indent(level) + Printer.print(a);
      }
      StringBuilder sb = new StringBuilder(indent(level));
      Printer.aggregateHead(a, sb);
      sb.append("(\n");
      if (a.param() != null) {
        sb.append(pretty(a.param(), level + 1)).append(",\n");
      }
      return sb.append(pretty(a.expr(), level + 1)).append('\n').append(indent(level)).append(')').toString();
    } else if (e instanceof BinaryExpr b) {
      if (!needsSplit(b)) {
        return indent(level) + Printer.print(b);
      }
      StringBuilder op = new StringBuilder();
      Printer.operator(b, op);
      return pretty(b.lhs(), level + 1) + "\n" + indent(level) + op + "\n" + pretty(b.rhs(), level + 1);
    } else if (e instanceof Call c) {
      if (!needsSplit(c) || c.args().isEmpty()) {
        return indent(level) + Printer.print(c);
      }
      StringBuilder sb = new StringBuilder(indent(level)).append(c.function().name()).append("(\n");
      for (int i = 0; i < c.args().size(); i++) {
        sb.append(pretty(c.args().get(i), level + 1)).append(i + 1 < c.args().size() ? ",\n" : "");
      }
      return sb.append('\n').append(indent(level)).append(')').toString();
    } else if (e instanceof ParenExpr p) {
      if (!needsSplit(p)) {
        return indent(level) + Printer.print(p);
      }
      return indent(level) + "(\n" + pretty(p.expr(), level + 1) + "\n" + indent(level) + ")";
    } else if (e instanceof SubqueryExpr s) {
      if (!needsSplit(s)) {
        return Printer.print(s);
      }
      String whole = Printer.print(s);
      String inner = Printer.print(s.expr());
      return pretty(s.expr(), level) + whole.substring(inner.length());
    } else if (e instanceof UnaryExpr u) {
      return indent(level) + (u.negative() ? "-" : "+") + pretty(u.expr(), level).strip();
    }
    return indent(level) + Printer.print(e);
  }

  private boolean needsSplit(Expr e) {
    return Printer.print(e).getBytes(StandardCharsets.UTF_8).length > maxLine;
  }

  private static String indent(int n) {
    return "  ".repeat(n);
  }
}
