package io.promgate.gateway.federation;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.promgate.model.StorageException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * One backend's Resilience4j circuit breaker, timeout and optional bulkhead, named after the backend.
 *
 * <p>Why not Resilience4j's decorators: they wrap {@code CompletionStage}s and need a scheduler thread for
 * the timeout; our calls are Vert.x futures on an event loop, so the {@link TimeLimiter}'s duration is
 * enforced by a Vert.x timer and breaker and limiter are driven by hand ({@code tryAcquirePermission},
 * {@code onSuccess}, {@code onError}), which is what the decorators do inside. Every failure (including a
 * timeout) counts; a refused call (open breaker, full
 * bulkhead) fails at once without touching the backend.
 */
public final class BackendGuard {
  private final String backend;
  private final Vertx vertx;
  private final TimeLimiter timeLimiter;
  private final CircuitBreaker breaker;
  private final Bulkhead bulkhead;
  private final LongAdder calls = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final AtomicLong latencyNanosSum = new AtomicLong();

  public BackendGuard(Vertx vertx, String backend, Duration timeout, GuardOptions o) {
    this.vertx = vertx;
    this.backend = backend;
    this.timeLimiter = TimeLimiter.of(backend, TimeLimiterConfig.custom().timeoutDuration(timeout)
        .cancelRunningFuture(true).build());
    this.breaker = CircuitBreaker.of(backend, CircuitBreakerConfig.custom()
        .failureRateThreshold(o.failureRatePercent())
        .minimumNumberOfCalls(o.minimumCalls())
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(o.windowSize())
        .waitDurationInOpenState(o.openWait())
        .permittedNumberOfCallsInHalfOpenState(1)
        .recordExceptions(Throwable.class)
        .build());
    this.bulkhead = o.bulkhead() > 0
        ? Bulkhead.of(backend, BulkheadConfig.custom().maxConcurrentCalls(o.bulkhead()).maxWaitDuration(Duration.ZERO)
            .build())
        : null;
  }

  public String backend() {
    return backend;
  }

  public CircuitBreaker.State state() {
    return breaker.getState();
  }

  public CircuitBreaker breaker() {
    return breaker;
  }

  public <T> Future<T> call(Supplier<Future<T>> call) {
    if (!breaker.tryAcquirePermission()) {
      failures.increment();
      return Future.failedFuture(new StorageException("circuit breaker open",
          CallNotPermittedException.createCallNotPermittedException(breaker)));
    }
    if (bulkhead != null && !bulkhead.tryAcquirePermission()) {
      breaker.releasePermission();
      failures.increment();
      return Future.failedFuture(new StorageException("too many concurrent requests (bulkhead full)"));
    }
    long t0 = System.nanoTime();
    calls.increment();
    Promise<T> p = Promise.promise();
    long timeoutMs = timeLimiter.getTimeLimiterConfig().getTimeoutDuration().toMillis();
    long timer = vertx.setTimer(Math.max(1, timeoutMs), id -> p.tryFail(
        new StorageException("timed out after " + timeoutMs + "ms")));
    Future<T> f;
    try {
      f = call.get();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(ar -> {
      if (ar.succeeded()) {
        p.tryComplete(ar.result());
      } else {
        p.tryFail(ar.cause());
      }
    });
    return p.future().andThen(ar -> {
      vertx.cancelTimer(timer);
      long nanos = System.nanoTime() - t0;
      latencyNanosSum.addAndGet(nanos);
      if (bulkhead != null) {
        bulkhead.onComplete();
      }
      if (ar.succeeded()) {
        timeLimiter.onSuccess();
        breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
      } else {
        timeLimiter.onError(ar.cause());
        failures.increment();
        breaker.onError(nanos, TimeUnit.NANOSECONDS, ar.cause());
      }
    });
  }

  /** Prometheus exposition lines for this backend (families written once by {@link GuardRegistry}). */
  void writeState(StringBuilder sb) {
    for (CircuitBreaker.State s : new CircuitBreaker.State[] {CircuitBreaker.State.CLOSED,
        CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN}) {
      sb.append("promgate_backend_circuit_breaker_state{backend=\"").append(backend).append("\",state=\"")
          .append(s.name().toLowerCase(java.util.Locale.ROOT)).append("\"} ")
          .append(breaker.getState() == s ? 1 : 0).append('\n');
    }
  }

  void writeCounters(StringBuilder calls, StringBuilder failed, StringBuilder latency) {
    calls.append("promgate_backend_calls_total{backend=\"").append(backend).append("\"} ")
        .append(this.calls.sum()).append('\n');
    failed.append("promgate_backend_call_failures_total{backend=\"").append(backend).append("\"} ")
        .append(failures.sum()).append('\n');
    latency.append("promgate_backend_call_seconds_sum{backend=\"").append(backend).append("\"} ")
        .append(latencyNanosSum.get() / 1e9).append('\n');
  }
}
