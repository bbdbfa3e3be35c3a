package io.promgate.promql.parser;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.promql.ast.AggregateExpr;
import io.promgate.promql.ast.AggregateOp;
import io.promgate.promql.ast.At;
import io.promgate.promql.ast.BinaryExpr;
import io.promgate.promql.ast.BinaryOp;
import io.promgate.promql.ast.Call;
import io.promgate.promql.ast.DurationExpr;
import io.promgate.promql.ast.Expr;
import io.promgate.promql.ast.ExprType;
import io.promgate.promql.ast.FunctionSignature;
import io.promgate.promql.ast.MatrixSelector;
import io.promgate.promql.ast.NumberLiteral;
import io.promgate.promql.ast.ParenExpr;
import io.promgate.promql.ast.PositionRange;
import io.promgate.promql.ast.StringLiteral;
import io.promgate.promql.ast.SubqueryExpr;
import io.promgate.promql.ast.UnaryExpr;
import io.promgate.promql.ast.VectorMatching;
import io.promgate.promql.ast.VectorSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random well-typed ASTs shaped as the parser would build them: parentheses where precedence needs
 * them, vector matching normalised, literal signs folded. Seeded by jqwik, so failures shrink to a seed.
 */
final class AstGenerator {
  private static final PositionRange P = PositionRange.NONE;
  private static final String[] NAMES = {"up", "http_requests_total", "sum", "by", "offset", "level:rate:sum", "a_b1",
      "start", "without", "count_values"};
  private static final String[] LABELS = {"job", "instance", "le", "on", "bool", "by", "offset", "some.label", "ünï", "a:b"};
  private static final String[] VALUES = {"", "x", "5..", "a\"b", "tab\there", "é✓", "\\d+", ".*", "line\nbreak"};
  private static final List<FunctionSignature> FUNCS = Functions.all().stream()
      .filter(f -> !f.name().equals("info")).toList();

  private final Random rnd;

  AstGenerator(long seed) {
    this.rnd = new Random(seed);
  }

  Expr any(int depth) {
    return switch (rnd.nextInt(4)) {
      case 0 -> scalar(depth);
      case 1 -> rnd.nextInt(5) == 0 ? str() : vector(depth);
      case 2 -> matrix(depth);
      default -> vector(depth);
    };
  }

  private <T> T pick(T[] a) {
    return a[rnd.nextInt(a.length)];
  }

  Expr str() {
    return new StringLiteral(pick(VALUES), P);
  }

  Expr scalar(int depth) {
    int choice = depth <= 0 ? rnd.nextInt(2) : rnd.nextInt(6);
    return switch (choice) {
      case 0 -> number();
      case 1 -> new Call(Functions.get(rnd.nextBoolean() ? "time" : "pi"), List.of(), P);
      case 2 -> new Call(Functions.get("scalar"), List.of(vector(depth - 1)), P);
      case 3 -> new ParenExpr(scalar(depth - 1), P);
      default -> binary(depth, ExprType.SCALAR);
    };
  }

  private NumberLiteral number() {
    return switch (rnd.nextInt(6)) {
      case 0 -> new NumberLiteral(Double.NaN, P);
      case 1 -> new NumberLiteral(rnd.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY, P);
      case 2 -> new NumberLiteral(rnd.nextInt(2000) - 1000, P);
      case 3 -> new NumberLiteral((rnd.nextInt(100) + 1) * 60, P, true);
      default -> new NumberLiteral(rnd.nextDouble() * Math.pow(10, rnd.nextInt(20) - 10), P);
    };
  }

  Expr vector(int depth) {
    int choice = depth <= 0 ? 0 : rnd.nextInt(7);
    return switch (choice) {
      case 0 -> selector(true);
      case 1 -> call(depth, ExprType.VECTOR);
      case 2 -> aggregate(depth);
      case 3 -> new ParenExpr(vector(depth - 1), P);
      case 4 -> new UnaryExpr(rnd.nextBoolean(), primary(vector(depth - 1)), P);
      default -> binary(depth, ExprType.VECTOR);
    };
  }

  Expr matrix(int depth) {
    if (depth <= 0 || rnd.nextBoolean()) {
      return new MatrixSelector(selector(true), ms(), null, P);
    }
    return subquery(depth);
  }

