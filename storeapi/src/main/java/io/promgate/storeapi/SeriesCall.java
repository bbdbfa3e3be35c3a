package io.promgate.storeapi;

import io.promgate.storeapi.thanos.SeriesRequest;
import io.promgate.storeapi.thanos.SeriesResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * One Series call on the server: pulls frames from its {@link SeriesProducer} on a worker, writes them on the
 * event loop, and waits for the HTTP/2 stream to drain before pulling more.
 *
 * <p>All fields are touched only on the call's event loop (handlers and future callbacks run there), so no
 * locking: {@code stepRunning} tells whether a worker holds the producer right now. A cancellation that
 * arrives between steps (typically while waiting for a drain that will never come) closes the producer at
 * once; one that arrives during a step is acted on when the step returns.
 */
final class SeriesCall {
  private final Context ctx;
  private final GrpcServerResponse<SeriesRequest, SeriesResponse> resp;
  private SeriesProducer producer;
  private boolean stepRunning;
  private boolean finished;

  SeriesCall(Context ctx, GrpcServerResponse<SeriesRequest, SeriesResponse> resp) {
    this.ctx = ctx;
    this.resp = resp;
  }

  void start(Callable<SeriesProducer> open) {
    stepRunning = true;
    ctx.executeBlocking(open, false).onComplete(ar -> {
      stepRunning = false;
      if (ar.failed()) {
        finish(ar.cause());
      } else {
        producer = ar.result();
        if (finished) {
          release();
        } else {
          pump();
        }
      }
    });
  }

  /** The client reset the stream or the connection closed. */
  void cancel() {
    if (finished) {
      return;
    }
    finished = true;
    if (!stepRunning) {
      release();
    }
  }

  private void pump() {
    stepRunning = true;
    ctx.executeBlocking(() -> producer.next(StoreApiServer.STEP_BYTES), false).onComplete(ar -> {
      stepRunning = false;
      if (finished) {
        release();
        return;
      }
      if (ar.failed()) {
        finish(ar.cause());
        return;
      }
      List<SeriesResponse> frames = ar.result();
      try {
        for (SeriesResponse f : frames) {
          resp.write(f);
        }
      } catch (IllegalStateException reset) {
        // "The stream is failed: CANCELLED": a client's reset can reach the stream before our exception
        // handlers hear of it; without this the producer (and the store's querier) stayed open for good.
        finished = true;
        release();
        return;
      }
      if (producer.done()) {
        finish(null);
      } else if (resp.writeQueueFull()) {
        resp.drainHandler(v -> {
          resp.drainHandler(null);
          if (!finished) {
            pump();
          }
        });
      } else {
        pump();
      }
    });
  }

  private void finish(Throwable failure) {
    finished = true;
    release();
    if (failure == null) {
      resp.end();
    } else {
      StoreApiServer.fail(resp, failure);
    }
  }

  private void release() {
    SeriesProducer p = producer;
    producer = null;
    if (p != null) {
      Future<Object> ignored = ctx.executeBlocking(() -> {
        p.close();
        return null;
      }, false);
    }
  }
}
