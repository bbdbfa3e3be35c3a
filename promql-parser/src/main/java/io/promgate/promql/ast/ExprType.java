package io.promgate.promql.ast;

/** The PromQL value type of an expression, named as Prometheus names them in error messages. */
public enum ExprType {
  SCALAR("scalar"), STRING("string"), VECTOR("instant vector"), MATRIX("range vector");

  private final String promName;

  ExprType(String promName) {
    this.promName = promName;
  }

  /** As Prometheus prints it: "instant vector", "range vector", ... */
  public String promName() {
    return promName;
  }
}