  private Expr subquery(int depth) {
    Expr inner = primary(vector(depth - 1));
    long step = rnd.nextBoolean() ? 0 : ms();
    return new SubqueryExpr(inner, ms(), null, step, null, rnd.nextInt(3) == 0 ? offset() : 0, null, at(), P);
  }

  /** Wraps anything that is not a primary expression in parentheses, as a parsed query would have them. */
  private static Expr primary(Expr e) {
    return (e instanceof BinaryExpr || e instanceof UnaryExpr || e instanceof NumberLiteral n && n.value() < 0)
        ? new ParenExpr(e, P) : e;
  }

  private long ms() {
    return switch (rnd.nextInt(4)) {
      case 0 -> (rnd.nextInt(59) + 1) * 1000L;
      case 1 -> (rnd.nextInt(600) + 1) * 60_000L;
      case 2 -> rnd.nextInt(100_000) + 1;
      default -> (rnd.nextInt(3) + 1) * 7 * 86_400_000L;
    };
  }

  private long offset() {
    return (rnd.nextBoolean() ? 1 : -1) * ms();
  }

  private At at() {
    return switch (rnd.nextInt(6)) {
      case 0 -> At.START;
      case 1 -> At.END;
      case 2 -> At.time(rnd.nextLong() % 4_000_000_000_000L);
      default -> null;
    };
  }

  VectorSelector selector(boolean modifiers) {
    List<LabelMatcher> ms = new ArrayList<>();
    String name = rnd.nextInt(4) == 0 ? null : pick(NAMES);
    int n = rnd.nextInt(3);
    for (int i = 0; i < n; i++) {
      LabelMatcher.Type t = LabelMatcher.Type.values()[rnd.nextInt(4)];
      String v = t == LabelMatcher.Type.RE || t == LabelMatcher.Type.NRE ? pick(new String[] {".*", "a|b", "x.+"})
          : pick(VALUES);
      ms.add(LabelMatcher.of(t, pick(LABELS), v));
    }
    if (name != null) {
      ms.add(LabelMatcher.eq(Labels.METRIC_NAME, name));
    } else {
      ms.add(LabelMatcher.of(rnd.nextBoolean() ? LabelMatcher.Type.EQ : LabelMatcher.Type.RE, Labels.METRIC_NAME,
          pick(new String[] {"x.y", "up", "a+"})));
    }
    long off = 0;
    DurationExpr offExpr = null;
    if (modifiers && rnd.nextInt(3) == 0) {
      if (rnd.nextBoolean()) {
        off = offset();
      } else {
        offExpr = new DurationExpr.Paren(new DurationExpr.Binary("*", new DurationExpr.Literal(3600, "1h"),
            new DurationExpr.Literal(2, "2")));
        off = 7_200_000;
      }
    }
    return new VectorSelector(name, ms, off, offExpr, modifiers ? at() : null, P);
  }

  private Expr call(int depth, ExprType returns) {
    List<FunctionSignature> fs = FUNCS.stream().filter(f -> f.returnType() == returns).toList();
    FunctionSignature f = fs.get(rnd.nextInt(fs.size()));
    int nargs = f.argTypes().size();
    if (f.variadic() > 0) {
      nargs = nargs - 1 + rnd.nextInt(f.variadic() + 1);
    } else if (f.variadic() < 0) {
      nargs = nargs - 1 + rnd.nextInt(3);
    }
    List<Expr> args = new ArrayList<>();
    for (int i = 0; i < nargs; i++) {
      ExprType t = f.argTypes().get(Math.min(i, f.argTypes().size() - 1));
      args.add(switch (t) {
        case SCALAR -> scalar(depth - 1);
        case STRING -> str();
        case MATRIX -> matrix(depth - 1);
        case VECTOR -> vector(depth - 1);
      });
    }
    return new Call(f, args, P);
  }

  private Expr aggregate(int depth) {
    AggregateOp op = AggregateOp.values()[rnd.nextInt(AggregateOp.values().length)];
    Expr param = null;
    if (op == AggregateOp.COUNT_VALUES) {
      param = str();
    } else if (op.hasParam()) {
      param = scalar(depth - 1);
    }
    List<String> grouping = new ArrayList<>();
    for (int i = rnd.nextInt(3); i > 0; i--) {
      grouping.add(pick(LABELS));
    }
    boolean without = rnd.nextBoolean();
    return new AggregateExpr(op, vector(depth - 1), param, grouping, without, P);
  }

