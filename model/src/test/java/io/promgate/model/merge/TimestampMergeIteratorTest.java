package io.promgate.model.merge;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.model.Labels;
import io.promgate.model.SampleIterator;
import io.promgate.model.ValueType;
import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class TimestampMergeIteratorTest {
  private static ArraySeries s(long[] t, double[] v) {
    return new ArraySeries(Labels.of("__name__", "x"), t, v);
  }

  @Test
  void overlappingRangesMergeAndFirstInputWinsOnEqualTimestamps() {
    SampleIterator it = new TimestampMergeIterator(List.of(
        s(new long[] {10, 20, 30}, new double[] {1, 2, 3}).iterator(),
        s(new long[] {25, 30, 40}, new double[] {9, 99, 4}).iterator()));
    Samples got = Samples.drain(it);
    assertThat(got.t()).containsExactly(10L, 20L, 25L, 30L, 40L);
    assertThat(got.v()).containsExactly(1.0, 2.0, 9.0, 3.0, 4.0);
  }

  @Test
  void seekNeverMovesBackwardsAndLandsOnFirstAtOrAfter() {
    SampleIterator it = new TimestampMergeIterator(List.of(
        s(new long[] {10, 50}, new double[] {1, 5}).iterator(),
        s(new long[] {20, 30}, new double[] {2, 3}).iterator()));
    assertThat(it.seek(21)).isEqualTo(ValueType.FLOAT);
    assertThat(it.timestamp()).isEqualTo(30);
    assertThat(it.seek(5)).isEqualTo(ValueType.FLOAT);
    assertThat(it.timestamp()).isEqualTo(30);
    assertThat(it.next()).isEqualTo(ValueType.FLOAT);
    assertThat(it.timestamp()).isEqualTo(50);
    assertThat(it.next()).isEqualTo(ValueType.NONE);
    assertThat(it.seek(60)).isEqualTo(ValueType.NONE);
  }

  /** Any split of a series into overlapping pieces merges back into the series. */
  @Property(tries = 300)
  void splitsMergeBackToTheOriginal(@ForAll @Size(max = 60) List<@IntRange(min = 0, max = 500) Integer> ts,
      @ForAll @IntRange(min = 1, max = 4) int pieces, @ForAll long seed) {
    TreeMap<Long, Double> truth = new TreeMap<>();
    for (int t : ts) {
      truth.put((long) t, t * 1.5);
    }
    java.util.Random r = new java.util.Random(seed);
    List<TreeMap<Long, Double>> parts = new java.util.ArrayList<>();
    for (int i = 0; i < pieces; i++) {
      parts.add(new TreeMap<>());
    }
    truth.forEach((t, v) -> {
      parts.get(r.nextInt(pieces)).put(t, v);
      if (r.nextBoolean()) {
        parts.get(r.nextInt(pieces)).put(t, v); // overlap: a copy in another piece
      }
    });
    List<SampleIterator> its = parts.stream()
        .map(p -> (SampleIterator) s(Samples.longs(List.copyOf(p.keySet())), Samples.doubles(List.copyOf(p.values())))
            .iterator())
        .toList();
    Samples got = Samples.drain(TimestampMergeIterator.of(its));
    assertThat(got.t()).containsExactlyElementsOf(truth.keySet());
    assertThat(got.v()).containsExactlyElementsOf(truth.values());
  }

  /**
   * Inputs holding different values at shared timestamps, walked by a random mix of next and seek: the
   * earliest-listed input's value wins, and the walk equals the same walk over the expected series (the
   * fast path that keeps the current input without a scan must not skip or reorder anything).
   */
  @Property(tries = 300)
  void firstInputWinsUnderAnyMixOfNextAndSeek(@ForAll @IntRange(min = 1, max = 4) int inputs, @ForAll long seed) {
    java.util.Random r = new java.util.Random(seed);
    TreeMap<Long, Double> expected = new TreeMap<>();
    List<SampleIterator> its = new java.util.ArrayList<>();
    for (int i = 0; i < inputs; i++) {
      TreeMap<Long, Double> part = new TreeMap<>();
      long from = r.nextInt(200);
      int n = r.nextInt(40);
      for (int k = 0; k < n; k++) {
        long t = from + r.nextInt(120);
        part.put(t, i * 1000.0 + t);
      }
      part.forEach(expected::putIfAbsent);
      its.add(s(Samples.longs(List.copyOf(part.keySet())), Samples.doubles(List.copyOf(part.values()))).iterator());
    }
    SampleIterator it = TimestampMergeIterator.of(its);
    Long at = null; // the expected current timestamp; null before the first move
    for (int step = 0; step < 200; step++) {
      ValueType vt;
      if (r.nextInt(3) == 0) {
        long target = (at == null ? 0 : at) + r.nextInt(30) - 5;
        vt = it.seek(target);
        if (at == null || at < target) {
          at = expected.ceilingKey(target);
        }
      } else {
        vt = it.next();
        at = at == null ? (expected.isEmpty() ? null : expected.firstKey()) : expected.higherKey(at);
      }
      if (at == null) {
        assertThat(vt).isEqualTo(ValueType.NONE);
        return;
      }
      assertThat(vt).isEqualTo(ValueType.FLOAT);
      assertThat(it.timestamp()).isEqualTo(at);
      assertThat(it.value()).isEqualTo(expected.get(at));
    }
  }
}
