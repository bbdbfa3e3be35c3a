package io.promgate.storeapi;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Querier;
import io.promgate.model.SelectHints;
import io.promgate.model.SeriesSet;
import io.promgate.model.StorageException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.grpc.client.GrpcClientRequest;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The blocking face of {@link StoreApiQueryable} for one time range. {@link #close()} cancels the calls still
 * running (the server sees the stream reset and stops reading its store).
 */
final class StoreApiQuerier implements Querier {
  private final StoreApiQueryable remote;
  private final long mint;
  private final long maxt;
  private final Set<GrpcClientRequest<?, ?>> inflight = ConcurrentHashMap.newKeySet();

  StoreApiQuerier(StoreApiQueryable remote, long mint, long maxt) {
    this.remote = remote;
    this.mint = mint;
    this.maxt = maxt;
  }

  @Override
  public SeriesSet select(boolean sortSeries, SelectHints hints, List<LabelMatcher> matchers) {
    return await(remote.selectAsync(mint, maxt, sortSeries, hints, matchers, inflight));
  }

  @Override
  public List<String> labelValues(String name, List<LabelMatcher> matchers) {
    return await(remote.labelValuesAsync(mint, maxt, name, matchers));
  }

  @Override
  public List<String> labelNames(List<LabelMatcher> matchers) {
    return await(remote.labelNamesAsync(mint, maxt, matchers));
  }

  @Override
  public void close() {
    for (GrpcClientRequest<?, ?> call : inflight) {
      call.cancel();
    }
    inflight.clear();
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
