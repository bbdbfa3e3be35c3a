package io.promgate.gateway.cache;

import java.util.ArrayList;
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

  private static final class Acc {
    final SeriesPoints first;
    final Points.Builder floats = new Points.Builder();
    final Points.Builder histograms = new Points.Builder();

    Acc(SeriesPoints first) {
      this.first = first;
    }
  }
}
