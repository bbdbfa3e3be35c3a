package io.promgate.gateway.federation;

import static io.promgate.gateway.federation.FaultBed.checkAnswer;
import static io.promgate.gateway.federation.FaultBed.fds;
import static io.promgate.gateway.federation.FaultBed.pollUntil;
import static io.promgate.gateway.federation.FaultBed.threads;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.promgate.gateway.backend.prometheus.ReadMode;
import io.promgate.gateway.federation.FaultBed.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Fault injection (issue 12): a {@link FaultyBackend} that hangs, trickles, breaks off mid-body, answers
 * garbage or 500 sits next to a healthy real Prometheus. Tenant {@code mixed} reads both (federation,
 * remote read or instant-query reads, and the metadata endpoints); tenant {@code alone} reads only the faulty
 * one (pushdown: the query is relayed). Every answer must come within the backend timeout plus a margin,
 * never as a 500: a partial result with a warning naming the backend, or 503 {@code unavailable} without
 * partial responses. The breaker must open and close again, and after many faulty queries the JVM must hold
 * no more threads, file descriptors or backend connections than before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionIT {
  FaultBed bed;
  FaultyBackend faulty;
  final Map<ReadMode, FaultBed.Gateway> gateways = new java.util.EnumMap<>(ReadMode.class);

  @BeforeAll
  void start() throws Exception {
    bed = FaultBed.start();
    faulty = new FaultyBackend();
    for (ReadMode mode : new ReadMode[] {ReadMode.REMOTE_READ, ReadMode.QUERY}) {
      gateways.put(mode, bed.gateway("type: prometheus, url: " + faulty.url(), mode));
    }
    faulty.mode(FaultyBackend.Mode.HEALTHY);
    for (FaultBed.Gateway g : gateways.values()) {
      bed.warmUp(g.server(), 2, FaultBed::notTimedOut);
    }
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable c : Stream.concat(gateways.values().stream(), Stream.of(faulty, bed)).toList()) {
      if (c != null) {
        c.close();
      }
    }
  }

  /** Every federated call of tenant mixed, and two pushed down for tenant alone. */
  List<CompletableFuture<Answer>> mixedRound(FaultBed.Gateway g) {
    return bed.round(g.server(), 2);
  }

  CompletableFuture<Answer> ask(FaultBed.Gateway g, String pathAndQuery, String tenant) {
    return bed.ask(g.server(), pathAndQuery, tenant);
  }

  @Test
  @Order(1)
  void everyFaultGivesAPartialAnswerOr503WithinTheTimeout() throws Exception {
    List<String> failures = new ArrayList<>();
    for (FaultyBackend.Mode mode : FaultyBackend.FAULTS) {
      faulty.mode(mode);
      for (var e : gateways.entrySet()) {
        for (CompletableFuture<Answer> f : mixedRound(e.getValue())) {
          Answer a = f.get();
          try {
            checkAnswer(a);
          } catch (AssertionError err) {
            failures.add(mode + "/" + e.getKey() + ": " + err.getMessage());
          }
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  @Order(2)
  void theBreakerOpensAndRecovers() throws Exception {
    FaultBed.Gateway g = gateways.get(ReadMode.REMOTE_READ);
    BackendGuard guard = g.guard("faulty");
    String q = bed.calls().get(0);
    faulty.mode(FaultyBackend.Mode.ERROR_500);
    pollUntil(Duration.ofSeconds(30), () -> {
      checkAnswer(ask(g, q, "mixed").join());
      return guard.state() == CircuitBreaker.State.OPEN;
    });
    int before = faulty.accepted();
    Answer refused = ask(g, q, "mixed").join();
    checkAnswer(refused);
    assertThat(refused.body()).contains("circuit breaker open");
    assertThat(faulty.accepted()).as("an open breaker keeps calls away from the backend").isEqualTo(before);

    faulty.mode(FaultyBackend.Mode.HEALTHY);
    pollUntil(Duration.ofSeconds(30), () -> {
      ask(g, q, "mixed").join();
      return guard.state() == CircuitBreaker.State.CLOSED;
    });
    Answer ok = ask(g, q, "mixed").join();
    assertThat(ok.status()).as("%s", ok).isEqualTo(200);
    assertThat(ok.json().path("warnings").isMissingNode()).as("%s", ok).isTrue();
  }

  @Test
  @Order(3)
  void aSlowButTimelyBackendCostsNothing() throws Exception {
    faulty.mode(FaultyBackend.Mode.SLOW);
    for (FaultBed.Gateway g : gateways.values()) {
      Answer a = ask(g, bed.calls().get(0), "mixed").join();
      assertThat(a.status()).as("%s", a).isEqualTo(200);
      assertThat(a.json().path("warnings").isMissingNode()).as("%s", a).isTrue();
      assertThat(a.took()).as("%s", a).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
  }

  @Test
  @Order(4)
  void manyFaultyQueriesLeakNoThreadsSocketsOrConnections() throws Exception {
    // Warm-up: event loops, worker threads and client pools are created lazily; the baseline comes after.
    faultyRounds(1);
    pollUntil(Duration.ofSeconds(30), () -> faulty.inFlight() == 0, faulty::describeOpen);
    int threadsBefore = threads();
    long fdsBefore = fds();
    int idleBefore = faulty.open();

    faultyRounds(4);

    // Every exchange with the faulty backend has been ended by the gateway, and the JVM's threads and file
    // descriptors come back to the baseline (slack for a few lazily started pool threads). Idle keep-alive
    // connections may remain in the gateway's pools (two descriptors each, both ends live in this JVM): they
    // are bounded by the pool sizes and closed by the keep-alive timeout.
    java.util.function.Supplier<String> seen = () -> "baseline: threads " + threadsBefore + ", fds " + fdsBefore
        + ", idle " + idleBefore + "; now " + faulty.describeOpen();
    pollUntil(Duration.ofSeconds(30), () -> faulty.inFlight() == 0, seen);
    pollUntil(Duration.ofSeconds(30), () -> threads() <= threadsBefore + 4, seen);
    pollUntil(Duration.ofSeconds(30), () -> fds() <= fdsBefore + 8 + 2L * Math.max(0, faulty.open() - idleBefore),
        seen);
    assertThat(faulty.open()).as("idle pooled connections stay within the pools' bounds").isLessThanOrEqualTo(2 * 32);
    assertThat(faulty.accepted()).isGreaterThan(50);
  }

  void faultyRounds(int rounds) throws Exception {
    for (int r = 0; r < rounds; r++) {
      for (FaultyBackend.Mode mode : FaultyBackend.FAULTS) {
        faulty.mode(mode);
        List<CompletableFuture<Answer>> all = new ArrayList<>();
        for (FaultBed.Gateway g : gateways.values()) {
          all.addAll(mixedRound(g));
        }
        for (CompletableFuture<Answer> f : all) {
          checkAnswer(f.get());
        }
      }
    }
  }
}
