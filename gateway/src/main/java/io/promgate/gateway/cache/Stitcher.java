package io.promgate.gateway.cache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins pieces of a range result that cover consecutive, disjoint time ranges into one: the union of the
 * series, in Prometheus' label order, each with its points concatenated in time order.
 *
 * <p>Why this equals an unsplit evaluation: each point of a range query depends only on its own evaluation
 * time (queries with {@code @}, negative offsets or anything else that breaks this are never cached, see
 * {@link RangeRequest}), a series appears in the answer when it has at least one point, and the answer's
 * order is the label order. Each piece is cut to its own bounds, so a point on a boundary is taken once.
 *
 * <p>{@link #render} writes the stitched answer straight from the pieces: a cached refresh of a day-long
 * panel is then one copy of its bytes, where joining the pieces first and rendering the join was three.
 */
final class Stitcher {
  /** Series of one piece, to be cut to {@code [fromT, toT]} (inclusive, ms). */
  record Piece(List<SeriesPoints> series, long fromT, long toT) {}

  private Stitcher() {}

  static List<SeriesPoints> stitch(List<Piece> pieces) {
    Map<String, Acc> byId = new HashMap<>();
    List<Acc> order = new ArrayList<>();
    for (Piece piece : pieces) {
      for (SeriesPoints s : piece.series()) {
        int flo = s.floats().lowerBound(piece.fromT());
        int fhi = s.floats().lowerBound(piece.toT() + 1);
        int hlo = s.histograms().lowerBound(piece.fromT());
        int hhi = s.histograms().lowerBound(piece.toT() + 1);
        if (flo >= fhi && hlo >= hhi) {
          continue;
        }
        Acc a = byId.get(s.identity());
        if (a == null) {
          a = new Acc(s);
          byId.put(s.identity(), a);
          order.add(a);
        }
        a.floats.addRange(s.floats(), flo, fhi);
        a.histograms.addRange(s.histograms(), hlo, hhi);
      }
    }
    order.sort((x, y) -> SeriesPoints.LABEL_ORDER.compare(x.first.labels(), y.first.labels()));
    List<SeriesPoints> out = new ArrayList<>(order.size());
    for (Acc a : order) {
      out.add(new SeriesPoints(a.first.labels(), a.first.metric(), a.floats.build(), a.histograms.build()));
    }
    return out;
  }

  /** The points of one series in one piece, cut to the piece: floats {@code [flo, fhi)}, histograms {@code [hlo, hhi)}. */
  record Run(SeriesPoints s, int piece, int flo, int fhi, int hlo, int hhi) {}

  private static final Comparator<Run> RUN_ORDER = (x, y) -> {
    int c = SeriesPoints.LABEL_ORDER.compare(x.s().labels(), y.s().labels());
    return c != 0 ? c : Integer.compare(x.piece(), y.piece());
  };

  /** The JSON answer of {@code stitch(pieces)}, byte for byte, written without building the join. */
  static Buffer render(List<Piece> pieces) {
    return render(prepare(pieces));
  }

  static Buffer render(Rendering r) {
    ByteBuf out = Unpooled.buffer(r.size());
    r.writeTo(out);
    return BufferInternal.buffer(out);
  }

  /**
   * The runs of the stitched answer in output order, and an upper bound of its size: what {@link #render}
   * needs, so that a caller can choose where the bytes go (a pooled direct buffer the socket writes from).
   */
  static Rendering prepare(List<Piece> pieces) {
    List<Run> runs = new ArrayList<>();
    long size = MatrixJson.HEAD.length + MatrixJson.TAIL.length;
    for (int p = 0; p < pieces.size(); p++) {
      Piece piece = pieces.get(p);
      for (SeriesPoints s : piece.series()) {
        Points f = s.floats();
        Points h = s.histograms();
        int flo = f.lowerBound(piece.fromT());
        int fhi = f.lowerBound(piece.toT() + 1);
        int hlo = h.lowerBound(piece.fromT());
        int hhi = h.lowerBound(piece.toT() + 1);
        if (flo < fhi || hlo < hhi) {
          runs.add(new Run(s, p, flo, fhi, hlo, hhi));
          size += s.metric().length + 40 + f.offset(fhi) - f.offset(flo) + h.offset(hhi) - h.offset(hlo);
        }
      }
    }
    // Each piece is already in label order: the sort merges a few sorted runs.
    runs.sort(RUN_ORDER);
    return new Rendering(runs, (int) Math.min(Integer.MAX_VALUE - 8, size));
  }

  /** A stitched answer ready to be written: {@code size} bounds its length from above. */
  record Rendering(List<Run> runs, int size) {
    void writeTo(ByteBuf out) {
      out.writeBytes(MatrixJson.HEAD);
      for (int i = 0; i < runs.size(); ) {
        int j = i + 1;
        while (j < runs.size() && SeriesPoints.LABEL_ORDER.compare(runs.get(i).s().labels(), runs.get(j).s().labels()) == 0) {
          j++;
        }
        if (i > 0) {
          out.writeByte(',');
        }
        out.writeBytes(MatrixJson.METRIC).writeBytes(runs.get(i).s().metric());
        points(out, MatrixJson.VALUES, runs, i, j, true);
        points(out, MatrixJson.HISTOGRAMS, runs, i, j, false);
        out.writeByte('}');
        i = j;
      }
      out.writeBytes(MatrixJson.TAIL);
    }
  }

  /** The float or histogram points of runs {@code [i, j)} of one series, as one JSON array, if any. */
  private static void points(ByteBuf out, byte[] key, List<Run> runs, int i, int j, boolean floats) {
    int last = -1;
    for (int k = i; k < j; k++) {
      Run r = runs.get(k);
      if (floats ? r.flo() < r.fhi() : r.hlo() < r.hhi()) {
        last = k;
      }
    }
    if (last < 0) {
      return;
    }
    out.writeBytes(key);
    for (int k = i; k <= last; k++) {
      Run r = runs.get(k);
      Points p = floats ? r.s().floats() : r.s().histograms();
      int from = p.offset(floats ? r.flo() : r.hlo());
      int to = p.offset(floats ? r.fhi() : r.hhi());
      // Every point is stored with a trailing comma: the array's last one is dropped.
      out.writeBytes(p.data(), from, (k == last ? to - 1 : to) - from);
    }
    out.writeByte(']');
  }

  private static final class Acc {
    final SeriesPoints first;
    final Points.Builder floats = new Points.Builder();
    final Points.Builder histograms = new Points.Builder();

    Acc(SeriesPoints first) {
      this.first = first;
    }
  }
}
