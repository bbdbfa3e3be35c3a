package io.promgate.gateway.federation;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.promgate.model.StorageException;
import io.promgate.routing.config.ConfigLoader;
import io.promgate.routing.config.PromgateConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A backend's {@code breaker:} and {@code bulkhead:} reach its guard; options given to the registry win. */
class GuardRegistryTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private static final PromgateConfig CONFIG = ConfigLoader.parse("""
      backends:
        tuned: { type: prometheus, url: 'http://a:9090', bulkhead: 1,
                 breaker: { failure-rate: 20, minimum-calls: 2, window: 3, open-wait: 7s } }
        plain: { type: storeapi, address: 'b:10901' }
      """);

  private BackendGuard guard(GuardRegistry r, String backend) {
    var c = CONFIG.backends().get(backend);
    return r.guard(backend, FederatedQueryable.timeoutOf(c), FederatedQueryable.guardOf(c));
  }

  @Test
  void eachBackendGetsItsConfiguredBreakerAndBulkhead() {
    GuardRegistry r = new GuardRegistry(vertx);
    CircuitBreakerConfig tuned = guard(r, "tuned").breaker().getCircuitBreakerConfig();
    assertThat(tuned.getFailureRateThreshold()).isEqualTo(20f);
    assertThat(tuned.getMinimumNumberOfCalls()).isEqualTo(2);
    assertThat(tuned.getSlidingWindowSize()).isEqualTo(3);
    assertThat(tuned.getWaitIntervalFunctionInOpenState().apply(1)).isEqualTo(7_000L);
    CircuitBreakerConfig plain = guard(r, "plain").breaker().getCircuitBreakerConfig();
    assertThat(plain.getFailureRateThreshold()).isEqualTo(50f);
    assertThat(plain.getWaitIntervalFunctionInOpenState().apply(1)).isEqualTo(30_000L);

    // bulkhead: 1 — a second call while the first is in flight is refused without reaching the backend.
    Promise<String> first = Promise.promise();
    guard(r, "tuned").call(first::future);
    Future<String> second = guard(r, "tuned").call(() -> Future.succeededFuture("reached"));
    assertThat(second.failed()).isTrue();
    assertThat(second.cause()).isInstanceOf(StorageException.class).hasMessageContaining("bulkhead");
    first.complete("done");
  }

  @Test
  void registryOptionsOverrideTheConfig() {
    GuardRegistry r = new GuardRegistry(vertx, new GuardOptions(90, 1, 1, Duration.ofSeconds(1), 0));
    assertThat(guard(r, "tuned").breaker().getCircuitBreakerConfig().getFailureRateThreshold()).isEqualTo(90f);
  }
}
