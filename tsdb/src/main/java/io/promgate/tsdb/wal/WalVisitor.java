package io.promgate.tsdb.wal;

import io.promgate.model.Labels;
import io.promgate.tsdb.MetricMetadata;

/** Receives the records of a WAL replay, in write order. */
public interface WalVisitor {
  void series(int ref, Labels labels);

  void sample(int ref, long t, double v);

  void metadata(MetricMetadata m);
}