  private Expr binary(int depth, ExprType want) {
    BinaryOp op = BinaryOp.values()[rnd.nextInt(BinaryOp.values().length)];
    boolean bothVector = want == ExprType.VECTOR && (op.isSetOperator() || rnd.nextBoolean());
    Expr lhs;
    Expr rhs;
    if (want == ExprType.SCALAR) {
      if (op.isSetOperator()) {
        op = BinaryOp.ADD;
      }
      lhs = scalar(depth - 1);
      rhs = scalar(depth - 1);
    } else if (bothVector) {
      lhs = vector(depth - 1);
      rhs = vector(depth - 1);
    } else {
      if (op.isSetOperator()) {
        op = BinaryOp.MUL;
      }
      boolean scalarLeft = rnd.nextBoolean();
      lhs = scalarLeft ? scalar(depth - 1) : vector(depth - 1);
      rhs = scalarLeft ? vector(depth - 1) : scalar(depth - 1);
    }
    boolean returnBool = op.isComparison() && (want == ExprType.SCALAR || rnd.nextBoolean());
    VectorMatching vm = null;
    if (bothVector) {
      vm = matching(op);
    }
    return new BinaryExpr(op, operand(lhs, op, true), operand(rhs, op, false), vm, returnBool, P);
  }

  private VectorMatching matching(BinaryOp op) {
    List<String> labels = new ArrayList<>();
    for (int i = rnd.nextInt(3); i > 0; i--) {
      labels.add(pick(LABELS));
    }
    boolean on = rnd.nextBoolean();
    VectorMatching.Cardinality card = op.isSetOperator() ? VectorMatching.Cardinality.MANY_TO_MANY
        : VectorMatching.Cardinality.ONE_TO_ONE;
    List<String> include = List.of();
    if (!op.isSetOperator() && (on || !labels.isEmpty()) && rnd.nextBoolean()) {
      card = rnd.nextBoolean() ? VectorMatching.Cardinality.MANY_TO_ONE : VectorMatching.Cardinality.ONE_TO_MANY;
      include = on ? List.of("extra") : List.of("extra", "job");
    }
    return new VectorMatching(card, labels, on, include);
  }

  /** Parenthesises an operand whose operator binds looser than (or, on the wrong side, as loose as) op. */
  private static Expr operand(Expr e, BinaryOp op, boolean left) {
    if (e instanceof BinaryExpr b) {
      int inner = b.op().precedence();
      boolean needs = inner < op.precedence()
          || (inner == op.precedence() && (op.rightAssociative() ? left : !left))
          || (left && endsWithOffsetExpr(e)); // see below: "a * b offset (1h*2) * -Inf"
      return needs ? new ParenExpr(e, P) : e;
    }
    if (left && endsWithOffsetExpr(e)) {
      // "foo offset (1h*2) - 1" reads the "- 1" as part of the offset, in Prometheus too.
      return new ParenExpr(e, P);
    }
    if (e instanceof UnaryExpr && op.precedence() > BinaryOp.MUL.precedence()) {
      return new ParenExpr(e, P);
    }
    if (e instanceof NumberLiteral n && left && op == BinaryOp.POW && (n.value() < 0 || isNegZero(n.value()))) {
      return new ParenExpr(e, P);
    }
    return e;
  }

  /** Whether the printed form ends in "offset (...)", which would swallow a following + - * / % ^. */
  private static boolean endsWithOffsetExpr(Expr e) {
    if (e instanceof VectorSelector vs) {
      return vs.offsetExpr() != null;
    } else if (e instanceof MatrixSelector m) {
      return m.selector().offsetExpr() != null;
    } else if (e instanceof SubqueryExpr s) {
      return s.offsetExpr() != null;
    } else if (e instanceof UnaryExpr u) {
      return endsWithOffsetExpr(u.expr());
    } else if (e instanceof BinaryExpr b) {
      return endsWithOffsetExpr(b.rhs());
    }
    return false;
  }

  private static boolean isNegZero(double d) {
    return d == 0 && Double.doubleToRawLongBits(d) != 0;
  }
}
