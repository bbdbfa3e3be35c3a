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
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Turns the ANTLR parse tree into the AST records, raising the errors Prometheus raises while parsing
 * (generated_parser.y's actions and parse.go's helpers: offset/@ placement, ranges on non-selectors,
 * unknown functions, aggregation arity, number and duration syntax). Type checking proper (checkAST)
 * runs afterwards in {@link TypeChecker}. Binary expressions leave here with their matching as written
 * (never null); TypeChecker normalises it.
 */
final class AstBuilder extends PromQLBaseVisitor<Expr> {
  private final Source src;

  AstBuilder(Source src) {
    this.src = src;
  }

  private PositionRange pos(ParserRuleContext ctx) {
    return new PositionRange(src.start(ctx.start), src.end(ctx.stop));
  }

  private PositionRange pos(Token t) {
    return new PositionRange(src.start(t), src.end(t));
  }

  @Override
  public Expr visitQuery(PromQL.QueryContext ctx) {
    return visit(ctx.expr());
  }

  @Override
  public Expr visitParenExpr(PromQL.ParenExprContext ctx) {
    return new ParenExpr(visit(ctx.expr()), pos(ctx));
  }

  @Override
  public Expr visitStringExpr(PromQL.StringExprContext ctx) {
    return new StringLiteral(GoStrings.unquote(ctx.STRING().getText()), pos(ctx));
  }

  @Override
  public Expr visitNumberExpr(PromQL.NumberExprContext ctx) {
    Token t = ctx.start;
    return new NumberLiteral(number(t), pos(t), t.getType() == PromQLLexer.DURATION);
  }

  @Override
  public Expr visitUnaryExpr(PromQL.UnaryExprContext ctx) {
    Expr e = visit(ctx.expr());
    boolean negative = ctx.op.getType() == PromQLLexer.SUB;
    PositionRange p = pos(ctx);
    if (e instanceof NumberLiteral n) {
      // Prometheus folds the sign into the literal: "-1" is the number -1, not a unary expression.
      double v = negative ? -n.value() : n.value();
      if (n.duration() && v == 0) {
        v = 0.0; // Prometheus prints -0s as "0s"; keep +0 so that print and parse agree
      }
      return new NumberLiteral(v, p, n.duration());
    }
    return new UnaryExpr(negative, e, p);
  }

  @Override
  public Expr visitBinaryExpr(PromQL.BinaryExprContext ctx) {
    Expr lhs = visit(ctx.expr(0));
    Expr rhs = visit(ctx.expr(1));
    BinaryOp op = binaryOp(ctx.op.getType());
    PromQL.BinModifierContext m = ctx.binModifier();
    boolean returnBool = m.BOOL() != null;
    VectorMatching.Cardinality card = VectorMatching.Cardinality.ONE_TO_ONE;
    List<String> matching = List.of();
    List<String> include = List.of();
    boolean on = false;
    if (m.onOrIgnoring() != null) {
      on = m.onOrIgnoring().ON() != null;
      matching = labels(m.groupingLabels());
      PromQL.GroupModifierContext g = m.groupModifier();
      if (g != null) {
        card = g.GROUP_LEFT() != null ? VectorMatching.Cardinality.MANY_TO_ONE
            : VectorMatching.Cardinality.ONE_TO_MANY;
        include = g.groupingLabels() != null ? labels(g.groupingLabels()) : List.of();
      }
    }
    return new BinaryExpr(op, lhs, rhs, new VectorMatching(card, matching, on, include), returnBool, pos(ctx));
  }

  private static BinaryOp binaryOp(int tokenType) {
    return switch (tokenType) {
      case PromQLLexer.LOR -> BinaryOp.LOR;
      case PromQLLexer.LAND -> BinaryOp.LAND;
      case PromQLLexer.LUNLESS -> BinaryOp.LUNLESS;
      case PromQLLexer.EQLC -> BinaryOp.EQL;
      case PromQLLexer.NEQ -> BinaryOp.NEQ;
      case PromQLLexer.LTE -> BinaryOp.LTE;
      case PromQLLexer.LSS -> BinaryOp.LSS;
      case PromQLLexer.GTE -> BinaryOp.GTE;
      case PromQLLexer.GTR -> BinaryOp.GTR;
      case PromQLLexer.ADD -> BinaryOp.ADD;
      case PromQLLexer.SUB -> BinaryOp.SUB;
      case PromQLLexer.MUL -> BinaryOp.MUL;
      case PromQLLexer.DIV -> BinaryOp.DIV;
      case PromQLLexer.MOD -> BinaryOp.MOD;
      case PromQLLexer.ATAN2 -> BinaryOp.ATAN2;
      case PromQLLexer.POW -> BinaryOp.POW;
      default -> throw new IllegalStateException("operator token " + tokenType);
    };
  }

