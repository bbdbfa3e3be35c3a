package io.promgate.promql.ast;

import java.util.List;

/**
 * How the two sides of a vector/vector binary operation are matched.
 *
 * @param on true for {@code on(...)}, false for {@code ignoring(...)} or no clause
 * @param matchingLabels the labels of on/ignoring
 * @param include the extra labels of group_left/group_right
 */
public record VectorMatching(Cardinality cardinality, List<String> matchingLabels, boolean on, List<String> include) {
  public enum Cardinality {
    ONE_TO_ONE, MANY_TO_ONE, ONE_TO_MANY, MANY_TO_MANY
  }

  public VectorMatching {
    matchingLabels = List.copyOf(matchingLabels);
    include = List.copyOf(include);
  }
}
