package io.promgate.promql.engine;

import java.util.List;

/**
 * One row of the implementation table ({@link FunctionTable}). For each step the evaluator passes one
 * argument per call argument: a {@code List<Sample>} for instant-vector and scalar arguments (a scalar is a
 * one-sample vector, as in Prometheus), a {@link StepContext.Window} for the range-vector argument, and
 * null for string arguments (read them from the call's AST). Results are appended to {@code out}.
 */
@FunctionalInterface
interface FunctionImpl {
  void apply(Object[] args, StepContext ctx, List<Sample> out);
}
