package io.promgate.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MatrixJsonTest {
  /** As Prometheus writes it: Go's escapes in label values, floats and native histograms, sorted series. */
  static final String PROMETHEUS = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
      + "{\"metric\":{\"__name__\":\"h\",\"job\":\"a\\u003cb\\\"\"},\"histograms\":[[1700000000,{\"count\":\"3\","
      + "\"sum\":\"1.5\",\"buckets\":[[0,\"-0.5\",\"0.5\",\"3\"]]}],[1700000060.5,{\"count\":\"4\",\"sum\":\"2\"}]]},"
      + "{\"metric\":{\"code\":\"200\",\"job\":\"\u00e9\"},\"values\":[[1700000000,\"1\"],[1700000060.5,\"NaN\"],"
      + "[1700000120,\"+Inf\"]]},"
      + "{\"metric\":{\"job\":\"z\"},\"values\":[[1700000000,\"1e-07\"]],\"histograms\":[[1700000060.5,{\"count\":\"1\"}]]}"
      + "]}}";

  @Test
  void parseThenRenderIsByteIdentical() {
    byte[] in = PROMETHEUS.getBytes(StandardCharsets.UTF_8);
    List<SeriesPoints> s = MatrixJson.parse(in);
    assertThat(s).hasSize(3);
    assertThat(s.get(0).labels()).containsExactly("__name__", "h", "job", "a<b\"");
    assertThat(s.get(0).histograms().size()).isEqualTo(2);
    assertThat(s.get(0).histograms().ts(1)).isEqualTo(1_700_000_060_500L);
    assertThat(s.get(1).floats().size()).isEqualTo(3);
    assertThat(MatrixJson.render(s).toString(StandardCharsets.UTF_8)).isEqualTo(PROMETHEUS);
  }

  @Test
  void renderingPiecesAndGrowingExtentsKeepFloatsAndHistogramsByteIdentical() {
    List<SeriesPoints> s = MatrixJson.parse(PROMETHEUS.getBytes(StandardCharsets.UTF_8));
    long t0 = 1_700_000_000_000L;
    long t1 = 1_700_000_060_500L;
    long t2 = 1_700_000_120_000L;
    List<Stitcher.Piece> ps = List.of(new Stitcher.Piece(s, t0, t0), new Stitcher.Piece(s, t1, t1),
        new Stitcher.Piece(s, t2, t2));
    assertThat(Stitcher.render(ps).toString(StandardCharsets.UTF_8)).isEqualTo(PROMETHEUS);
    Extent e = Extent.of(t0, t0, Stitcher.stitch(List.of(ps.get(0)))).append(t1, t1, s).append(t2, t2, s);
    assertThat(MatrixJson.render(e.series()).toString(StandardCharsets.UTF_8)).isEqualTo(PROMETHEUS);
  }

  /**
   * An extent grown point by point equals the whole, also when an older view of it is grown again (the
   * second grower must copy, never write into what the first one now shows).
   */
  @Property(tries = 40)
  void growingExtentsInPlaceNeverChangesWhatAnotherViewShows(@ForAll @IntRange(min = 0, max = 10_000) int seed) {
    Random rnd = new Random(seed);
    long step = 15_000;
    int points = 2 + rnd.nextInt(150);
    String whole = randomMatrix(rnd, step, points);
    List<SeriesPoints> parsed = MatrixJson.parse(whole.getBytes(StandardCharsets.UTF_8));
    long t0 = 1_700_000_000_000L;
    Extent e = Extent.of(t0, t0, Stitcher.stitch(List.of(new Stitcher.Piece(parsed, t0, t0))));
    Extent fork = null;
    String forkText = null;
    long t = t0;
    while (t < t0 + (points - 1) * step) {
      long to = Math.min(t0 + (points - 1) * step, t + step * (1 + rnd.nextInt(4)));
      e = e.append(t + step, to, parsed);
      t = to;
      if (fork == null && rnd.nextInt(3) == 0) {
        fork = e;
        forkText = MatrixJson.render(e.series()).toString(StandardCharsets.UTF_8);
      }
    }
    assertThat(MatrixJson.render(e.series()).toString(StandardCharsets.UTF_8)).isEqualTo(whole);
    if (fork != null && fork.lastT() < t) {
      Extent again = fork.append(fork.lastT() + step, t, parsed);
      assertThat(MatrixJson.render(again.series()).toString(StandardCharsets.UTF_8)).isEqualTo(whole);
      assertThat(MatrixJson.render(fork.series()).toString(StandardCharsets.UTF_8)).isEqualTo(forkText);
      assertThat(MatrixJson.render(e.series()).toString(StandardCharsets.UTF_8)).isEqualTo(whole);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]},\"warnings\":[\"partial\"]}",
      "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]},\"infos\":[\"x\"]}",
      "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[],\"stats\":{}}}",
      "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}",
      "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"boom\"}",
      "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":[[1,\"1\"]"
  })
  void onlyCleanMatrixAnswersAreRead(String body) {
    assertThat(MatrixJson.parse(body.getBytes(StandardCharsets.UTF_8))).isNull();
  }

  @Test
  void seriesAreOrderedAsPrometheusLabelsCompare() {
    // Go compares UTF-8 bytes: U+1F600 (4 bytes, F0...) sorts after U+FF5E (EF...), unlike Java's UTF-16 order.
    String body = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
        + "{\"metric\":{\"a\":\"\uD83D\uDE00\"},\"values\":[[1,\"1\"]]},{\"metric\":{\"a\":\"\uFF5E\"},\"values\":[[1,\"1\"]]},"
        + "{\"metric\":{\"a\":\"x\",\"b\":\"1\"},\"values\":[[1,\"1\"]]},{\"metric\":{\"a\":\"x\"},\"values\":[[1,\"1\"]]}]}}";
    List<SeriesPoints> s = MatrixJson.parse(body.getBytes(StandardCharsets.UTF_8));
    assertThat(s).extracting(p -> String.join(",", p.labels()))
        .containsExactly("a,x", "a,x,b,1", "a,\uFF5E", "a,\uD83D\uDE00");
  }

  /** Any cut of a result into consecutive time ranges stitches back into the same bytes. */
  @Property(tries = 60)
  void stitchingConsecutivePiecesGivesTheWhole(@ForAll @IntRange(min = 1, max = 8) int pieces,
      @ForAll @IntRange(min = 0, max = 10_000) int seed) {
    Random rnd = new Random(seed);
    long step = 1000L * (1 + rnd.nextInt(120));
    int points = 1 + rnd.nextInt(200);
    String whole = randomMatrix(rnd, step, points);
    List<SeriesPoints> parsed = MatrixJson.parse(whole.getBytes(StandardCharsets.UTF_8));
    assertThat(parsed).isNotNull();
    List<Long> cuts = new ArrayList<>();
    for (int i = 0; i < pieces - 1; i++) {
      cuts.add(1_700_000_000_000L + rnd.nextInt(points) * step);
    }
    cuts.sort(null);
    List<Stitcher.Piece> ps = new ArrayList<>();
    long from = 1_700_000_000_000L;
    for (long c : cuts) {
      if (c > from) {
        ps.add(new Stitcher.Piece(parsed, from, c - step));
        from = c;
      }
    }
    ps.add(new Stitcher.Piece(parsed, from, 1_700_000_000_000L + (points - 1) * step));
    assertThat(MatrixJson.render(Stitcher.stitch(ps)).toString(StandardCharsets.UTF_8)).isEqualTo(whole);
    assertThat(Stitcher.render(ps).toString(StandardCharsets.UTF_8)).isEqualTo(whole);
  }

  /** Up to 5 series over {@code points} steps, each in a random sub-range with random holes, as series come and go. */
  static String randomMatrix(Random rnd, long step, int points) {
    StringBuilder sb = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
    int series = rnd.nextInt(6);
    for (int s = 0; s < series; s++) {
      if (s > 0) {
        sb.append(',');
      }
      sb.append("{\"metric\":{\"i\":\"").append(s).append("\"},\"values\":[");
      int from = rnd.nextInt(points);
      int to = from + rnd.nextInt(points - from);
      boolean first = true;
      for (int k = from; k <= to; k++) {
        if (rnd.nextInt(5) == 0 && k != from) {
          continue;
        }
        sb.append(first ? "" : ",").append('[').append(RangeRequest.seconds(1_700_000_000_000L + k * step))
            .append(",\"").append(rnd.nextDouble()).append("\"]");
        first = false;
      }
      sb.append("]}");
    }
    return sb.append("]}}").toString();
  }
}
