package io.promgate.gateway.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.promgate.gateway.backend.prometheus.ReadMode;
import io.promgate.gateway.it.PromgateHarness;
import io.promgate.gateway.it.RealPrometheus;
import io.promgate.routing.config.ConfigLoader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * What the fault-injection ITs ({@link FaultInjectionIT}, {@link StoreApiFaultInjectionIT}) share: a healthy
 * real Prometheus with 40 minutes of {@link SeedData}, gateways reading it next to a faulty backend (tenant
 * {@code mixed}) or the faulty one alone (tenant {@code alone}), an HTTP client on a fixed pool, the calls
 * every round makes, the checks every answer must pass, and the leak probes (threads, file descriptors).
 */
final class FaultBed implements AutoCloseable {
  static final long MIN = 60_000;
  /** The faulty backend's timeout. */
  static final Duration BACKEND_TIMEOUT = Duration.ofSeconds(1);
  /**
   * An answer later than this counts as a hang: the healthy backend's timeout (5s, its answer is awaited
   * with the faulty one's failure) plus slack for a 2-core machine shared with other builds and benchmarks
   * (a first query there, cold, has taken 10s). A hang is unbounded, so this still tells one apart.
   */
  static final Duration ANSWER_WITHIN = Duration.ofSeconds(15);

  final long t0;
  final Clock clock;
  final RealPrometheus healthy;
  private final ExecutorService clientThreads;
  private final HttpClient http;

  private FaultBed() throws Exception {
    t0 = (System.currentTimeMillis() / SeedData.STEP) * SeedData.STEP - SeedData.STEP;
    clock = Clock.fixed(Instant.ofEpochMilli(t0), ZoneOffset.UTC);
    healthy = RealPrometheus.start();
    new SeedData(t0 - 40 * MIN, t0, 7).writeTo(healthy, Long.MIN_VALUE, Long.MAX_VALUE, Map.of());
    // A fixed pool, created before any baseline is taken, so the client's own threads do not count as leaks.
    clientThreads = Executors.newFixedThreadPool(6);
    http = HttpClient.newBuilder().executor(clientThreads).connectTimeout(Duration.ofSeconds(5)).build();
  }

  static FaultBed start() throws Exception {
    return new FaultBed();
  }

  /** A gateway and its federation (whose guards the breaker tests watch). */
  record Gateway(PromgateHarness server, FederationPlugin plugin) implements AutoCloseable {
    BackendGuard guard(String backend) {
      return plugin.guards().get(backend);
    }

    @Override
    public void close() throws Exception {
      server.close();
    }
  }

  /**
   * A gateway with backends {@code healthy} and {@code faulty} (the latter's config body given, e.g.
   * {@code type: storeapi, address: 'h:p'}; its timeout is {@link #BACKEND_TIMEOUT}), partial responses on,
   * and a breaker that opens quickly and tries again after 500 ms.
   */
  Gateway gateway(String faultyBackend, ReadMode readMode) throws Exception {
    FederationPlugin plugin = new FederationPlugin(new GuardOptions(50, 4, 8, Duration.ofMillis(500), 0), readMode,
        null, clock);
    PromgateHarness server = PromgateHarness.start(ConfigLoader.parse("""
        server: { http: 127.0.0.1:0 }
        tenancy: { default: mixed }
        backends:
          healthy: { type: prometheus, url: %s, timeout: 5s }
          faulty:  { %s, timeout: %dms }
        routes:
          - tenants: [alone]
            windows: [ { backends: [faulty] } ]
          - tenants: [mixed]
            windows: [ { backends: [healthy, faulty] } ]
        partial-response: true
        """.formatted(healthy.url(), faultyBackend, BACKEND_TIMEOUT.toMillis()), clock), List.of(plugin));
    return new Gateway(server, plugin);
  }

  /** One answer: status (-1 when the connection broke), body and how long it took. */
  record Answer(String what, int status, String body, Duration took) {
    JsonNode json() {
      try {
        return PromJson.parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      } catch (Exception e) {
        throw new AssertionError(this + ": not JSON: " + e, e);
      }
    }

    @Override
    public String toString() {
      return what + " -> " + status + " in " + took.toMillis() + "ms: " + (body.length() > 300 ? body.substring(0, 300) : body);
    }
  }

