package io.promgate.model.merge;

import io.promgate.model.FloatHistogram;
import io.promgate.model.SampleIterator;
import io.promgate.model.ValueType;

/**
 * A replica's iterator that can be lifted when deduplication switches to it while its counter lags the
 * value last emitted (Thanos' {@code counterErrAdjustSeriesIterator}): a counter cannot go down, so a lower
 * value right after a switch is the replica's error, not a reset. Only used when the query reads the
 * series as a counter (rate, increase, irate, resets); gauges must never be lifted.
 */
public final class CounterAdjustingIterator implements SampleIterator {
  private final SampleIterator in;
  private double adjust;

  public CounterAdjustingIterator(SampleIterator in) {
    this.in = in;
  }

  void adjustTo(double lastValue) {
    double v = value();
    if (lastValue > v) {
      adjust += lastValue - v;
    }
  }

  @Override
  public ValueType next() {
    return in.next();
  }

  @Override
  public ValueType seek(long t) {
    return in.seek(t);
  }

  @Override
  public long timestamp() {
    return in.timestamp();
  }

  @Override
  public double value() {
    return in.value() + adjust;
  }

  @Override
  public FloatHistogram histogram() {
    return in.histogram();
  }
}
