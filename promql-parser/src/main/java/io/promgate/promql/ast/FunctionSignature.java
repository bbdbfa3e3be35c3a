package io.promgate.promql.ast;

import java.util.List;

/**
 * A function's signature, one row of the parser's function table.
 *
 * @param argTypes the declared argument types
 * @param variadic 0: exactly argTypes; n > 0: up to n more arguments of the last type may be omitted or
 *     repeated per Prometheus' rule (the last n are optional); -1: the last type repeats without bound
 */
public record FunctionSignature(String name, List<ExprType> argTypes, int variadic, ExprType returnType,
    boolean experimental) {
  public FunctionSignature {
    argTypes = List.copyOf(argTypes);
  }
}
