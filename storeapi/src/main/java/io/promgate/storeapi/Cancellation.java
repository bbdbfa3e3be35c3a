package io.promgate.storeapi;

import io.promgate.model.StorageException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.grpc.client.GrpcClientRequest;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The calls of one querier, so that closing it ends them all: running gRPC calls are reset (the server stops
 * reading its store) and their futures fail at once, whatever stage the call was in (connecting, sending,
 * streaming). Calls started after the cancellation are reset as soon as they register.
 */
final class Cancellation {
  private final Set<GrpcClientRequest<?, ?>> calls = ConcurrentHashMap.newKeySet();
  private final Set<Promise<?>> pending = ConcurrentHashMap.newKeySet();
  private volatile boolean cancelled;

  boolean cancelled() {
    return cancelled;
  }

  void register(GrpcClientRequest<?, ?> call) {
    calls.add(call);
    if (cancelled) {
      call.cancel();
    }
  }

  void forget(GrpcClientRequest<?, ?> call) {
    calls.remove(call);
  }

  /** A future that completes with {@code f}, or fails when cancelled first. */
  <T> Future<T> guard(Future<T> f, String source) {
    Promise<T> p = Promise.promise();
    pending.add(p);
    f.onComplete(ar -> {
      pending.remove(p);
      if (ar.succeeded()) {
        p.tryComplete(ar.result());
      } else if (cancelled) {
        // The reset this cancellation caused surfaces as a gRPC CANCELLED status, sometimes before the
        // promise below is failed: report it as the cancellation it is, whichever comes first.
        p.tryFail(new StorageException(source + ": cancelled"));
      } else {
        p.tryFail(ar.cause());
      }
    });
    if (cancelled) {
      p.tryFail(new StorageException(source + ": cancelled"));
    }
    return p.future();
  }

  void cancel(String source) {
    cancelled = true;
    // Fail the waiting futures before resetting the calls, so callers see "cancelled", not the reset.
    for (Promise<?> p : pending) {
      p.tryFail(new StorageException(source + ": cancelled"));
    }
    pending.clear();
    for (GrpcClientRequest<?, ?> call : calls) {
      call.cancel();
    }
    calls.clear();
  }
}
