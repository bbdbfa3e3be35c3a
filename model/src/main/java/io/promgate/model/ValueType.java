package io.promgate.model;

/** What a sample iterator stands on, as Prometheus' {@code chunkenc.ValueType}. */
public enum ValueType {
  NONE, FLOAT, HISTOGRAM
}
