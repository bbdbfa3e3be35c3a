package io.promgate.promql.parser;

import java.util.List;
import org.antlr.v4.runtime.Token;

/**
 * Finds the first lexical error in a token list, with the message Prometheus' lexer (lex.go) gives.
 * The ANTLR lexer never fails: malformed input becomes ERR_* tokens, and the nesting checks Prometheus'
 * lexer does as it goes (paren depth, open braces and brackets) are replayed here.
 */
final class LexicalCheck {
  private LexicalCheck() {
  }

  /** @return the first error, or null */
  static QueryError firstError(List<? extends Token> tokens, Source src) {
    int parenDepth = 0;
    boolean inBraces = false;
    boolean inBracket = false;
    boolean durationInBracket = false;
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      int pos = src.start(t);
      String text = t.getText();
      String msg = switch (t.getType()) {
        case PromQLLexer.ERR_CHAR -> "unexpected character: " + GoStrings.quoteRune(text.codePointAt(0));
        case PromQLLexer.ERR_EQL_TILDE -> "unexpected character after '=': '~'";
        case PromQLLexer.ERR_BANG -> "unexpected character after '!': " + nextRune(src, t);
        case PromQLLexer.ERR_RIGHT_BRACKET -> "unexpected right bracket ']'";
        case PromQLLexer.ERR_BRACE_BANG -> "unexpected character after '!' inside braces: " + nextRune(src, t);
        case PromQLLexer.ERR_BRACE_LEFT -> "unexpected left brace '{'";
        case PromQLLexer.ERR_BRACE_CHAR -> "unexpected character inside braces: "
            + GoStrings.quoteRune(text.codePointAt(0));
        case PromQLLexer.ERR_BRACKET_LEFT -> "unexpected left bracket '['";
        case PromQLLexer.ERR_BRACKET_CHAR -> "unexpected character in duration expression: "
            + GoStrings.quoteRune(text.codePointAt(0));
        case PromQLLexer.ERR_NUMBER -> GoNumberScan.message(src.text, pos, text);
        case PromQLLexer.ERR_STRING -> src.end(t) == src.text.length() && endsWithOpenEscape(text)
            ? "escape sequence not terminated" : "unterminated quoted string";
        case PromQLLexer.ERR_RAW -> "unterminated raw string";
        case PromQLLexer.STRING -> escapeError(text);
        case PromQLLexer.LEFT_PAREN -> {
          parenDepth++;
          yield null;
        }
        case PromQLLexer.RIGHT_PAREN -> {
          // Prometheus' lexer emits the ')' first, so the error starts after it.
          pos = src.end(t);
          yield --parenDepth < 0 ? "unexpected right parenthesis ')'" : null;
        }
        case PromQLLexer.LEFT_BRACE -> {
          inBraces = true;
          yield null;
        }
        case PromQLLexer.RIGHT_BRACE -> {
          inBraces = false;
          yield null;
        }
        case PromQLLexer.LEFT_BRACKET -> {
          inBracket = true;
          durationInBracket = false;
          yield null;
        }
        case PromQLLexer.RIGHT_BRACKET -> {
          inBracket = false;
          yield null;
        }
        case PromQLLexer.NUMBER, PromQLLexer.DURATION -> {
          durationInBracket |= inBracket;
          yield null;
        }
        case PromQLLexer.COLON -> durationInBracket ? null
            : "unexpected colon before duration in duration expression";
        case Token.EOF -> {
          if (inBraces) {
            yield "unexpected end of input inside braces";
          } else if (inBracket && !durationInBracket) {
            yield "unexpected end of input in duration expression";
          } else if (parenDepth != 0) {
            yield "unclosed left parenthesis";
          } else if (inBracket) {
            yield "unclosed left bracket";
          }
          yield null;
        }
        default -> null;
      };
      if (msg != null) {
        return new QueryError(pos, src.start(t), msg);
      }
    }
    return null;
  }

  private static boolean endsWithOpenEscape(String text) {
    int n = 0;
    for (int i = text.length() - 1; i >= 0 && text.charAt(i) == '\\'; i--) {
      n++;
    }
    return n % 2 == 1;
  }

  private static String escapeError(String text) {
    try {
      GoStrings.unquote(text);
      return null;
    } catch (GoStrings.EscapeException e) {
      return e.getMessage();
    }
  }

  private static String nextRune(Source src, Token t) {
    int after = src.end(t);
    // Go's %q of the eof rune (-1) is the replacement character.
    return after < src.text.length() ? GoStrings.quoteRune(src.text.codePointAt(after)) : "'\ufffd'";
  }
}
