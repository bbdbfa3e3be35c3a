package io.promgate.model.merge;

import io.promgate.model.SampleIterator;
import io.promgate.model.ValueType;
import java.util.ArrayList;
import java.util.List;

/** Test helper: drains iterators into comparable lists. */
record Samples(List<Long> t, List<Double> v) {
  static Samples drain(SampleIterator it) {
    List<Long> t = new ArrayList<>();
    List<Double> v = new ArrayList<>();
    while (it.next() != ValueType.NONE) {
      t.add(it.timestamp());
      v.add(it.value());
    }
    return new Samples(t, v);
  }

  static long[] longs(List<Long> l) {
    return l.stream().mapToLong(Long::longValue).toArray();
  }

  static double[] doubles(List<Double> l) {
    return l.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
