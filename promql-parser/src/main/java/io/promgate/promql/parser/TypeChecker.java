package io.promgate.promql.parser;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.promql.ast.AggregateExpr;
import io.promgate.promql.ast.AggregateOp;
import io.promgate.promql.ast.BinaryExpr;
import io.promgate.promql.ast.BinaryOp;
import io.promgate.promql.ast.Call;
import io.promgate.promql.ast.Expr;
import io.promgate.promql.ast.ExprType;
import io.promgate.promql.ast.FunctionSignature;
import io.promgate.promql.ast.MatrixSelector;
import io.promgate.promql.ast.ParenExpr;
import io.promgate.promql.ast.SubqueryExpr;
import io.promgate.promql.ast.UnaryExpr;
import io.promgate.promql.ast.VectorMatching;
import io.promgate.promql.ast.VectorSelector;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prometheus' checkAST (promql/parser/parse.go): the type rules and their messages, in the same order,
 * so that a query with several problems reports the one Prometheus reports. It also normalises vector
 * matching as Prometheus does: set operators become many-to-many, and matching is dropped (null) when a
 * side is not an instant vector. Returns the normalised tree.
 */
final class TypeChecker {
  private final Source src;
  /**
   * Types of checked operator nodes. Expr.type() of a binary expression asks both operands, so on a
   * chain of thousands of operators (generated "a or b or c ...") asking it at every level would be
   * quadratic; here each node's type is computed once, from its operands' cached types.
   */
  private final Map<Expr, ExprType> types = new IdentityHashMap<>();

  private TypeChecker(Source src) {
    this.src = src;
  }

  private ExprType typeOf(Expr e) {
    ExprType t = types.get(e);
    return t != null ? t : e.type();
  }

  private Expr typed(Expr e, ExprType t) {
    types.put(e, t);
    return e;
  }

  static Expr check(Expr e, Source src) {
    return new TypeChecker(src).check(e, false);
  }

  private Expr expectType(Expr e, ExprType want, String context) {
    Expr checked = check(e, false);
    if (typeOf(checked) != want) {
      throw new QueryError(e.position().start(), "expected type " + want.promName() + " in " + context + ", got "
          + typeOf(checked).promName());
    }
    return checked;
  }

  private Expr check(Expr e, boolean bypassEmptyMatcherCheck) {
    if (e instanceof AggregateExpr a) {
      Expr inner = expectType(a.expr(), ExprType.VECTOR, "aggregation expression");
      Expr param = a.param();
      AggregateOp op = a.op();
      if (op == AggregateOp.TOPK || op == AggregateOp.BOTTOMK || op == AggregateOp.QUANTILE
          || op == AggregateOp.LIMITK || op == AggregateOp.LIMIT_RATIO) {
        param = expectType(param, ExprType.SCALAR, "aggregation parameter");
      } else if (op == AggregateOp.COUNT_VALUES) {
        param = expectType(param, ExprType.STRING, "aggregation parameter");
      }
      return new AggregateExpr(op, inner, param, a.grouping(), a.without(), a.position());
    } else if (e instanceof BinaryExpr b) {
      return checkBinary(b);
    } else if (e instanceof Call c) {
      return checkCall(c);
    } else if (e instanceof ParenExpr p) {
      Expr inner = check(p.expr(), false);
      return typed(new ParenExpr(inner, p.position()), typeOf(inner));
    } else if (e instanceof UnaryExpr u) {
      Expr inner = check(u.expr(), false);
      ExprType t = typeOf(inner);
      if (t != ExprType.SCALAR && t != ExprType.VECTOR) {
        throw new QueryError(u.position().start(),
            "unary expression only allowed on expressions of type scalar or instant vector, got "
                + GoStrings.quote(t.promName()));
      }
      return typed(new UnaryExpr(u.negative(), inner, u.position()), t);
    } else if (e instanceof SubqueryExpr s) {
      Expr inner = check(s.expr(), false);
      if (typeOf(inner) != ExprType.VECTOR) {
        throw new QueryError(s.position().start(),
            "subquery is only allowed on instant vector, got " + goValueType(typeOf(inner)) + " instead");
      }
      return new SubqueryExpr(inner, s.rangeMillis(), s.rangeExpr(), s.stepMillis(), s.stepExpr(), s.offsetMillis(),
          s.offsetExpr(), s.at(), s.position());
    } else if (e instanceof MatrixSelector m) {
      check(m.selector(), false);
      return m;
    } else if (e instanceof VectorSelector vs) {
      checkSelector(vs, bypassEmptyMatcherCheck);
      return vs;
    }
    return e;
  }

  /** Prometheus' ValueType.String(), used unmapped in the subquery message. */
  private static String goValueType(ExprType t) {
    return switch (t) {
      case SCALAR -> "scalar";
      case STRING -> "string";
      case VECTOR -> "vector";
      case MATRIX -> "matrix";
    };
  }

  private void checkSelector(VectorSelector vs, boolean bypassEmptyMatcherCheck) {
    List<LabelMatcher> ms = vs.matchers();
    if (vs.name() != null) {
      for (int i = 0; i < ms.size() - 1; i++) {
        if (ms.get(i).name().equals(Labels.METRIC_NAME)) {
          throw new QueryError(vs.position().start(), "metric name must not be set twice: "
              + GoStrings.quote(vs.name()) + " or " + GoStrings.quote(ms.get(i).value()));
        }
      }
      return;
    }
    if (bypassEmptyMatcherCheck) {
      return;
    }
    for (LabelMatcher m : ms) {
      if (!m.matchesEmpty()) {
        return;
      }
    }
    throw new QueryError(vs.position().start(), "vector selector must contain at least one non-empty matcher");
  }