  // ---- selectors ----

  @Override
  public Expr visitSelectorExpr(PromQL.SelectorExprContext ctx) {
    return selector(ctx.vectorSelector());
  }

  VectorSelector selector(PromQL.VectorSelectorContext ctx) {
    List<LabelMatcher> matchers = new ArrayList<>();
    if (ctx.labelMatchers() != null) {
      for (PromQL.LabelMatcherContext m : ctx.labelMatchers().labelMatcher()) {
        matchers.add(matcher(m));
      }
    }
    String name = null;
    if (ctx.metricIdentifier() != null) {
      name = ctx.metricIdentifier().getText();
      // As in Prometheus, a name written outside the braces is also the last matcher.
      matchers.add(LabelMatcher.eq(Labels.METRIC_NAME, name));
    }
    return new VectorSelector(name, matchers, 0, null, null, pos(ctx));
  }

  private LabelMatcher matcher(PromQL.LabelMatcherContext ctx) {
    if (ctx instanceof PromQL.NameMatchContext n) {
      return LabelMatcher.eq(Labels.METRIC_NAME, GoStrings.unquote(n.STRING().getText()));
    }
    PromQL.LabelMatchContext m = (PromQL.LabelMatchContext) ctx;
    String name = m.IDENTIFIER() != null ? m.IDENTIFIER().getText() : GoStrings.unquote(m.STRING(0).getText());
    String value = GoStrings.unquote(m.STRING(m.STRING().size() - 1).getText());
    LabelMatcher.Type type = switch (m.matchOp().start.getType()) {
      case PromQLLexer.EQL -> LabelMatcher.Type.EQ;
      case PromQLLexer.NEQ -> LabelMatcher.Type.NEQ;
      case PromQLLexer.EQL_REGEX -> LabelMatcher.Type.RE;
      default -> LabelMatcher.Type.NRE;
    };
    try {
      return LabelMatcher.of(type, name, value);
    } catch (IllegalArgumentException e) {
      throw new QueryError(src.start(ctx.start), e.getMessage());
    }
  }

  @Override
  public Expr visitSubscriptExpr(PromQL.SubscriptExprContext ctx) {
    Expr base = visit(ctx.expr());
    DurationFolder.Folded range = duration(ctx.range);
    long rangeMs = range.millis(true);
    DurationExpr rangeExpr = range.tree();
    if (ctx.COLON() == null) {
      String err = null;
      if (!(base instanceof VectorSelector vs)) {
        err = "ranges only allowed for vector selectors";
      } else if (vs.offsetMillis() != 0 || vs.offsetExpr() != null) {
        err = "no offset modifiers allowed before range";
      } else if (vs.at() != null) {
        err = "no @ modifiers allowed before range";
      }
      if (err != null) {
        throw new QueryError(src.start(ctx.LEFT_BRACKET().getSymbol()), err);
      }
      return new MatrixSelector((VectorSelector) base, rangeMs, rangeExpr, pos(ctx));
    }
    long stepMs = 0;
    DurationExpr stepExpr = null;
    if (ctx.step != null) {
      DurationFolder.Folded step = duration(ctx.step);
      stepMs = step.millis(true);
      stepExpr = step.tree();
    }
    return new SubqueryExpr(base, rangeMs, rangeExpr, stepMs, stepExpr, 0, null, null, pos(ctx));
  }

