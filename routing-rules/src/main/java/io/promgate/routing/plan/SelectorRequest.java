package io.promgate.routing.plan;

import io.promgate.model.LabelMatcher;
import java.util.List;

/**
 * One selector of a query with the absolute data range it reads (range, offset, {@code @}, subqueries and
 * lookback already applied by the caller), both ends inclusive, in milliseconds. Also used for
 * {@code match[]} of the metadata endpoints.
 */
public record SelectorRequest(List<LabelMatcher> matchers, long startMs, long endMs) {
  public SelectorRequest {
    matchers = List.copyOf(matchers);
    if (endMs < startMs) {
      throw new IllegalArgumentException("selector range ends before it starts: " + startMs + " > " + endMs);
    }
  }

  @Override
  public String toString() {
    return matchers + "[" + startMs + ", " + endMs + "]";
  }
}
