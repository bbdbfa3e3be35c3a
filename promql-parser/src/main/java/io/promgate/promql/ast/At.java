package io.promgate.promql.ast;

/**
 * The {@code @} modifier: a fixed time ({@code @ 1609746000}), or the query's {@code start()} / {@code end()}.
 *
 * @param millis the fixed timestamp in ms, meaningful only for {@link Kind#TIME}
 */
public record At(Kind kind, long millis) {
  public enum Kind {
    TIME, START, END
  }

  public static At time(long millis) {
    return new At(Kind.TIME, millis);
  }

  public static final At START = new At(Kind.START, 0);
  public static final At END = new At(Kind.END, 0);

  /** The timestamp this modifier pins evaluation to, given the query's start and end. */
  public long resolve(long queryStart, long queryEnd) {
    return switch (kind) {
      case TIME -> millis;
      case START -> queryStart;
      case END -> queryEnd;
    };
  }
}
