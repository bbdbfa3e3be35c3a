package io.promgate.promql.parser;

/**
 * Turns an AST position (a char offset into the query) into Prometheus' {@code line:column} text, as used
 * in parse errors and in annotations ("PromQL warning: ... (1:6)"): lines and columns are 1-based and
 * the column counts UTF-8 bytes, like Prometheus' PositionRange.StartPosInput.
 */
public final class Positions {
  private Positions() {
  }

  /** {@code "line:column"}, or Prometheus' "unknown position" / "invalid position". */
  public static String lineColumn(String query, int charOffset) {
    if (query.isEmpty()) {
      return "unknown position";
    }
    if (charOffset < 0 || charOffset > query.length()) {
      return "invalid position";
    }
    ParseException at = QueryError.toParseException(query, charOffset, "");
    return at.line() + ":" + at.column();
  }
}