  @Override
  public Expr visitOffsetExpr(PromQL.OffsetExprContext ctx) {
    Expr base = visit(ctx.expr());
    DurationFolder.Folded off;
    if (ctx.offsetValue() instanceof PromQL.OffsetLiteralContext lit) {
      Token num = lit.getStop();
      int start = src.start(lit.getStart());
      boolean negative = lit.sign != null && lit.sign.getType() == PromQLLexer.SUB;
      double v = number(num);
      off = DurationFolder.literal(negative ? -v : v, num.getType() == PromQLLexer.DURATION, start, src.end(num));
    } else {
      off = duration(((PromQL.OffsetDurationContext) ctx.offsetValue()).durationExpr());
    }
    long ms = off.millis(false);
    DurationExpr expr = off.tree();
    PositionRange p = pos(ctx);
    int at = src.start(ctx.start);
    if (base instanceof VectorSelector vs) {
      checkOffsetUnset(vs.offsetMillis(), vs.offsetExpr(), at);
      return new VectorSelector(vs.name(), vs.matchers(), ms, expr, vs.at(), p);
    } else if (base instanceof MatrixSelector m) {
      VectorSelector vs = m.selector();
      checkOffsetUnset(vs.offsetMillis(), vs.offsetExpr(), at);
      VectorSelector inner = new VectorSelector(vs.name(), vs.matchers(), ms, expr, vs.at(), vs.position());
      return new MatrixSelector(inner, m.rangeMillis(), m.rangeExpr(), p);
    } else if (base instanceof SubqueryExpr s) {
      checkOffsetUnset(s.offsetMillis(), s.offsetExpr(), at);
      return new SubqueryExpr(s.expr(), s.rangeMillis(), s.rangeExpr(), s.stepMillis(), s.stepExpr(), ms, expr,
          s.at(), p);
    }
    throw new QueryError(at,
        "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery");
  }

  private static void checkOffsetUnset(long offset, DurationExpr expr, int at) {
    // Prometheus tests "!= 0", so "offset 0s offset 5m" slips through there too.
    if (offset != 0 || expr != null) {
      throw new QueryError(at, "offset may not be set multiple times");
    }
  }

  @Override
  public Expr visitAtExpr(PromQL.AtExprContext ctx) {
    Expr base = visit(ctx.expr());
    int at = src.start(ctx.start);
    At value;
    if (ctx.atValue() instanceof PromQL.AtNumberContext n) {
      double ts = number(n.getStop());
      if (n.sign != null && n.sign.getType() == PromQLLexer.SUB) {
        ts = -ts;
      }
      if (Double.isNaN(ts) || Double.isInfinite(ts) || ts >= 9.223372036854775807e18 || ts <= -9.223372036854775808e18) {
        throw new QueryError(at, "timestamp out of bounds for @ modifier: " + goPercentF(ts));
      }
      value = At.time(roundHalfAwayFromZero(ts * 1000));
    } else {
      value = ((PromQL.AtStartEndContext) ctx.atValue()).START() != null ? At.START : At.END;
    }
    PositionRange p = pos(ctx);
    String twice = "@ <timestamp> may not be set multiple times";
    if (base instanceof VectorSelector vs) {
      if (vs.at() != null) {
        throw new QueryError(at, twice);
      }
      return new VectorSelector(vs.name(), vs.matchers(), vs.offsetMillis(), vs.offsetExpr(), value, p);
    } else if (base instanceof MatrixSelector m) {
      VectorSelector vs = m.selector();
      if (vs.at() != null) {
        throw new QueryError(at, twice);
      }
      VectorSelector inner = new VectorSelector(vs.name(), vs.matchers(), vs.offsetMillis(), vs.offsetExpr(), value,
          vs.position());
      return new MatrixSelector(inner, m.rangeMillis(), m.rangeExpr(), p);
    } else if (base instanceof SubqueryExpr s) {
      if (s.at() != null) {
        throw new QueryError(at, twice);
      }
      return new SubqueryExpr(s.expr(), s.rangeMillis(), s.rangeExpr(), s.stepMillis(), s.stepExpr(), s.offsetMillis(),
          s.offsetExpr(), value, p);
    }
    throw new QueryError(at,
        "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery");
  }

  static long roundHalfAwayFromZero(double v) {
    return (long) (v < 0 ? -Math.floor(-v + 0.5) : Math.floor(v + 0.5));
  }

