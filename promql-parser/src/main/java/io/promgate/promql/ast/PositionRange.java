package io.promgate.promql.ast;

/**
 * Character offsets [start, end) of a node in the query text, for error messages.
 *
 * <p>Positions never take part in AST equality: every PositionRange equals every other, so that
 * {@code parse(print(ast)).equals(ast)} compares structure only, and records stay plain records.
 */
public record PositionRange(int start, int end) {
  public static final PositionRange NONE = new PositionRange(-1, -1);

  @Override
  public boolean equals(Object o) {
    return o instanceof PositionRange;
  }

  @Override
  public int hashCode() {
    return 0;
  }
}
