package io.promgate.gateway.federation;

import io.promgate.gateway.metrics.SelfMetrics;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@link BackendGuard} per backend, and their state and latency in {@code /metrics}. Each guard takes
 * its backend's configured breaker and bulkhead, unless the registry was built with options for all
 * (tests).
 */
public final class GuardRegistry implements SelfMetrics.MetricsSource {
  private final Map<String, BackendGuard> guards = new LinkedHashMap<>();
  private final Vertx vertx;
  private final GuardOptions options;

  /** Every backend with {@code options}, whatever its config says. */
  public GuardRegistry(Vertx vertx, GuardOptions options) {
    this.vertx = vertx;
    this.options = options;
  }

  /** Every backend with its own configured options. */
  public GuardRegistry(Vertx vertx) {
    this(vertx, null);
  }

  public synchronized BackendGuard guard(String backend, Duration timeout) {
    return guard(backend, timeout, io.promgate.routing.config.BackendClient.Guard.DEFAULT);
  }

  public synchronized BackendGuard guard(String backend, Duration timeout,
      io.promgate.routing.config.BackendClient.Guard configured) {
    return guards.computeIfAbsent(backend, b -> new BackendGuard(vertx, b, timeout,
        options != null ? options : GuardOptions.of(configured)));
  }

  public synchronized BackendGuard get(String backend) {
    return guards.get(backend);
  }

  synchronized Collection<BackendGuard> all() {
    return java.util.List.copyOf(guards.values());
  }

  @Override
  public void writeTo(StringBuilder out) {
    Collection<BackendGuard> gs = all();
    if (gs.isEmpty()) {
      return;
    }
    StringBuilder state = new StringBuilder();
    StringBuilder calls = new StringBuilder();
    StringBuilder failed = new StringBuilder();
    StringBuilder latency = new StringBuilder();
    for (BackendGuard g : gs) {
      g.writeState(state);
      g.writeCounters(calls, failed, latency);
    }
    out.append("# HELP promgate_backend_circuit_breaker_state Circuit breaker state per backend (1 = current).\n")
        .append("# TYPE promgate_backend_circuit_breaker_state gauge\n").append(state)
        .append("# HELP promgate_backend_calls_total Calls made to a backend by the federation.\n")
        .append("# TYPE promgate_backend_calls_total counter\n").append(calls)
        .append("# HELP promgate_backend_call_failures_total Failed or refused federation calls per backend.\n")
        .append("# TYPE promgate_backend_call_failures_total counter\n").append(failed)
        .append("# HELP promgate_backend_call_seconds_sum Total time of federation calls per backend.\n")
        .append("# TYPE promgate_backend_call_seconds_sum counter\n").append(latency);
  }
}