  /** Go's %f: six decimals; infinities as +Inf/-Inf. */
  private static String goPercentF(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return new java.math.BigDecimal(v).setScale(6, java.math.RoundingMode.HALF_EVEN).toPlainString();
  }

  // ---- durations ----

  DurationFolder.Folded duration(PromQL.DurationExprContext ctx) {
    if (ctx instanceof PromQL.DurationLiteralContext lit) {
      Token t = lit.start;
      return DurationFolder.literal(number(t), t.getType() == PromQLLexer.DURATION, src.start(t), src.end(t));
    } else if (ctx instanceof PromQL.DurationParenContext p) {
      return DurationFolder.paren(duration(p.durationExpr()), src.start(p.start), src.end(p.stop));
    } else if (ctx instanceof PromQL.DurationUnaryContext u) {
      return DurationFolder.unary(u.op.getType() == PromQLLexer.SUB, duration(u.durationExpr()), src.start(u.start));
    }
    PromQL.DurationBinaryContext b = (PromQL.DurationBinaryContext) ctx;
    DurationFolder.Folded l = duration(b.durationExpr(0));
    DurationFolder.Folded r = duration(b.durationExpr(1));
    return DurationFolder.binary(b.op.getText(), l, r, src.start(b.op));
  }

  // ---- numbers ----

  /** A NUMBER or DURATION token's value in seconds (parse.go: number / parseDuration). */
  double number(Token t) {
    String text = t.getText();
    try {
      if (t.getType() == PromQLLexer.DURATION) {
        return Durations.parse(text) / 1000.0;
      }
      return Numbers.parse(text);
    } catch (IllegalArgumentException e) {
      throw new QueryError(src.start(t), e.getMessage());
    }
  }

  // ---- calls and aggregations ----

  @Override
  public Expr visitCallExpr(PromQL.CallExprContext ctx) {
    PromQL.FunctionCallContext call = ctx.functionCall();
    List<Expr> args = args(call.functionArgs());
    Token name = call.IDENTIFIER().getSymbol();
    FunctionSignature fn = Functions.get(name.getText());
    if (fn == null) {
      throw new QueryError(src.start(name), "unknown function with name " + GoStrings.quote(name.getText()));
    }
    return new Call(fn, args, pos(ctx));
  }

  private List<Expr> args(PromQL.FunctionArgsContext ctx) {
    List<Expr> args = new ArrayList<>(ctx.expr().size());
    for (PromQL.ExprContext e : ctx.expr()) {
      args.add(visit(e));
    }
    if (ctx.trailing != null) {
      throw new QueryError(src.start(ctx.trailing), "trailing commas not allowed in function call args");
    }
    return args;
  }

  @Override
  public Expr visitAggregationExpr(PromQL.AggregationExprContext ctx) {
    PromQL.AggregationContext agg = ctx.aggregation();
    AggregateOp op = AggregateOp.fromKeyword(agg.aggregateOp().getText());
    List<Expr> args = args(agg.functionArgs());
    List<String> grouping = List.of();
    boolean without = false;
    if (agg.grouping() != null) {
      grouping = labels(agg.grouping().groupingLabels());
      without = agg.grouping().WITHOUT() != null;
    }
    int start = src.start(agg.start);
    if (args.isEmpty()) {
      throw new QueryError(start, "no arguments for aggregate expression provided");
    }
    int want = op.hasParam() ? 2 : 1;
    if (args.size() != want) {
      throw new QueryError(start, "wrong number of arguments for aggregate expression provided, expected " + want
          + ", got " + args.size());
    }
    Expr param = op.hasParam() ? args.get(0) : null;
    return new AggregateExpr(op, args.get(want - 1), param, grouping, without, pos(ctx));
  }

  private List<String> labels(PromQL.GroupingLabelsContext ctx) {
    List<String> out = new ArrayList<>(ctx.groupingLabel().size());
    for (PromQL.GroupingLabelContext l : ctx.groupingLabel()) {
      TerminalNode s = l.STRING();
      String name = s != null ? GoStrings.unquote(s.getText()) : l.getText();
      if (name.isEmpty()) {
        throw new QueryError(src.start(l.start), "invalid label name for grouping: " + GoStrings.quote(name));
      }
      out.add(name);
    }
    return out;
  }
}
