package io.promgate.model;

/** One series: its labels and a fresh iterator over its samples on every call. */
public interface Series {
  Labels labels();

  SampleIterator iterator();
}