  CompletableFuture<Answer> ask(PromgateHarness g, String pathAndQuery, String tenant) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(g.url() + pathAndQuery)).header("X-Scope-OrgID", tenant)
        .timeout(ANSWER_WITHIN.multipliedBy(3)).build();
    long t = System.nanoTime();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).handle((r, e) -> {
      Duration took = Duration.ofNanos(System.nanoTime() - t);
      if (e != null) {
        return new Answer(tenant + " " + pathAndQuery, -1, String.valueOf(e), took);
      }
      return new Answer(tenant + " " + pathAndQuery, r.statusCode(), r.body(), took);
    });
  }

  /** A query, a range query and the three metadata calls over the seeded data. */
  List<String> calls() {
    String time = FederationIT.sec(t0 - MIN);
    String range = "&start=" + FederationIT.sec(t0 - 30 * MIN) + "&end=" + time;
    return List.of(
        "/api/v1/query?query=" + FederationIT.enc("sum by (code) (rate(http_requests_total[5m]))") + "&time=" + time,
        "/api/v1/query_range?query=" + FederationIT.enc("avg(temperature_celsius)") + range + "&step=60",
        "/api/v1/series?match[]=" + FederationIT.enc("http_requests_total") + range,
        "/api/v1/labels?" + range.substring(1),
        "/api/v1/label/job/values?" + range.substring(1));
  }

  /**
   * Every call for tenant {@code mixed}, with and without partial responses, then the first {@code alone}
   * calls for tenant {@code alone}; all sent at once.
   */
  List<CompletableFuture<Answer>> round(PromgateHarness g, int alone) {
    List<CompletableFuture<Answer>> out = new ArrayList<>();
    for (String call : calls()) {
      out.add(ask(g, call, "mixed"));
      out.add(ask(g, call + "&partial_response=false", "mixed"));
    }
    for (String call : calls().subList(0, alone)) {
      out.add(ask(g, call, "alone"));
    }
    return out;
  }

  /**
   * Warms {@code g} up (JIT, pools, connections, Prometheus' first reads) with the faulty backend healthy,
   * until one whole round passes {@code clean}: on a loaded machine a cold first call can miss the faulty
   * backend's 1 s timeout, which says nothing about faults yet.
   */
  void warmUp(PromgateHarness g, int alone, java.util.function.Predicate<Answer> clean) throws Exception {
    List<Answer> last = new ArrayList<>();
    pollUntil(Duration.ofSeconds(60), () -> {
      last.clear();
      round(g, alone).forEach(f -> last.add(f.join()));
      return last.stream().allMatch(clean);
    }, () -> "a clean warm-up round; last: " + last);
  }

  /** Answered at all, and not by a timeout. */
  static boolean notTimedOut(Answer a) {
    return a.status() != -1 && !a.body().contains("timed out");
  }

  /** A plain success: 200 and no warnings. */
  static boolean clean(Answer a) {
    return a.status() == 200 && !a.body().contains("\"warnings\"");
  }

  /** What every answer of tenant {@code mixed} or a pushed-down {@code alone} must be while a backend fails. */
  static void checkAnswer(Answer a) {
    assertThat(a.took()).as("%s", a).isLessThan(ANSWER_WITHIN);
    assertThat(a.status()).as("%s", a).isNotEqualTo(500);
    if (a.what().startsWith("alone ")) {
      // Pushdown relays the upstream's answer; what it cannot relay must be a 503 naming the upstream, or a
      // connection reset when the upstream broke off after its headers were already relayed.
      if (a.status() != 200 && a.status() != -1) {
        assertThat(a.status()).as("%s", a).isEqualTo(503);
        assertThat(a.body()).as("%s", a).contains("faulty");
      }
      return;
    }
    JsonNode j = a.json();
    if (a.what().contains("partial_response=false")) {
      assertThat(a.status()).as("%s", a).isEqualTo(503);
      assertThat(j.path("errorType").asText()).as("%s", a).isEqualTo("unavailable");
      assertThat(j.path("error").asText()).as("%s", a).contains("faulty");
    } else {
      assertThat(a.status()).as("%s", a).isEqualTo(200);
      assertThat(j.path("status").asText()).as("%s", a).isEqualTo("success");
      assertThat(j.path("warnings").toString()).as("%s", a).contains("backend faulty failed");
      assertThat(j.path("data").toString()).as("%s", a).isNotIn("[]", "{}", "");
    }
  }

  static int threads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  static long fds() {
    try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
      return s.count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Polls {@code done} until it holds or the deadline passes (then fails naming threads and descriptors). */
  static void pollUntil(Duration within, BooleanSupplier done) throws Exception {
    pollUntil(within, done, () -> "");
  }

  /** As {@link #pollUntil(Duration, BooleanSupplier)}, the failure also saying what {@code seen} reports. */
  static void pollUntil(Duration within, BooleanSupplier done, java.util.function.Supplier<String> seen)
      throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached within " + within + " (threads " + threads() + ", fds " + fds()
            + ") " + seen.get());
      }
      Thread.sleep(50); // polling interval, not a wait for an outcome
    }
  }

  @Override
  public void close() throws Exception {
    clientThreads.shutdownNow();
    healthy.close();
  }
}
