package io.promgate.model.merge;

import io.promgate.model.Labels;
import io.promgate.model.SampleIterator;
import io.promgate.model.Series;
import io.promgate.model.ValueType;

/**
 * A float series held in two primitive arrays, timestamps strictly increasing. What backends that decode a
 * whole response at once (remote read SAMPLES, an instant query of {@code x[range]}) hand to the merge, and
 * what the engine's in-memory store serves.
 */
public record ArraySeries(Labels labels, long[] timestamps, double[] values, int size) implements Series {
  public ArraySeries {
    if (size > timestamps.length || size > values.length) {
      throw new IllegalArgumentException("size " + size + " exceeds arrays");
    }
  }

  public ArraySeries(Labels labels, long[] timestamps, double[] values) {
    this(labels, timestamps, values, timestamps.length);
  }

  /** The same samples under other labels (e.g. with a backend's external labels added). */
  public ArraySeries withLabels(Labels l) {
    return new ArraySeries(l, timestamps, values, size);
  }

  @Override
  public SampleIterator iterator() {
    return new SampleIterator() {
      int i = -1;

      @Override
      public ValueType next() {
        if (i < size) {
          i++;
        }
        return i < size ? ValueType.FLOAT : ValueType.NONE;
      }

      @Override
      public ValueType seek(long t) {
        if (i < 0) {
          i = 0;
        }
        if (i < size && timestamps[i] >= t) {
          return ValueType.FLOAT;
        }
        // Binary search: the engine seeks to every step's window start over long series.
        int lo = i;
        int hi = size;
        while (lo < hi) {
          int mid = (lo + hi) >>> 1;
          if (timestamps[mid] < t) {
            lo = mid + 1;
          } else {
            hi = mid;
          }
        }
        i = lo;
        return i < size ? ValueType.FLOAT : ValueType.NONE;
      }

      @Override
      public long timestamp() {
        return timestamps[i];
      }

      @Override
      public double value() {
        return values[i];
      }
    };
  }
}
