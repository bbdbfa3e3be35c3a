package io.promgate.storeapi;

import static io.promgate.storeapi.StoreApiTestSupport.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.model.Labels;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The first call of a TLS client must not stall the event loop it runs on: reading the PEM files and
 * initialising the JVM's TLS stack belong to {@link StoreApiQueryable#createAsync}, on a worker. Measured in
 * a fresh JVM (this one has done TLS in other tests already): a 10 ms timer on the client's event loop
 * records the longest gap while the first call of a mutual-TLS client runs. The server runs on another
 * Vert.x instance, so its own first handshake is not counted, and a plaintext call first loads what every
 * first connection loads (DNS resolver, HTTP/2, gRPC), so what is measured is what TLS adds.
 */
class TlsClientStartTest {

  @Test
  void firstCallOfATlsClientDoesNotStallTheEventLoop() throws Exception {
    // Measured on a loaded 2-core machine: 35-45 ms; built on the first connection (create), 130-200 ms here
    // and 0.7-1.3 s in a JVM that has not loaded the DNS resolver, HTTP/2 and gRPC yet. A stall can also be
    // the machine's (another process holding both cores): the best of three fresh JVMs is what is judged;
    // the old code never gets under the bound, however quiet the machine.
    long stall = Long.MAX_VALUE;
    for (int attempt = 0; attempt < 3 && stall >= 100; attempt++) {
      stall = Math.min(stall, probe("async"));
    }
    assertThat(stall).as("longest event-loop stall in ms during the first TLS call").isLessThan(100);
  }

  static long probe(String mode) throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Probe.class.getName(), mode)
        .redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    String line = out.lines().filter(l -> l.startsWith("stall ")).findFirst().orElseThrow(() -> new AssertionError(out));
    return Long.parseLong(line.substring("stall ".length()).trim());
  }

  /** The fresh JVM: {@code async} builds the client with createAsync, {@code lazy} with create. */
  public static final class Probe {
    public static void main(String[] args) throws Exception {
      Vertx serverVertx = Vertx.vertx();
      Vertx vertx = Vertx.vertx();
      SelfSignedCertificate serverCert = SelfSignedCertificate.create("localhost");
      SelfSignedCertificate clientCert = SelfSignedCertificate.create("client");
      InMemoryTenants data = new InMemoryTenants().addSeries("anonymous", Labels.of("__name__", "up"), 0, 3);
      try {
        StoreApiServer plain = get(StoreApiServer.start(serverVertx, data,
            StoreApiServerConfig.builder().host("127.0.0.1").port(0).build()), 30);
        StoreApiServer tls = get(StoreApiServer.start(serverVertx, data, StoreApiServerConfig.builder().host("127.0.0.1")
            .port(0).tls(serverCert.certificatePath(), serverCert.privateKeyPath())
            .tlsClientCa(clientCert.certificatePath()).build()), 30);
        StoreApiQueryable warm = StoreApiQueryable.create(vertx, StoreApiClientConfig.plaintext("localhost", plain.port()));
        get(warm.labelNamesAsync(0, Long.MAX_VALUE, List.of()), 30);
        get(warm.close());
        StoreApiClientConfig config = new StoreApiClientConfig("localhost", tls.port(), null, Duration.ofSeconds(20), true,
            serverCert.certificatePath(), false).withClientCertificate(clientCert.certificatePath(),
            clientCert.privateKeyPath());
        StoreApiQueryable client = "lazy".equals(args[0]) ? StoreApiQueryable.create(vertx, config)
            : get(StoreApiQueryable.createAsync(vertx, config), 30);
        long stall = longestStallMillis(vertx, vertx.getOrCreateContext(),
            () -> client.labelNamesAsync(0, Long.MAX_VALUE, List.of()));
        System.out.println("stall " + stall);
        get(client.close());
        get(plain.close());
        get(tls.close());
      } finally {
        get(vertx.close());
        get(serverVertx.close());
        serverCert.delete();
        clientCert.delete();
      }
      System.exit(0);
    }

    /** Longest gap between ticks of a 10 ms timer on {@code ctx}'s event loop while {@code call} runs there. */
    static long longestStallMillis(Vertx vertx, Context ctx, Supplier<Future<?>> call) {
      AtomicLong last = new AtomicLong();
      AtomicLong worst = new AtomicLong();
      Promise<Void> done = Promise.promise();
      ctx.runOnContext(v -> {
        last.set(System.nanoTime());
        long timer = vertx.setPeriodic(10, id -> {
          long now = System.nanoTime();
          worst.accumulateAndGet(now - last.getAndSet(now), Math::max);
        });
        call.get().onComplete(ar -> {
          vertx.cancelTimer(timer);
          worst.accumulateAndGet(System.nanoTime() - last.get(), Math::max);
          if (ar.failed()) {
            done.fail(ar.cause());
          } else {
            done.complete();
          }
        });
      });
      get(done.future(), 30);
      return TimeUnit.NANOSECONDS.toMillis(worst.get());
    }
  }
}
