package io.promgate.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.model.LabelMatcher;
import io.promgate.model.LabelMatcher.Type;
import io.promgate.model.Labels;
import io.promgate.model.SampleIterator;
import io.promgate.model.SelectHints;
import io.promgate.model.Series;
import io.promgate.model.SeriesSets;
import io.promgate.model.StaleNaN;
import io.promgate.model.ValueType;
import io.promgate.tsdb.AppendResult;
import io.promgate.tsdb.MetricMetadata;
import io.promgate.tsdb.RejectReason;
import io.promgate.tsdb.SeriesSamples;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadTest {
  static final long HOUR = 3600_000L;

  static AppendResult append(Head h, SeriesSamples... batch) {
    PreparedAppend p = h.prepare(List.of(batch), List.of());
    h.commit(p);
    return p.result();
  }

  static SeriesSamples ss(Labels l, long[] ts, double[] vs) {
    return new SeriesSamples(l, ts, vs);
  }

  static List<long[]> samples(Series s) {
    List<long[]> out = new ArrayList<>();
    SampleIterator it = s.iterator();
    while (it.next() == ValueType.FLOAT) {
      out.add(new long[] {it.timestamp(), Double.doubleToRawLongBits(it.value())});
    }
    return out;
  }

  static List<Series> select(Head h, long mint, long maxt, LabelMatcher... ms) {
    return SeriesSets.toList(h.querier(mint, maxt).select(true, SelectHints.ofRange(mint, maxt), List.of(ms)));
  }

  @Test
  void appendsAcrossChunksAndReadsBackExactly() {
    Head h = new Head(Head.Options.DEFAULT);
    Labels l = Labels.of("__name__", "up", "job", "a");
    int n = 1000;
    long[] ts = new long[n];
    double[] vs = new double[n];
    for (int i = 0; i < n; i++) {
      ts[i] = 1_000_000 + i * 15_000L;
      vs[i] = i % 7 == 0 ? StaleNaN.VALUE : i * 0.5;
    }
    AppendResult r = append(h, ss(l, ts, vs));
    assertThat(r.accepted()).isEqualTo(n);
    assertThat(r.allAccepted()).isTrue();
    List<Series> got = select(h, 0, Long.MAX_VALUE, LabelMatcher.eq("__name__", "up"));
    assertThat(got).hasSize(1);
    List<long[]> s = samples(got.get(0));
    assertThat(s).hasSize(n);
    for (int i = 0; i < n; i++) {
      assertThat(s.get(i)[0]).isEqualTo(ts[i]);
      assertThat(s.get(i)[1]).isEqualTo(Double.doubleToRawLongBits(vs[i]));
    }
    HeadQuerier q = (HeadQuerier) h.querier(0, Long.MAX_VALUE);
    var chunks = q.selectChunks(List.of(LabelMatcher.eq("job", "a"))).get(0).chunks();
    assertThat(chunks).allSatisfy(c -> assertThat(c.numSamples()).isLessThanOrEqualTo(120));
    assertThat(chunks.stream().mapToInt(c -> c.numSamples()).sum()).isEqualTo(n);
    // trimmed to the querier's range
    assertThat(samples(select(h, ts[10], ts[20], LabelMatcher.eq("job", "a")).get(0))).hasSize(11);
    assertThat(select(h, 0, 999_999, LabelMatcher.eq("job", "a"))).isEmpty();
  }

  @Test
  void chunksAreCutAtTwoHourBoundaries() {
    Head h = new Head(new Head.Options(24 * HOUR, 0));
    Labels l = Labels.of("__name__", "x");
    append(h, ss(l, new long[] {2 * HOUR - 1, 2 * HOUR, 2 * HOUR + 1}, new double[] {1, 2, 3}));
    var chunks = ((HeadQuerier) h.querier(0, Long.MAX_VALUE)).selectChunks(List.of(LabelMatcher.eq("__name__", "x")))
        .get(0).chunks();
    assertThat(chunks).hasSize(2);
    assertThat(chunks.get(0).maxTime()).isEqualTo(2 * HOUR - 1);
    assertThat(chunks.get(1).minTime()).isEqualTo(2 * HOUR);
  }

  @Test
  void outOfOrderDuplicateAndTooOldFollowPrometheus() {
    Head h = new Head(new Head.Options(HOUR, 0));
    Labels a = Labels.of("__name__", "a");
    Labels b = Labels.of("__name__", "b");
    assertThat(append(h, ss(a, new long[] {10 * HOUR, 10 * HOUR + 10}, new double[] {1, 2})).allAccepted()).isTrue();
    AppendResult r = append(h,
        ss(a, new long[] {10 * HOUR + 5, 10 * HOUR + 10, 10 * HOUR + 10, 10 * HOUR + 20}, new double[] {9, 2, 3, 4}),
        ss(b, new long[] {9 * HOUR + 10, 9 * HOUR + 20, 9 * HOUR + 30}, new double[] {1, 1, 1}));
    assertThat(r.rejected(RejectReason.OUT_OF_ORDER)).isEqualTo(1);
    assertThat(r.rejected(RejectReason.DUPLICATE)).isEqualTo(1);
    assertThat(r.rejected(RejectReason.TOO_OLD)).isEqualTo(1);
    // 10h+10 with the same value is silently accepted, like a retried write; 10h+20, 9h+20 and 9h+30 are new
    // (the window is measured from the newest sample, 10h+20, so 9h+20 is just inside)
    assertThat(r.accepted()).isEqualTo(4);
    assertThat(r.examples().get(RejectReason.DUPLICATE)).contains("{__name__=\"a\"}");
    assertThat(samples(select(h, 0, Long.MAX_VALUE, LabelMatcher.eq("__name__", "a")).get(0))).hasSize(3);
  }

  @Test
  void duplicateChecksSeeEarlierSamplesOfTheSameBatch() {
    Head h = new Head(Head.Options.DEFAULT);
    Labels a = Labels.of("__name__", "a");
    AppendResult r = append(h, ss(a, new long[] {5, 6}, new double[] {1, 1}), ss(a, new long[] {6, 4}, new double[] {2, 1}));
    assertThat(r.rejected(RejectReason.DUPLICATE)).isEqualTo(1);
    assertThat(r.rejected(RejectReason.OUT_OF_ORDER)).isEqualTo(1);
    assertThat(r.accepted()).isEqualTo(2);
  }

  @Test
  void seriesLimitRejectsOnlyNewSeries() {
    Head h = new Head(new Head.Options(HOUR, 2));
    append(h, SeriesSamples.of(Labels.of("__name__", "a"), 1, 1), SeriesSamples.of(Labels.of("__name__", "b"), 1, 1));
    AppendResult r = append(h, SeriesSamples.of(Labels.of("__name__", "a"), 2, 1),
        new SeriesSamples(Labels.of("__name__", "c"), new long[] {2, 3}, new double[] {1, 1}));
    assertThat(r.accepted()).isEqualTo(1);
    assertThat(r.rejected(RejectReason.SERIES_LIMIT)).isEqualTo(2);
    assertThat(r.examples().get(RejectReason.SERIES_LIMIT)).contains("limit of 2 active series");
    assertThat(h.numSeries()).isEqualTo(2);
  }

  @Test
  void metadataIsKeptPerFamilyAndOnlyChangesAreLogged() {
    Head h = new Head(Head.Options.DEFAULT);
    MetricMetadata m = new MetricMetadata("up", "gauge", "1 if up", "");
    PreparedAppend p = h.prepare(List.of(), List.of(m));
    assertThat(p.metadata()).containsExactly(m);
    h.commit(p);
    assertThat(h.prepare(List.of(), List.of(m)).metadata()).isEmpty();
    assertThat(h.metadata().query("up", -1)).containsEntry("up", List.of(m));
    assertThat(h.metadata().query(null, 0)).isEmpty();
  }

  @Test
  void truncationDropsOldChunksAndEmptySeries() {
    Head h = new Head(new Head.Options(100 * HOUR, 0));
    Labels a = Labels.of("__name__", "a");
    Labels b = Labels.of("__name__", "b");
    long[] ts = new long[300];
    double[] vs = new double[300];
    for (int i = 0; i < 300; i++) {
      ts[i] = i * 60_000L;
    }
    append(h, ss(a, ts, vs), SeriesSamples.of(b, 0, 1));
    assertThat(h.truncateBefore(3 * HOUR)).isEqualTo(1);
    assertThat(h.numSeries()).isEqualTo(1);
    assertThat(select(h, 0, Long.MAX_VALUE, LabelMatcher.eq("__name__", "b"))).isEmpty();
    List<long[]> left = samples(select(h, 0, Long.MAX_VALUE, LabelMatcher.eq("__name__", "a")).get(0));
    assertThat(left.get(0)[0]).isEqualTo(2 * HOUR); // the chunk holding 3h starts at the 2h cut
    assertThat(left.get(left.size() - 1)[0]).isEqualTo(299 * 60_000L);
    assertThat(h.querier(0, Long.MAX_VALUE).labelValues("__name__", List.of())).containsExactly("a");
  }

  @Test
  void seriesHintReturnsLabelsWithoutSamples() {
    Head h = new Head(Head.Options.DEFAULT);
    append(h, SeriesSamples.of(Labels.of("__name__", "a"), 1000, 1), SeriesSamples.of(Labels.of("__name__", "b"), 5000, 1));
    List<Series> got = SeriesSets.toList(h.querier(0, 2000).select(true,
        new SelectHints(0, 2000, 0, 0, "series", List.of(), false), List.of(LabelMatcher.of(Type.RE, "__name__", ".+"))));
    assertThat(got).extracting(Series::labels).containsExactly(Labels.of("__name__", "a"));
    assertThat(got.get(0).iterator().next()).isEqualTo(ValueType.NONE);
  }

  @Test
  void tooOldSamplesDoNotCreateSeries() {
    Head h = new Head(new Head.Options(HOUR, 0));
    append(h, SeriesSamples.of(Labels.of("__name__", "a"), 10 * HOUR, 1));
    AppendResult r = append(h, new SeriesSamples(Labels.of("__name__", "old"), new long[] {HOUR, 2 * HOUR}, new double[] {1, 2}));
    assertThat(r.rejected(RejectReason.TOO_OLD)).isEqualTo(2);
    assertThat(h.numSeries()).isEqualTo(1);
    assertThat(h.querier(0, Long.MAX_VALUE).labelValues("__name__", List.of())).containsExactly("a");
  }
}
