package io.promgate.promql.engine;

import java.util.List;

/**
 * Evaluation failed. The message is Prometheus' own text (tests compare it); {@link #type()} says how the
 * HTTP edge must answer. Annotations gathered before the failure travel with it.
 */
public final class EngineException extends RuntimeException {
  private final ErrorType type;
  private final transient List<String> warnings;

  public EngineException(ErrorType type, String message) {
    this(type, message, List.of());
  }

  public EngineException(ErrorType type, String message, List<String> warnings) {
    super(message, null, false, false);
    this.type = type;
    this.warnings = List.copyOf(warnings);
  }

  public static EngineException execution(String message) {
    return new EngineException(ErrorType.EXECUTION, message);
  }

  public ErrorType type() {
    return type;
  }

  public List<String> warnings() {
    return warnings;
  }
}
