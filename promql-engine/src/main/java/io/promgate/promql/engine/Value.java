package io.promgate.promql.engine;

import java.util.List;

/** A query result, one of Prometheus' four value types. */
public sealed interface Value {
  /** The type name as the JSON API writes it in {@code resultType}. */
  String resultType();

  record Scalar(long timestamp, double value) implements Value {
    @Override
    public String resultType() {
      return "scalar";
    }
  }

  record StringValue(long timestamp, String value) implements Value {
    @Override
    public String resultType() {
      return "string";
    }
  }

  /** An instant vector, in evaluation order (which matters after sort() or topk()). */
  record Vector(List<Sample> samples) implements Value {
    @Override
    public String resultType() {
      return "vector";
    }
  }

  /** A range result, series sorted by labels. */
  record Matrix(List<FloatSeries> series) implements Value {
    @Override
    public String resultType() {
      return "matrix";
    }
  }
}