  private Expr checkBinary(BinaryExpr n) {
    Expr lhs = check(n.lhs(), false);
    Expr rhs = check(n.rhs(), false);
    ExprType lt = typeOf(lhs);
    ExprType rt = typeOf(rhs);
    BinaryOp op = n.op();
    VectorMatching vm = n.matching();
    if (n.returnBool() && !op.isComparison()) {
      throw new QueryError(opStart(n), "bool modifier can only be used on comparison operators");
    }
    if (op.isComparison() && !n.returnBool() && rt == ExprType.SCALAR && lt == ExprType.SCALAR) {
      throw new QueryError(opStart(n), "comparisons between scalars must use BOOL modifier");
    }
    if (op.isSetOperator() && vm.cardinality() == VectorMatching.Cardinality.ONE_TO_ONE) {
      vm = new VectorMatching(VectorMatching.Cardinality.MANY_TO_MANY, vm.matchingLabels(), vm.on(), vm.include());
    }
    if (vm.on()) {
      for (String l1 : vm.matchingLabels()) {
        if (vm.include().contains(l1)) {
          throw new QueryError(opStart(n), "label " + GoStrings.quote(l1) + " must not occur in ON and GROUP clause at once");
        }
      }
    }
    if (lt != ExprType.SCALAR && lt != ExprType.VECTOR) {
      throw new QueryError(lhs.position().start(), "binary expression must contain only scalar and instant vector types");
    }
    if (rt != ExprType.SCALAR && rt != ExprType.VECTOR) {
      throw new QueryError(rhs.position().start(), "binary expression must contain only scalar and instant vector types");
    }
    if (lt != ExprType.VECTOR || rt != ExprType.VECTOR) {
      if (!vm.matchingLabels().isEmpty()) {
        throw new QueryError(n.position().start(), "vector matching only allowed between instant vectors");
      }
      vm = null;
    } else if (op.isSetOperator()) {
      if (vm.cardinality() == VectorMatching.Cardinality.ONE_TO_MANY
          || vm.cardinality() == VectorMatching.Cardinality.MANY_TO_ONE) {
        throw new QueryError(n.position().start(), "no grouping allowed for " + GoStrings.quote(op.symbol()) + " operation");
      }
    }
    if ((lt == ExprType.SCALAR || rt == ExprType.SCALAR) && op.isSetOperator()) {
      throw new QueryError(n.position().start(),
          "set operator " + GoStrings.quote(op.symbol()) + " not allowed in binary scalar expression");
    }
    ExprType t = lt == ExprType.SCALAR && rt == ExprType.SCALAR ? ExprType.SCALAR : ExprType.VECTOR;
    return typed(new BinaryExpr(op, lhs, rhs, vm, n.returnBool(), n.position()), t);
  }

  /** parse.go opRange(): the operator's start, found by skipping spaces after the left operand. */
  private int opStart(BinaryExpr n) {
    int i = n.lhs().position().end();
    while (i >= 0 && i < src.text.length() && Character.isWhitespace(src.text.charAt(i))) {
      i++;
    }
    return Math.max(i, 0);
  }

  private Expr checkCall(Call n) {
    FunctionSignature fn = n.function();
    int nargs = fn.argTypes().size();
    int got = n.args().size();
    String name = GoStrings.quote(fn.name());
    if (fn.variadic() == 0) {
      if (nargs != got) {
        throw new QueryError(n.position().start(), "expected " + nargs + " argument(s) in call to " + name + ", got " + got);
      }
    } else {
      int na = nargs - 1;
      if (na > got) {
        throw new QueryError(n.position().start(),
            "expected at least " + na + " argument(s) in call to " + name + ", got " + got);
      } else if (fn.variadic() > 0 && na + fn.variadic() < got) {
        throw new QueryError(n.position().start(),
            "expected at most " + (na + fn.variadic()) + " argument(s) in call to " + name + ", got " + got);
      }
    }
    boolean infoLabels = false;
    if (fn.name().equals("info") && got > 1) {
      Expr a1 = n.args().get(1);
      if (typeOf(a1) != ExprType.VECTOR) {
        throw new QueryError(n.position().start(), "expected type instant vector in call to function " + name + ", got "
            + typeOf(a1).promName());
      }
      if (a1 instanceof VectorSelector vs && vs.name() != null) {
        throw new QueryError(a1.position().start(), "expected label selectors only, got vector selector instead");
      }
      infoLabels = a1 instanceof VectorSelector;
    }
    List<Expr> args = new ArrayList<>(got);
    for (int i = 0; i < got; i++) {
      Expr arg = n.args().get(i);
      int ti = i;
      if (i >= nargs) {
        if (fn.variadic() == 0) {
          args.addAll(n.args().subList(i, got));
          break;
        }
        ti = nargs - 1;
      }
      Expr checked = check(arg, infoLabels && i == 1);
      if (typeOf(checked) != fn.argTypes().get(ti)) {
        throw new QueryError(arg.position().start(), "expected type " + fn.argTypes().get(ti).promName()
            + " in call to function " + name + ", got " + typeOf(checked).promName());
      }
      args.add(checked);
    }
    return new Call(fn, args, n.position());
  }
}
