package io.promgate.promql.ast;

/** A PromQL expression node. Immutable; built by the parser, read by the engine, printer and planners. */
public sealed interface Expr
    permits NumberLiteral, StringLiteral, VectorSelector, MatrixSelector, SubqueryExpr, AggregateExpr,
        BinaryExpr, Call, ParenExpr, UnaryExpr {
  ExprType type();

  PositionRange position();
}
