package io.promgate.storeapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.model.StorageException;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A server that accepts connections and never answers the HTTP/2 handshake: each call fails within its
 * deadline, and the client gives the stuck connection up (it connects again) instead of queueing every later
 * call behind it for ever.
 */
class BlackHoleServerTest {
  @Test
  void callsEndWithinTheDeadlineAndTheStuckConnectionIsGivenUp() throws Exception {
    Vertx vertx = Vertx.vertx();
    Set<NetSocket> open = ConcurrentHashMap.newKeySet();
    AtomicInteger accepted = new AtomicInteger();
    NetServer hole = vertx.createNetServer().connectHandler(s -> {
      accepted.incrementAndGet();
      open.add(s);
      s.handler(b -> { });
      s.closeHandler(v -> open.remove(s));
    });
    hole.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    StoreApiQueryable client = StoreApiQueryable.create(vertx,
        StoreApiClientConfig.plaintext("127.0.0.1", hole.actualPort()).withTimeout(Duration.ofMillis(300)));
    try {
      for (int i = 0; i < 4; i++) {
        long t = System.nanoTime();
        CompletableFuture<Object> f = client.info().toCompletionStage().toCompletableFuture()
            .handle((r, e) -> e == null ? r : e);
        Object r = f.get(10, TimeUnit.SECONDS);
        assertThat(r).isInstanceOf(StorageException.class);
        assertThat(((Throwable) r).getMessage()).contains("DEADLINE_EXCEEDED");
        assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(3));
      }
      assertThat(accepted.get()).as("a new connection after each stuck one").isGreaterThanOrEqualTo(4);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (open.size() > 1 && System.nanoTime() < deadline) {
        Thread.sleep(20); // polling interval
      }
      assertThat(open.size()).as("stuck connections are closed, only the newest may still be open").isLessThanOrEqualTo(1);
    } finally {
      client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
