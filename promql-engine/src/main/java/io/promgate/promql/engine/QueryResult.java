package io.promgate.promql.engine;

import java.util.List;

/** A successful evaluation: the value and Prometheus' annotations, already rendered as text. */
public record QueryResult(Value value, List<String> warnings, List<String> infos) {
  public QueryResult {
    warnings = List.copyOf(warnings);
    infos = List.copyOf(infos);
  }
}
