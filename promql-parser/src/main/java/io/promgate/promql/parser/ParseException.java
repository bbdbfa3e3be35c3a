package io.promgate.promql.parser;

/**
 * A query that does not parse or does not type-check. {@link #getMessage()} is Prometheus' error text,
 * e.g. {@code 1:8: parse error: unexpected end of input}; {@link #detail()} is the part after
 * "parse error: ". Line and column are 1-based; like Prometheus the column counts UTF-8 bytes.
 */
public final class ParseException extends RuntimeException {
  private final int line;
  private final int column;
  private final int position;
  private final String detail;

  ParseException(int line, int column, int position, String detail) {
    super(line + ":" + column + ": parse error: " + detail, null, false, false);
    this.line = line;
    this.column = column;
    this.position = position;
    this.detail = detail;
  }

  /** 1-based line of the error's start. */
  public int line() {
    return line;
  }

  /** 1-based column (in UTF-8 bytes, as Prometheus counts) of the error's start. */
  public int column() {
    return column;
  }

  /** 0-based character offset of the error's start in the query. */
  public int position() {
    return position;
  }

  /** The message without the position prefix, e.g. {@code unexpected end of input}. */
  public String detail() {
    return detail;
  }
}
