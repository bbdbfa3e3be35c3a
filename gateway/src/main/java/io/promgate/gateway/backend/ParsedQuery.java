package io.promgate.gateway.backend;

import io.promgate.promql.ast.Expr;
import io.promgate.promql.parser.ParseException;
import io.promgate.promql.parser.PromQLParser;
import java.util.function.Function;

/**
 * A request's {@code query} text parsed at most once, however many stages read it: the edge's
 * {@code max-query-range} check, the results cache's key, the federation, {@code parse_query}. Parsing is
 * one of the costlier steps of a small query, and each stage parsing on its own doubled it.
 *
 * <p>The answer (expression or {@link ParseException}) is remembered together with its text, so a holder
 * passed on to a derived request (the cache's sub-range requests of the same query) never answers for a
 * different text: another text is parsed afresh. Two threads racing may both parse; neither sees a wrong
 * answer. A holder is a cache, not data: all holders are equal, so {@link ApiRequest}'s equality stays
 * that of its fields.
 */
public final class ParsedQuery {
  private record Parsed(String text, Expr expr, ParseException error) {}

  private final Function<String, Expr> parser;
  private volatile Parsed last;

  public ParsedQuery() {
    this(PromQLParser::parse);
  }

  /** With another parser (tests count the parses). */
  public ParsedQuery(Function<String, Expr> parser) {
    this.parser = parser;
  }

  /** {@code text} parsed, or the parser's {@link ParseException} for it. */
  public Expr expr(String text) {
    Parsed p = last;
    if (p == null || !p.text().equals(text)) {
      try {
        p = new Parsed(text, parser.apply(text), null);
      } catch (ParseException e) {
        p = new Parsed(text, null, e);
      }
      last = p;
    }
    if (p.error() != null) {
      throw p.error();
    }
    return p.expr();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParsedQuery;
  }

  @Override
  public int hashCode() {
    return 0;
  }

  @Override
  public String toString() {
    Parsed p = last;
    return p == null ? "ParsedQuery[]" : "ParsedQuery[" + p.text() + "]";
  }
}
