package io.promgate.storeapi;

import io.promgate.storeapi.thanos.AggrChunk;
import io.promgate.storeapi.thanos.Series;
import io.promgate.storeapi.thanos.SeriesBatch;
import io.promgate.storeapi.thanos.SeriesResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Produces the response frames of one Series call, a few at a time, so that the server can stop asking when
 * the client reads slowly: memory stays bounded by one step's frames plus the transport's write queue,
 * whatever the number of series.
 *
 * <p>Several tenants (all-tenants mode) are k-way merged by served labels; each tenant's labels include its
 * distinct {@code tenant_id}, so no two tenants ever yield the same series. Blocking: call it from a worker.
 */
final class SeriesProducer implements AutoCloseable {
  /** Thanos' default maximum bytes of chunks per frame; bigger series are split over frames. */
  static final int MAX_FRAME_BYTES = 1 << 20;

  private final List<TenantCursor> cursors;
  private final PriorityQueue<TenantCursor> heads =
      new PriorityQueue<>(Comparator.comparing((TenantCursor c) -> c.peek().labels()));
  private final long limit;
  private final int batchSize;
  private boolean started;
  private boolean done;
  private long sent;

  SeriesProducer(List<TenantCursor> cursors, long limit, long responseBatchSize) {
    this.cursors = cursors;
    this.limit = limit;
    this.batchSize = (int) Math.max(1, Math.min(responseBatchSize, 1024));
  }

  boolean done() {
    return done;
  }

  long seriesSent() {
    return sent;
  }

  /** The next frames, about {@code maxBytes} in all (at least one frame unless done). */
  List<SeriesResponse> next(int maxBytes) {
    if (!started) {
      started = true;
      for (TenantCursor c : cursors) {
        if (c.peek() != null) {
          heads.add(c);
        }
      }
    }
    List<SeriesResponse> frames = new ArrayList<>();
    List<Series> batch = new ArrayList<>();
    int bytes = 0;
    int batchBytes = 0;
    while (bytes < maxBytes && !heads.isEmpty() && (limit <= 0 || sent < limit)) {
      TenantCursor c = heads.poll();
      ServedSeries s = c.poll();
      if (c.peek() != null) {
        heads.add(c);
      }
      sent++;
      for (Series frame : split(s)) {
        bytes += frame.getSerializedSize();
        if (batchSize > 1) {
          batch.add(frame);
          batchBytes += frame.getSerializedSize();
          // Batches are bounded by bytes as well as count, so a batch never exceeds a client's message limit.
          if (batch.size() == batchSize || batchBytes >= MAX_FRAME_BYTES) {
            batchBytes = 0;
            frames.add(SeriesResponse.newBuilder().setBatch(SeriesBatch.newBuilder().addAllSeries(batch)).build());
            batch.clear();
          }
        } else {
          frames.add(SeriesResponse.newBuilder().setSeries(frame).build());
        }
      }
    }
    if (!batch.isEmpty()) {
      frames.add(SeriesResponse.newBuilder().setBatch(SeriesBatch.newBuilder().addAllSeries(batch)).build());
    }
    if (heads.isEmpty() || (limit > 0 && sent >= limit)) {
      done = true;
      for (TenantCursor c : cursors) {
        for (String w : c.warnings()) {
          frames.add(SeriesResponse.newBuilder().setWarning(w).build());
        }
      }
    }
    return frames;
  }

  /** One frame per ~1 MiB of chunks, the labels repeated on each, as Thanos' stores split big series. */
  private static List<Series> split(ServedSeries s) {
    var labels = Protos.labels(s.labels());
    List<Series> out = new ArrayList<>(1);
    Series.Builder b = Series.newBuilder().addAllLabels(labels);
    int bytes = 0;
    for (AggrChunk c : s.chunks()) {
      int size = c.getSerializedSize();
      if (bytes > 0 && bytes + size > MAX_FRAME_BYTES) {
        out.add(b.build());
        b = Series.newBuilder().addAllLabels(labels);
        bytes = 0;
      }
      b.addChunks(c);
      bytes += size;
    }
    out.add(b.build());
    return out;
  }

  @Override
  public void close() {
    for (TenantCursor c : cursors) {
      try {
        c.close();
      } catch (RuntimeException ignored) {
        // closing must release every tenant's querier even when one fails
      }
    }
  }
}
