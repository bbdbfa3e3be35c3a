package io.promgate.gateway.federation;

import static io.promgate.gateway.federation.FaultBed.fds;
import static io.promgate.gateway.federation.FaultBed.pollUntil;
import static io.promgate.gateway.federation.FaultBed.threads;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.promgate.gateway.backend.prometheus.ReadMode;
import io.promgate.gateway.federation.FaultBed.Answer;
import io.promgate.model.Labels;
import io.promgate.promql.engine.storage.MemoryStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Fault injection (issue 12) for {@code type: storeapi} backends: a {@link FaultyStore} (our own gRPC StoreAPI
 * server on a real socket) that hangs, fails, or fails after streaming part of its answer sits next to a
 * healthy real Prometheus, with the same expectations as {@link FaultInjectionIT}: every answer within the
 * backend timeout plus a margin, never a 500; a partial result with a warning naming the backend, or 503
 * {@code unavailable} without partial responses; nothing the failed store streamed before failing shows up
 * in an answer; the breaker opens and closes again; and after many faulty queries no call stays open at the
 * store and the JVM holds no more threads or file descriptors than before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StoreApiFaultInjectionIT {
  static final long MIN = FaultBed.MIN;

  FaultBed bed;
  FaultyStore faulty;
  FaultBed.Gateway gateway;

  @BeforeAll
  void start() throws Exception {
    bed = FaultBed.start();
    long t0 = bed.t0;
    MemoryStorage data = new MemoryStorage();
    for (long t = t0 - 40 * MIN, i = 0; t <= t0; t += SeedData.STEP, i++) {
      data.append(Labels.of("__name__", "http_requests_total", "code", "200", "job", "store"), t, i);
      data.append(Labels.of("__name__", "temperature_celsius", "job", "store"), t, 20);
    }
    faulty = new FaultyStore(data, t0 - 40 * MIN, t0, List.of("http_requests_total", "temperature_celsius"));
    gateway = bed.gateway("type: storeapi, address: '" + faulty.address() + "'", ReadMode.REMOTE_READ);
    faulty.mode(FaultyStore.Mode.HEALTHY);
    bed.warmUp(gateway.server(), bed.calls().size(), FaultBed::clean);
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {gateway, faulty, bed}) {
      if (c != null) {
        c.close();
      }
    }
  }

  CompletableFuture<Answer> ask(String pathAndQuery, String tenant) {
    return bed.ask(gateway.server(), pathAndQuery, tenant);
  }

  List<String> calls() {
    return bed.calls();
  }

  /** Every call for tenant mixed, with and without partial responses, and every call for tenant alone. */
  List<CompletableFuture<Answer>> round() {
    return bed.round(gateway.server(), bed.calls().size());
  }

  static void check(Answer a) {
    assertThat(a.body()).as("%s: what the store streamed before failing must not be served", a)
        .doesNotContain("leaked");
    if (a.what().startsWith("alone ")) {
      // Only the faulty store: a success with a warning and no data, or 503 naming it.
      assertThat(a.took()).as("%s", a).isLessThan(FaultBed.ANSWER_WITHIN);
      assertThat(a.status()).as("%s", a).isIn(200, 503);
      assertThat(a.body()).as("%s", a).contains("faulty");
      return;
    }
    FaultBed.checkAnswer(a);
  }

  @Test
  @Order(1)
  void everyFaultGivesAPartialAnswerOr503WithinTheTimeout() throws Exception {
    List<String> failures = new ArrayList<>();
    for (FaultyStore.Mode mode : FaultyStore.FAULTS) {
      closeBreaker();
      faulty.mode(mode);
      int before = faulty.calls();
      boolean sawFault = false;
      List<Answer> answers = new ArrayList<>();
      for (CompletableFuture<Answer> f : round()) {
        Answer a = f.get();
        answers.add(a);
        sawFault |= a.body().contains(switch (mode) {
          case FAIL_MID_STREAM -> "planted failure after ";
          case FAIL -> "planted failure";
          default -> "backend faulty failed";
        });
        try {
          check(a);
        } catch (AssertionError err) {
          failures.add(mode + ": " + err.getMessage());
        }
      }
      if (mode.compareTo(FaultyStore.Mode.BLACK_HOLE) < 0) {
        assertThat(faulty.calls()).as("%s reached the store", mode).isGreaterThan(before);
      }
      assertThat(sawFault).as("%s: an answer names the fault: %s", mode, answers).isTrue();
    }
    assertThat(failures).isEmpty();
  }

  /** A healthy store until the breaker is closed again, so that the next fault reaches the store. */
  void closeBreaker() throws Exception {
    BackendGuard guard = gateway.guard("faulty");
    faulty.mode(FaultyStore.Mode.HEALTHY);
    pollUntil(Duration.ofSeconds(30), () -> {
      ask(calls().get(0), "mixed").join();
      return guard.state() == CircuitBreaker.State.CLOSED;
    });
  }

  @Test
  @Order(2)
  void theBreakerOpensAndRecovers() throws Exception {
    BackendGuard guard = gateway.guard("faulty");
    String q = calls().get(0);
    faulty.mode(FaultyStore.Mode.FAIL);
    pollUntil(Duration.ofSeconds(30), () -> {
      check(ask(q, "mixed").join());
      return guard.state() == CircuitBreaker.State.OPEN;
    });
    int before = faulty.calls();
    Answer refused = ask(q, "mixed").join();
    check(refused);
    assertThat(refused.body()).contains("circuit breaker open");
    assertThat(faulty.calls()).as("an open breaker keeps calls away from the store").isEqualTo(before);

    faulty.mode(FaultyStore.Mode.HEALTHY);
    pollUntil(Duration.ofSeconds(30), () -> {
      ask(q, "mixed").join();
      return guard.state() == CircuitBreaker.State.CLOSED;
    });
    Answer ok = ask(q, "mixed").join();
    assertThat(ok.status()).as("%s", ok).isEqualTo(200);
    assertThat(ok.json().path("warnings").isMissingNode()).as("%s", ok).isTrue();
    assertThat(ok.body()).as("%s", ok).contains("\"code\":\"200\"");
  }

  @Test
  @Order(3)
  void aSlowButTimelyStoreCostsNothing() throws Exception {
    faulty.mode(FaultyStore.Mode.SLOW);
    for (String tenant : List.of("mixed", "alone")) {
      Answer a = ask(calls().get(0), tenant).join();
      assertThat(a.status()).as("%s", a).isEqualTo(200);
      assertThat(a.json().path("warnings").isMissingNode()).as("%s", a).isTrue();
      assertThat(a.took()).as("%s", a).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
  }

  @Test
  @Order(4)
  void manyFaultyQueriesLeaveNoCallsThreadsOrSocketsBehind() throws Exception {
    // Warm-up: pools and per-tenant clients are created lazily; the baseline comes after.
    faultyRounds(1);
    faulty.mode(FaultyStore.Mode.HEALTHY); // releases hung calls
    pollUntil(Duration.ofSeconds(30), () -> faulty.inFlight() == 0);
    int threadsBefore = threads();
    long fdsBefore = fds();

    faultyRounds(4);

    faulty.mode(FaultyStore.Mode.HEALTHY);
    pollUntil(Duration.ofSeconds(30), () -> faulty.inFlight() == 0);
    pollUntil(Duration.ofSeconds(30), () -> threads() <= threadsBefore + 4);
    // gRPC multiplexes every call of a tenant's client over one connection: nothing may grow per call.
    pollUntil(Duration.ofSeconds(30), () -> fds() <= fdsBefore + 8);
    // One pooled connection per tenant's client; the black-holed and garbage ones were all closed again.
    pollUntil(Duration.ofSeconds(30), () -> faulty.openConnections() <= 2);
    assertThat(faulty.calls()).isGreaterThan(50);
  }

  /**
   * A connection that served queries and then goes silent mid-life (no FIN, no RST: a dead peer, a
   * black-holing middlebox) costs the calls that meet it, not every later one: the client that owns it is
   * replaced after the first call that hears nothing by its deadline, so the next queries use a new
   * connection and get answers again; the silent one is closed by the gateway.
   */
  @Test
  @Order(5)
  void aConnectionThatGoesSilentMidLifeIsReplaced() throws Exception {
    closeBreaker();
    String q = calls().get(0);
    Answer before = ask(q, "alone").join();
    assertThat(before.status()).as("%s", before).isEqualTo(200);
    assertThat(before.body()).as("%s", before).doesNotContain("warnings");

    faulty.silenceOpenConnections();
    assertThat(faulty.silencedOpen()).as("the connection in use was silenced").isPositive();
    Answer met = ask(q, "alone").join();
    check(met);
    assertThat(met.body()).as("%s", met).contains("faulty");

    List<Answer> seen = new ArrayList<>();
    pollUntil(Duration.ofSeconds(30), () -> {
      Answer a = ask(q, "alone").join();
      seen.add(a);
      return a.status() == 200 && !a.body().contains("warnings");
    }, () -> "a clean answer again; seen " + seen);
    pollUntil(Duration.ofSeconds(30), () -> faulty.silencedOpen() == 0,
        () -> "the silent connection closed; still open: " + faulty.silencedOpen());
  }

  void faultyRounds(int rounds) throws Exception {
    for (int r = 0; r < rounds; r++) {
      for (FaultyStore.Mode mode : FaultyStore.FAULTS) {
        closeBreaker();
        faulty.mode(mode);
        for (CompletableFuture<Answer> f : round()) {
          check(f.get());
        }
      }
    }
  }
}
