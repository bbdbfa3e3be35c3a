package io.promgate.promql.ast;

import java.util.List;

/** A function call. */
public record Call(FunctionSignature function, List<Expr> args, PositionRange position) implements Expr {
  public Call {
    args = List.copyOf(args);
  }

  @Override
  public ExprType type() {
    return function.returnType();
  }
}
