package io.promgate.storeapi;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Querier;
import io.promgate.model.SelectHints;
import io.promgate.model.SeriesSet;
import io.promgate.model.StorageException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The blocking face of {@link StoreApiQueryable} for one time range, plus {@link #selectAsync} for callers
 * that prefetch. {@link #close()} cancels the calls still running, async ones included (the server sees
 * the stream reset and stops reading its store).
 */
public final class StoreApiQuerier implements Querier {
  private final StoreApiQueryable remote;
  private final long mint;
  private final long maxt;
  private final Cancellation inflight = new Cancellation();

  StoreApiQuerier(StoreApiQueryable remote, long mint, long maxt) {
    this.remote = remote;
    this.mint = mint;
    this.maxt = maxt;
  }

  @Override
  public SeriesSet select(boolean sortSeries, SelectHints hints, List<LabelMatcher> matchers) {
    return await(selectAsync(sortSeries, hints, matchers));
  }

  /** Like {@link #select}, without blocking; cancelled by {@link #close()}. */
  public Future<SeriesSet> selectAsync(boolean sortSeries, SelectHints hints, List<LabelMatcher> matchers) {
    return inflight.guard(remote.selectAsync(mint, maxt, sortSeries, hints, matchers, inflight), remote.toString());
  }

  @Override
  public List<String> labelValues(String name, List<LabelMatcher> matchers) {
    return await(inflight.guard(remote.labelValuesAsync(mint, maxt, name, matchers, inflight), remote.toString()));
  }

  @Override
  public List<String> labelNames(List<LabelMatcher> matchers) {
    return await(inflight.guard(remote.labelNamesAsync(mint, maxt, matchers, inflight), remote.toString()));
  }

  @Override
  public void close() {
    inflight.cancel(remote.toString());
  }

  private <T> T await(Future<T> future) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("StoreAPI querier called on an event loop thread; use the *Async methods");
    }
    // The gRPC deadline ends the call on time; the extra second only guards against a lost completion.
    long waitMs = remote.config().timeout().toMillis() + 1000;
    try {
      return future.toCompletionStage().toCompletableFuture().get(waitMs, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof StorageException se ? se : new StorageException(remote + ": " + cause, cause);
    } catch (TimeoutException e) {
      close();
      throw new StorageException(remote + ": no answer within " + waitMs + " ms");
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      throw new StorageException(remote + ": interrupted");
    }
  }
}
