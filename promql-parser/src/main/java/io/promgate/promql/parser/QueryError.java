package io.promgate.promql.parser;

/**
 * Internal: an error at a character offset, turned into a {@link ParseException} (with line and column)
 * by {@link PromQLParser}. Cheap to throw: no stack trace.
 */
final class QueryError extends RuntimeException {
  final int position;
  /** For lexical errors: where Prometheus' lexer stopped reading (the bad token's start). */
  final int cut;

  QueryError(int position, String message) {
    this(position, position, message);
  }

  QueryError(int position, int cut, String message) {
    super(message, null, false, false);
    this.position = position;
    this.cut = cut;
  }

  static ParseException toParseException(String query, int position, String message) {
    if (position < 0 || position > query.length()) {
      position = 0;
    }
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < position; i++) {
      if (query.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    int column = utf8Length(query, lineStart, position) + 1;
    return new ParseException(line, column, position, message);
  }

  private static int utf8Length(String s, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
