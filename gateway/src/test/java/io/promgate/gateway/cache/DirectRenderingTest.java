package io.promgate.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * A cache hit's answer is written from the cached points straight into a pooled direct buffer
 * ({@link Stitcher.Rendering#writeTo}): it must be byte for byte the unsplit answer, whatever the step, the
 * window, the cut into extents and how the extents grew (refreshes append in place), and it must fit the
 * size the buffer was allocated with.
 */
class DirectRenderingTest {
  static final long T0 = 1_700_000_000_000L;

  /** The answer as the socket would get it, checked against the size bound, the buffer given back. */
  static String direct(List<Stitcher.Piece> pieces) {
    Stitcher.Rendering r = Stitcher.prepare(pieces);
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(r.size());
    try {
      r.writeTo(buf);
      assertThat(buf.readableBytes()).isLessThanOrEqualTo(r.size());
      assertThat(buf.capacity()).as("never grown past the bound").isEqualTo(r.size());
      return buf.toString(StandardCharsets.UTF_8);
    } finally {
      assertThat(buf.release()).isTrue();
    }
  }

  /**
   * A window of {@code [from, to]} (point indexes) of a result over {@code points} steps, served as a cache
   * serves it: extents of {@code perSlot} steps, each grown by refreshes of a few steps, the part past the
   * last extent fetched fresh; equals the same window cut out of the whole answer.
   */
  @Property(tries = 200)
  void extentsGrownByRefreshesRenderTheUnsplitAnswer(@ForAll @IntRange(min = 0, max = 100_000) int seed) {
    Random rnd = new Random(seed);
    long step = 1000L * (1 + rnd.nextInt(120));
    int points = 1 + rnd.nextInt(300);
    String whole = MatrixJsonTest.randomMatrix(rnd, step, points);
    List<SeriesPoints> parsed = MatrixJson.parse(whole.getBytes(StandardCharsets.UTF_8));
    assertThat(parsed).isNotNull();
    int from = rnd.nextInt(points);
    int to = from + rnd.nextInt(points - from);
    if (rnd.nextInt(4) == 0) {
      from = 0;
      to = points - 1;
    }
    int perSlot = 1 + rnd.nextInt(Math.max(1, points / 2));
    int cachedUpTo = from + rnd.nextInt(to - from + 1); // the fresh tail starts after this index
    List<Stitcher.Piece> pieces = new ArrayList<>();
    for (int slotStart = from / perSlot * perSlot; slotStart <= cachedUpTo; slotStart += perSlot) {
      int a = Math.max(from, slotStart);
      int b = Math.min(cachedUpTo, slotStart + perSlot - 1);
      // The extent: its first steps stored at once, then grown by refreshes of 1-3 steps, as a dashboard does.
      int first = a + rnd.nextInt(b - a + 1);
      Extent e = Extent.of(t(a, step), t(first, step),
          Stitcher.stitch(List.of(new Stitcher.Piece(parsed, t(a, step), t(first, step)))));
      for (int k = first; k < b; ) {
        int next = Math.min(b, k + 1 + rnd.nextInt(3));
        e = e.append(t(k + 1, step), t(next, step), parsed);
        k = next;
      }
      pieces.add(new Stitcher.Piece(e.series(), t(a, step), t(b, step)));
    }
    if (cachedUpTo < to) {
      // The fresh tail as the upstream answers it: only its own steps.
      String tail = cut(parsed, t(cachedUpTo + 1, step), t(to, step));
      pieces.add(new Stitcher.Piece(MatrixJson.parse(tail.getBytes(StandardCharsets.UTF_8)), t(cachedUpTo + 1, step),
          t(to, step)));
    }
    String expected = cut(parsed, t(from, step), t(to, step));
    if (from == 0 && to == points - 1) {
      assertThat(expected).isEqualTo(whole);
    }
    assertThat(direct(pieces)).isEqualTo(expected);
    assertThat(Stitcher.render(pieces).toString(StandardCharsets.UTF_8)).isEqualTo(expected);
  }

  /** Answers bigger than one pooled run (a day of a few dozen series is over a megabyte) render the same. */
  @Test
  void megabyteAnswersRenderTheSame() {
    Random rnd = new Random(7);
    StringBuilder sb = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
    int series = 40;
    int points = 1440;
    for (int s = 0; s < series; s++) {
      sb.append(s == 0 ? "" : ",").append("{\"metric\":{\"instance\":\"i").append(s / 4).append("\",\"mode\":\"m")
          .append(s % 4).append("\"},\"values\":[");
      for (int k = 0; k < points; k++) {
        sb.append(k == 0 ? "" : ",").append('[').append(RangeRequest.seconds(T0 + k * 60_000L)).append(",\"")
            .append(rnd.nextDouble() * 1e6).append("\"]");
      }
      sb.append("]}");
    }
    String whole = sb.append("]}}").toString();
    assertThat(whole.length()).isGreaterThan(1 << 20);
    List<SeriesPoints> parsed = MatrixJson.parse(whole.getBytes(StandardCharsets.UTF_8));
    long last = T0 + (points - 1) * 60_000L;
    for (int i = 0; i < 3; i++) {
      List<Stitcher.Piece> pieces = List.of(new Stitcher.Piece(parsed, T0, T0 + 719 * 60_000L),
          new Stitcher.Piece(parsed, T0 + 720 * 60_000L, last - 60_000L), new Stitcher.Piece(parsed, last, last));
      assertThat(direct(pieces)).isEqualTo(whole);
    }
  }

  static long t(int k, long step) {
    return T0 + k * step;
  }

  /** The unsplit answer over {@code [fromT, toT]}: series without a point there are left out. */
  static String cut(List<SeriesPoints> series, long fromT, long toT) {
    return MatrixJson.render(Stitcher.stitch(List.of(new Stitcher.Piece(series, fromT, toT))))
        .toString(StandardCharsets.UTF_8);
  }
}
