package io.promgate.model;

/**
 * Walks the samples of one series in timestamp order, as Prometheus' {@code chunkenc.Iterator}.
 * Primitive accessors, so that engines and codecs walk millions of samples without boxing.
 */
public interface SampleIterator {
  /** Advances to the next sample; {@link ValueType#NONE} at the end. */
  ValueType next();

  /**
   * Advances to the first sample with timestamp >= t, or stays where it is when already there. Never moves
   * backwards. Returns the type of the sample it stands on, or NONE when exhausted.
   */
  ValueType seek(long t);

  /** Milliseconds since the epoch of the current sample. */
  long timestamp();

  /** Value of the current float sample. */
  double value();

  /** The current histogram sample, or null when the current sample is a float. */
  default FloatHistogram histogram() {
    return null;
  }

  SampleIterator EMPTY = new SampleIterator() {
    @Override
    public ValueType next() {
      return ValueType.NONE;
    }

    @Override
    public ValueType seek(long t) {
      return ValueType.NONE;
    }

    @Override
    public long timestamp() {
      throw new IllegalStateException("empty iterator");
    }

    @Override
    public double value() {
      throw new IllegalStateException("empty iterator");
    }
  };
}
