package io.promgate.gateway.http;

import io.promgate.model.LabelMatcher;
import io.promgate.promql.ast.AggregateExpr;
import io.promgate.promql.ast.At;
import io.promgate.promql.ast.BinaryExpr;
import io.promgate.promql.ast.Call;
import io.promgate.promql.ast.Expr;
import io.promgate.promql.ast.ExprType;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The AST as {@code /api/v1/parse_query} returns it: the shape of Prometheus 3.5's {@code translateAST}
 * (web/api/v1/translate_ast.go), the tree the Prometheus UI's explain view draws. Newer, experimental
 * fields (anchored/smoothed selectors, fill values) are not emitted.
 */
final class AstJson {
  private AstJson() {}

  static Object translate(Expr e) {
    if (e == null) {
      return null;
    }
    Map<String, Object> m = new HashMap<>();
    if (e instanceof AggregateExpr a) {
      m.put("type", "aggregation");
      m.put("op", a.op().keyword());
      m.put("expr", translate(a.expr()));
      m.put("param", translate(a.param()));
      m.put("grouping", a.grouping());
      m.put("without", a.without());
    } else if (e instanceof BinaryExpr b) {
      m.put("type", "binaryExpr");
      m.put("op", b.op().symbol());
      m.put("lhs", translate(b.lhs()));
      m.put("rhs", translate(b.rhs()));
      m.put("bool", b.returnBool());
      // As Prometheus after checkAST: matching only between two instant vectors, and then always present
      // (one-to-one by default, many-to-many for set operators).
      boolean vectors = b.lhs().type() == ExprType.VECTOR && b.rhs().type() == ExprType.VECTOR;
      VectorMatching vm = b.matching();
      if (vm == null && vectors) {
        vm = new VectorMatching(b.op().isSetOperator() ? VectorMatching.Cardinality.MANY_TO_MANY
            : VectorMatching.Cardinality.ONE_TO_ONE, List.of(), false, List.of());
      }
      if (vm == null || !vectors) {
        m.put("matching", null);
      } else {
        Map<String, Object> mm = new HashMap<>();
        mm.put("card", switch (vm.cardinality()) {
          case ONE_TO_ONE -> "one-to-one";
          case MANY_TO_ONE -> "many-to-one";
          case ONE_TO_MANY -> "one-to-many";
          case MANY_TO_MANY -> "many-to-many";
        });
        mm.put("labels", vm.matchingLabels());
        mm.put("on", vm.on());
        mm.put("include", vm.include());
        m.put("matching", mm);
      }
    } else if (e instanceof Call c) {
      m.put("type", "call");
      Map<String, Object> f = new HashMap<>();
      f.put("name", c.function().name());
      List<Object> argTypes = new ArrayList<>();
      for (ExprType t : c.function().argTypes()) {
        argTypes.add(valueType(t));
      }
      f.put("argTypes", argTypes);
      f.put("variadic", (long) c.function().variadic());
      f.put("returnType", valueType(c.function().returnType()));
      m.put("func", f);
      List<Object> args = new ArrayList<>();
      for (Expr arg : c.args()) {
        args.add(translate(arg));
      }
      m.put("args", args);
    } else if (e instanceof MatrixSelector ms) {
      selector(ms.selector(), m);
      m.put("type", "matrixSelector");
      m.put("range", ms.rangeMillis());
    } else if (e instanceof SubqueryExpr s) {
      m.put("type", "subquery");
      m.put("expr", translate(s.expr()));
      m.put("range", s.rangeMillis());
      m.put("offset", s.offsetMillis());
      m.put("step", s.stepMillis());
      at(s.at(), m);
    } else if (e instanceof NumberLiteral n) {
      m.put("type", "numberLiteral");
      m.put("val", goFloat(n.value()));
    } else if (e instanceof ParenExpr p) {
      m.put("type", "parenExpr");
      m.put("expr", translate(p.expr()));
    } else if (e instanceof StringLiteral s) {
      m.put("type", "stringLiteral");
      m.put("val", s.value());
    } else if (e instanceof UnaryExpr u) {
      m.put("type", "unaryExpr");
      m.put("op", u.negative() ? "-" : "+");
      m.put("expr", translate(u.expr()));
    } else if (e instanceof VectorSelector v) {
      selector(v, m);
    }

    return m;
  }

  private static void selector(VectorSelector v, Map<String, Object> m) {
    m.put("type", "vectorSelector");
    m.put("name", v.name() == null ? "" : v.name());
    m.put("offset", v.offsetMillis());
    List<Object> matchers = new ArrayList<>();
    for (LabelMatcher lm : v.matchers()) {
      Map<String, Object> x = new HashMap<>();
      x.put("name", lm.name());
      x.put("value", lm.value());
      x.put("type", lm.type().op());
      matchers.add(x);
    }
    m.put("matchers", matchers);
    at(v.at(), m);
  }

  private static void at(At at, Map<String, Object> m) {
    m.put("timestamp", at != null && at.kind() == At.Kind.TIME ? at.millis() : null);
    m.put("startOrEnd", at == null || at.kind() == At.Kind.TIME ? null : at.kind() == At.Kind.START ? "start" : "end");
  }

  /** Prometheus' {@code parser.ValueType} names. */
  private static String valueType(ExprType t) {
    return switch (t) {
      case SCALAR -> "scalar";
      case STRING -> "string";
      case VECTOR -> "vector";
      case MATRIX -> "matrix";
    };
  }

  /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: shortest digits, never an exponent. */
  static String goFloat(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return 1 / v < 0 ? "-0" : "0";
    }
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }
}
