package io.promgate.promql.engine.promqltest;

/** The outcome of one eval command. */
public record EvalOutcome(String file, int line, String expr, Status status, String message) {
  public enum Status {
    PASSED, FAILED, SKIPPED
  }

  /** "file:line", the name tests and known-failure lists use. */
  public String id() {
    return file + ":" + line;
  }
}
