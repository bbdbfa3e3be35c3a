package io.promgate.promql.analysis;

import io.promgate.promql.ast.VectorSelector;

/**
 * A selector and the raw data it reads: samples with timestamps in [minTime, maxTime] (ms, inclusive),
 * as Prometheus computes them for its Select hints.
 *
 * @param rangeMillis the range of the enclosing range selector, 0 for an instant selector
 * @param function the innermost function call around the selector, or "" (Prometheus' {@code SelectHints.Func})
 */
public record SelectorRange(VectorSelector selector, long minTime, long maxTime, long rangeMillis, String function) {
}
