package io.promgate.promql.parser;

/**
 * Go's string quoting rules, which PromQL inherits: {@code unquote} interprets a single-, double- or
 * back-quoted literal like Prometheus' strutil.Unquote (Go escapes: \a \b \f \n \r \t \v \\ \' \" \ooo
 * \xhh \\uhhhh \Uhhhhhhhh); {@code quote} prints like Go's strconv.Quote / %q, which is how Prometheus
 * prints strings, label values and non-legacy names.
 */
final class GoStrings {
  private GoStrings() {
  }

  /** Thrown with the message Prometheus' lexer gives for a bad escape. */
  static final class EscapeException extends RuntimeException {
    EscapeException(String message) {
      super(message, null, false, false);
    }
  }

  static String unquote(String s) {
    char quote = s.charAt(0);
    String body = s.substring(1, s.length() - 1);
    if (quote == '`' || body.indexOf('\\') < 0) {
      return body;
    }
    StringBuilder sb = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); ) {
      char c = body.charAt(i);
      if (c != '\\') {
        sb.append(c);
        i++;
        continue;
      }
      if (i + 1 >= body.length()) {
        throw new EscapeException("escape sequence not terminated");
      }
      char e = body.charAt(i + 1);
      i += 2;
      switch (e) {
        case 'a' -> sb.append('\u0007');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'v' -> sb.append('\u000b');
        case '\\' -> sb.append('\\');
        case '0', '1', '2', '3', '4', '5', '6', '7' -> {
          int v = digits(body, i - 1, 3, 8);
          if (v > 255) {
            throw new EscapeException("escape sequence is an invalid Unicode code point");
          }
          i = appendBytes(body, i + 2, v, sb);
        }
        case 'x' -> {
          int v = digits(body, i, 2, 16);
          i = appendBytes(body, i + 2, v, sb);
        }
        case 'u', 'U' -> {
          int n = e == 'u' ? 4 : 8;
          int v = digits(body, i, n, 16);
          if (v < 0 || v > Character.MAX_CODE_POINT || (v >= 0xD800 && v < 0xE000)) {
            throw new EscapeException("escape sequence is an invalid Unicode code point");
          }
          sb.appendCodePoint(v);
          i += n;
        }
        default -> {
          if (e == quote) {
            sb.append(e);
          } else {
            throw new EscapeException("unknown escape sequence " + runeU(body.codePointAt(i - 1)));
          }
        }
      }
    }
    return sb.toString();
  }

  /**
   * \ooo and \xhh are bytes in Go. A run of them is decoded as UTF-8 ("\xc3\xa9" is "é"); bytes that
   * are not valid UTF-8 become U+FFFD, since a Java string cannot hold them (Prometheus keeps the raw
   * byte and later rejects such a label name as invalid UTF-8).
   *
   * @return the index after the run
   */
  private static int appendBytes(String body, int next, int first, StringBuilder sb) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    bytes.write(first);
    int i = next;
    while (i + 1 < body.length() && body.charAt(i) == '\\') {
      char e = body.charAt(i + 1);
      if (e == 'x') {
        bytes.write(digits(body, i + 2, 2, 16));
        i += 4;
      } else if (e >= '0' && e <= '7') {
        int v = digits(body, i + 1, 3, 8);
        if (v > 255) {
          throw new EscapeException("escape sequence is an invalid Unicode code point");
        }
        bytes.write(v);
        i += 4;
      } else {
        break;
      }
    }
    sb.append(new String(bytes.toByteArray(), java.nio.charset.StandardCharsets.UTF_8));
    return i;
  }

  private static int digits(String s, int from, int n, int base) {
    long v = 0;
    for (int k = 0; k < n; k++) {
      if (from + k >= s.length()) {
        throw new EscapeException("escape sequence not terminated");
      }
      int d = Character.digit(s.charAt(from + k), 16);
      if (d < 0 || d >= base) {
        throw new EscapeException("illegal character " + runeU(s.codePointAt(from + k)) + " in escape sequence");
      }
      v = v * base + d;
    }
    return v > Integer.MAX_VALUE ? -1 : (int) v;
  }

  /** Go's %#U: {@code U+0071 'q'}. */
  static String runeU(int cp) {
    String hex = String.format("U+%04X", cp);
    return isPrint(cp) ? hex + " '" + new String(Character.toChars(cp)) + "'" : hex;
  }

  /** Go's %q of a rune: {@code 'x'}, {@code '\n'}, {@code '\x00'}. */
  static String quoteRune(int cp) {
    if (cp == '\'') {
      return "'\\''";
    }
    if (cp == '"') {
      return "'\"'";
    }
    StringBuilder sb = new StringBuilder("'");
    appendEscaped(sb, cp, '\'');
    return sb.append('\'').toString();
  }

  /** Go's strconv.Quote. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      appendEscaped(sb, cp, '"');
    }
    return sb.append('"').toString();
  }

  private static void appendEscaped(StringBuilder sb, int cp, char quote) {
    if (cp == quote || cp == '\\') {
      sb.append('\\').appendCodePoint(cp);
      return;
    }
    if (isPrint(cp)) {
      sb.appendCodePoint(cp);
      return;
    }
    switch (cp) {
      case 7 -> sb.append("\\a");
      case '\b' -> sb.append("\\b");
      case '\f' -> sb.append("\\f");
      case '\n' -> sb.append("\\n");
      case '\r' -> sb.append("\\r");
      case '\t' -> sb.append("\\t");
      case 11 -> sb.append("\\v");
      default -> {
        if (cp < ' ' || cp == 0x7f) {
          sb.append(String.format("\\x%02x", cp));
        } else if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
          sb.append("\\ufffd");
        } else if (cp <= 0xFFFF) {
          sb.append(String.format("\\u%04x", cp));
        } else {
          sb.append(String.format("\\U%08x", cp));
        }
      }
    }
  }

  /** Approximates Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and ASCII space. */
  static boolean isPrint(int cp) {
    if (cp < 0x80) {
      return cp >= 0x20 && cp < 0x7f;
    }
    return switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
          Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
          Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
          Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
      default -> false;
    };
  }

  /** Names Prometheus prints unquoted: [a-zA-Z_][a-zA-Z0-9_]* (labels.Matcher.shouldQuoteName). */
  static boolean isLegacyLabelName(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Legacy metric names additionally allow ':' (model.IsValidLegacyMetricName). */
  static boolean isLegacyMetricName(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
          || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
