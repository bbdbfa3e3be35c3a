package io.promgate.promql.parser;

import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;

/**
 * Stops the parse at the first syntax error and words it like Prometheus' yacc parser does
 * ("unexpected &lt;op:+&gt; in label matching, expected string"), describing the offending token like
 * lex.go's Item.desc().
 */
final class SyntaxErrors extends BaseErrorListener {
  private final Source src;

  SyntaxErrors(Source src) {
    this.src = src;
  }

  @Override
  public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int col, String antlrMsg,
      RecognitionException e) {
    Token t = (Token) offendingSymbol;
    Parser parser = (Parser) recognizer;
    int prev = -1;
    if (t.getTokenIndex() > 0) {
      prev = parser.getInputStream().get(t.getTokenIndex() - 1).getType();
    }
    String context = context(parser.getContext(), prev);
    throw new QueryError(src.start(t), "unexpected " + describe(t) + context);
  }

  /** The "in X, expected Y" part, chosen as generated_parser.y's error rules would from the previous token. */
  private static String context(ParserRuleContext ctx, int prev) {
    if (ctx == null) {
      return "";
    }
    switch (ctx.getRuleIndex()) {
      case PromQL.RULE_labelMatchers, PromQL.RULE_labelMatcher, PromQL.RULE_matchOp:
        return switch (prev) {
          case PromQLLexer.LEFT_BRACE, PromQLLexer.COMMA -> " in label matching, expected identifier or \"}\"";
          case PromQLLexer.IDENTIFIER -> " in label matching, expected label matching operator";
          case PromQLLexer.EQL, PromQLLexer.NEQ, PromQLLexer.EQL_REGEX, PromQLLexer.NEQ_REGEX ->
              " in label matching, expected string";
          default -> " in label matching, expected \",\" or \"}\"";
        };
      case PromQL.RULE_grouping, PromQL.RULE_groupingLabels, PromQL.RULE_groupingLabel, PromQL.RULE_maybeLabel,
          PromQL.RULE_binModifier, PromQL.RULE_onOrIgnoring, PromQL.RULE_groupModifier:
        return switch (prev) {
          case PromQLLexer.LEFT_PAREN, PromQLLexer.COMMA -> " in grouping opts, expected label";
          case PromQLLexer.BY, PromQLLexer.WITHOUT, PromQLLexer.ON, PromQLLexer.IGNORING ->
              " in grouping opts, expected \"(\"";
          default -> ctx.getRuleIndex() == PromQL.RULE_binModifier ? "" : " in grouping opts, expected \",\" or \")\"";
        };
      case PromQL.RULE_offsetValue:
        return " in offset, expected number or duration";
      case PromQL.RULE_atValue:
        return " in @, expected timestamp";
      case PromQL.RULE_aggregation:
        return " in aggregation";
      case PromQL.RULE_functionArgs:
        // yacc's error recovery pops back to the nearest rule with an error production; inside an
        // aggregation's arguments that is "aggregate_op error".
        for (ParserRuleContext p = ctx.getParent(); p != null; p = p.getParent()) {
          if (p.getRuleIndex() == PromQL.RULE_aggregation) {
            return " in aggregation";
          }
        }
        return "";
      case PromQL.RULE_durationExpr, PromQL.RULE_expr:
        if (!(ctx instanceof PromQL.SubscriptExprContext) && !(ctx instanceof PromQL.DurationExprContext)) {
          return "";
        }
        return switch (prev) {
          case PromQLLexer.LEFT_BRACKET -> " in subquery selector, expected number or duration";
          case PromQLLexer.COLON -> " in subquery selector, expected number or duration or \"]\"";
          default -> ctx instanceof PromQL.SubscriptExprContext s && s.COLON() != null
              ? " in subquery selector, expected \"]\"" : " in subquery or range, expected \":\" or \"]\"";
        };
      default:
        return "";
    }
  }

  /** lex.go Item.desc(). */
  static String describe(Token t) {
    String v = t.getText();
    return switch (t.getType()) {
      case Token.EOF -> "end of input";
      case PromQLLexer.IDENTIFIER -> "identifier " + GoStrings.quote(v);
      case PromQLLexer.METRIC_IDENTIFIER -> "metric identifier " + GoStrings.quote(v);
      case PromQLLexer.NUMBER -> "number " + shortQuote(v);
      case PromQLLexer.DURATION -> "duration " + shortQuote(v);
      case PromQLLexer.STRING -> "string " + shortQuote(v);
      case PromQLLexer.BOOL, PromQLLexer.BY, PromQLLexer.GROUP_LEFT, PromQLLexer.GROUP_RIGHT, PromQLLexer.IGNORING,
          PromQLLexer.OFFSET, PromQLLexer.ON, PromQLLexer.WITHOUT -> "<" + v + ">";
      case PromQLLexer.ADD, PromQLLexer.SUB, PromQLLexer.MUL, PromQLLexer.DIV, PromQLLexer.MOD, PromQLLexer.POW,
          PromQLLexer.EQLC, PromQLLexer.NEQ, PromQLLexer.LTE, PromQLLexer.LSS, PromQLLexer.GTE, PromQLLexer.GTR,
          PromQLLexer.EQL_REGEX, PromQLLexer.NEQ_REGEX, PromQLLexer.LAND, PromQLLexer.LOR, PromQLLexer.LUNLESS,
          PromQLLexer.AT, PromQLLexer.ATAN2 -> "<op:" + v + ">";
      case PromQLLexer.SUM, PromQLLexer.AVG, PromQLLexer.COUNT, PromQLLexer.MIN, PromQLLexer.MAX, PromQLLexer.GROUP,
          PromQLLexer.STDDEV, PromQLLexer.STDVAR, PromQLLexer.TOPK, PromQLLexer.BOTTOMK, PromQLLexer.COUNT_VALUES,
          PromQLLexer.QUANTILE, PromQLLexer.LIMITK, PromQLLexer.LIMIT_RATIO -> "<aggr:" + v + ">";
      default -> GoStrings.quote(v);
    };
  }

  /** Go's {@code %.10q...} for long values, {@code %q} otherwise. */
  private static String shortQuote(String v) {
    if (v.length() > 10) {
      return GoStrings.quote(v.substring(0, v.offsetByCodePoints(0, Math.min(10, v.codePointCount(0, v.length())))))
          + "...";
    }
    return GoStrings.quote(v);
  }
}
