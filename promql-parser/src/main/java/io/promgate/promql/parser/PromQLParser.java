package io.promgate.promql.parser;

import io.promgate.model.LabelMatcher;
import io.promgate.promql.ast.Expr;
import io.promgate.promql.ast.VectorSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * Entry point: PromQL text to AST, with Prometheus 3.5's syntax, semantics and error messages.
 * Experimental functions and duration expressions are always enabled (promgate evaluates them).
 *
 * <p>How a query is read: the ANTLR lexer produces every token (bad input becomes error tokens);
 * {@link LexicalCheck} finds the first lexical error, and, as Prometheus' lexer ends the input at its
 * first error, the parser sees the tokens before it followed by end of input. Parsing runs in ANTLR's
 * fast SLL mode and falls back to full LL only for input SLL rejects. {@link AstBuilder} builds records
 * and raises parse-time semantic errors; {@link TypeChecker} then does Prometheus' checkAST.
 * Only {@link ParseException} ever escapes.
 */
public final class PromQLParser {
  private PromQLParser() {
  }

  /** Parses and type-checks an expression. */
  public static Expr parse(String query) {
    return DeepStack.run(() -> {
      Source src = new Source(query);
      return run(src, p -> p.query(), tree -> TypeChecker.check(new AstBuilder(src).visit(tree), src));
    });
  }

  /**
   * Parses a series selector as used by {@code match[]} parameters ({@code up{job="x"}}, {@code {"a.b"}}),
   * returning its matchers (the name matcher last when a name is written). Like Prometheus'
   * ParseMetricSelector this does not demand a non-empty matcher; callers decide.
   */
  public static List<LabelMatcher> parseMetricSelector(String selector) {
    Source src = new Source(selector);
    VectorSelector vs = run(src, p -> p.metricSelector(),
        tree -> new AstBuilder(src).selector(((PromQL.MetricSelectorContext) tree).vectorSelector()));
    return vs.matchers();
  }

  /**
   * Parses a duration as written in a range ({@code 5m}, {@code 1h30m}, {@code 1.5} seconds, or a
   * duration expression such as {@code 5m+1m}).
   *
   * @return milliseconds
   */
  public static long parseDuration(String duration) {
    Source src = new Source(duration);
    return run(src, p -> p.durationOnly(),
        tree -> new AstBuilder(src).duration(((PromQL.DurationOnlyContext) tree).durationExpr()).millis(false));
  }

  private static <T> T run(Source src, Function<PromQL, org.antlr.v4.runtime.ParserRuleContext> rule,
      Function<org.antlr.v4.runtime.ParserRuleContext, T> build) {
    try {
      PromQLLexer lexer = new PromQLLexer(CharStreams.fromString(src.text));
      lexer.removeErrorListeners();
      List<? extends Token> all = lexer.getAllTokens();
      List<Token> tokens = new ArrayList<>(all.size() + 1);
      tokens.addAll(all);
      tokens.add(eof(src.text.length(), lexer));
      QueryError lexical = LexicalCheck.firstError(tokens, src);
      if (lexical != null) {
        // Prometheus' lexer ends the token stream at its first error.
        int cut = 0;
        while (cut < tokens.size() && src.start(tokens.get(cut)) < lexical.cut) {
          cut++;
        }
        tokens = new ArrayList<>(tokens.subList(0, cut));
        tokens.add(eof(lexical.cut, lexer));
      }
      if (tokens.size() == 1 && lexical == null) {
        throw new QueryError(0, "no expression found in input");
      }
      org.antlr.v4.runtime.ParserRuleContext tree;
      try {
        tree = parseTree(tokens, rule, src, true);
      } catch (QueryError syntax) {
        if (lexical != null && syntax.position >= lexical.cut) {
          throw lexical;
        }
        throw syntax;
      }
      if (lexical != null) {
        throw lexical;
      }
      return build.apply(tree);
    } catch (QueryError e) {
      throw QueryError.toParseException(src.text, e.position, e.getMessage());
    } catch (ParseException | StackOverflowError e) {
      throw e; // DeepStack retries a stack overflow with a bigger stack
    } catch (RuntimeException e) {
      // Never let an internal failure escape as anything but a parse error.
      throw QueryError.toParseException(src.text, 0, "unexpected error: " + e);
    }
  }

  private static Token eof(int charPos, PromQLLexer lexer) {
    CommonToken t = new CommonToken(Token.EOF, "<EOF>");
    t.setStartIndex(charPos);
    t.setStopIndex(charPos - 1);
    return t;
  }

  private static org.antlr.v4.runtime.ParserRuleContext parseTree(List<Token> tokens,
      Function<PromQL, org.antlr.v4.runtime.ParserRuleContext> rule, Source src, boolean sllFirst) {
    PromQL parser = new PromQL(new CommonTokenStream(new ListTokenSource(tokens)));
    parser.removeErrorListeners();
    parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
    parser.setErrorHandler(new BailErrorStrategy());
    try {
      return rule.apply(parser);
    } catch (ParseCancellationException sllFailed) {
      parser = new PromQL(new CommonTokenStream(new ListTokenSource(tokens)));
      parser.removeErrorListeners();
      parser.addErrorListener(new SyntaxErrors(src));
      parser.setErrorHandler(new DefaultErrorStrategy());
      parser.getInterpreter().setPredictionMode(PredictionMode.LL);
      return rule.apply(parser);
    }
  }
}
