package io.promgate.gateway.federation;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.Querier;
import io.promgate.model.Queryable;
import io.promgate.model.SelectHints;
import io.promgate.model.Series;
import io.promgate.model.SeriesSet;
import io.promgate.promql.engine.storage.MemoryStorage;
import io.promgate.storeapi.StoreApiServer;
import io.promgate.storeapi.StoreApiServerConfig;
import io.promgate.storeapi.TenantQueryables;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A misbehaving Thanos StoreAPI backend: our own gRPC {@link StoreApiServer} on a real socket, serving a store
 * that hangs (the call never sends a frame, so only the client's deadline or cancellation ends it), fails
 * (the call ends with gRPC INTERNAL), or fails mid-stream: it first streams a few hundred KiB of bogus series
 * (labelled {@code leaked="before-failure"}, more than the server's first flush step, so the client really has
 * frames in hand) and then ends with INTERNAL, so a client that kept what it had received would show them.
 *
 * <p>Clients connect through a byte-level forwarder in front of the server, which also fails below gRPC:
 * {@code BLACK_HOLE} accepts connections and never says a byte (not even the HTTP/2 settings), {@code GARBAGE}
 * answers random bytes and closes. Switching to either cuts the open connections, so that clients must
 * connect again and meet the fault; switching back cuts nothing, so a client that never gives up a
 * black-holed connection shows as one left open ({@link #openConnections()}) and cannot recover.
 *
 * <p>Every querier the server opens is counted, and so is every close: the server closes its querier when a
 * call ends, also when the client cancelled it, so a test can tell that no call stays open. Runs on its own
 * Vert.x instance so that it shares no threads with the gateway under test.
 */
final class FaultyStore implements AutoCloseable {
  enum Mode { HANG, FAIL, FAIL_MID_STREAM, BLACK_HOLE, GARBAGE, HEALTHY, SLOW }

  /** The black hole last: what it leaves open after the faults is for the client alone to close. */
  static final List<Mode> FAULTS = List.of(Mode.HANG, Mode.FAIL, Mode.FAIL_MID_STREAM, Mode.GARBAGE,
      Mode.BLACK_HOLE);

  /** Bogus series per metric name streamed before the mid-stream failure; well above one flush step. */
  static final int JUNK_SERIES = 3000;

  private final Vertx vertx = Vertx.vertx();
  private final MemoryStorage data;
  private final MemoryStorage junk = new MemoryStorage();
  private final StoreApiServer server;
  private final AtomicInteger opened = new AtomicInteger();
  private final AtomicInteger closed = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong served = new java.util.concurrent.atomic.AtomicLong();
  private final Object modeLock = new Object();
  private volatile Mode mode = Mode.HANG;
  private final NetServer front;
  private final NetClient back;
  /** Client-side sockets accepted by the forwarder and not closed yet. */
  private final Set<NetSocket> accepted = ConcurrentHashMap.newKeySet();
  private final Set<NetSocket> backSockets = ConcurrentHashMap.newKeySet();
  private final Set<NetSocket> silenced = ConcurrentHashMap.newKeySet();
  private final Random random = new Random(12);

  FaultyStore(MemoryStorage data, long minTime, long maxTime, List<String> names) throws Exception {
    this.data = data;
    for (String name : names) {
      for (int i = 0; i < JUNK_SERIES; i++) {
        // The padding makes even a Series call without chunks (the series endpoint) stream more than one
        // flush step (StoreApiServer.STEP_BYTES) before the failure.
        Labels l = Labels.of("__name__", name, "code", "200", "idx", Integer.toString(i), "leaked", "before-failure",
            "pad", "x".repeat(150));
        for (long t = minTime; t <= maxTime; t += SeedData.STEP) {
          junk.append(l, t, 1e9 + i);
        }
      }
    }
    Queryable faulty = this::querier;
    TenantQueryables tenants = new TenantQueryables() {
      @Override
      public Queryable forTenant(String tenant) {
        return faulty;
      }

      @Override
      public Set<String> tenants() {
        return Set.of("anonymous");
      }

      @Override
      public long minTime(String tenant) {
        return minTime;
      }

      @Override
      public long maxTime(String tenant) {
        return maxTime;
      }
    };
    server = StoreApiServer.start(vertx, tenants, StoreApiServerConfig.builder().host("127.0.0.1").port(0).build())
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    back = vertx.createNetClient();
    front = vertx.createNetServer().connectHandler(this::accept);
    front.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  String address() {
    return "127.0.0.1:" + front.actualPort();
  }

  void mode(Mode m) {
    synchronized (modeLock) {
      mode = m;
      modeLock.notifyAll(); // hung calls end (they then find their call cancelled, or answer late)
    }
    if (m == Mode.BLACK_HOLE || m == Mode.GARBAGE) {
      for (NetSocket s : accepted) {
        s.close();
      }
    }
  }

  /**
   * The connections open now go silent for good, in both directions, without being closed (a peer that
   * black-holes mid-life); new connections are served as the mode says.
   */
  void silenceOpenConnections() {
    silenced.addAll(accepted);
  }

  /** Silenced connections the client has not closed yet. */
  int silencedOpen() {
    return (int) silenced.stream().filter(accepted::contains).count();
  }

  /** Client connections open at the forwarder (idle pooled ones included). */
  int openConnections() {
    return accepted.size();
  }

  private void accept(NetSocket in) {
    accepted.add(in);
    in.closeHandler(v -> accepted.remove(in));
    Mode m = mode;
    if (m == Mode.BLACK_HOLE) {
      in.handler(b -> { });
      return;
    }
    if (m == Mode.GARBAGE) {
      in.handler(b -> { });
      byte[] junkBytes = new byte[4096];
      random.nextBytes(junkBytes);
      in.write(Buffer.buffer(junkBytes)).onComplete(v -> in.close());
      return;
    }
    in.pause();
    back.connect(server.port(), "127.0.0.1").onComplete(ar -> {
      if (ar.failed()) {
        in.close();
        return;
      }
      NetSocket out = ar.result();
      backSockets.add(out);
      out.closeHandler(v -> {
        backSockets.remove(out);
        in.close();
      });
      in.closeHandler(v -> {
        accepted.remove(in);
        out.close();
      });
      in.handler(b -> {
        if (silenced.contains(in)) {
          return;
        }
        out.write(b);
        if (out.writeQueueFull()) {
          in.pause();
          out.drainHandler(d -> in.resume());
        }
      });
      out.handler(b -> {
        if (silenced.contains(in)) {
          return;
        }
        in.write(b);
        if (in.writeQueueFull()) {
          out.pause();
          in.drainHandler(d -> out.resume());
        }
      });
      in.resume();
    });
  }

  /** Queriers the server opened, i.e. calls that reached the store. */
  int calls() {
    return opened.get();
  }

  /** Series the healthy store has handed to the server to stream (a cancelled stream stops asking). */
  long seriesServed() {
    return served.get();
  }

  private SeriesSet counted(SeriesSet set) {
    return new SeriesSet() {
      @Override
      public boolean next() {
        boolean more = set.next();
        if (more) {
          served.incrementAndGet();
        }
        return more;
      }

      @Override
      public Series at() {
        return set.at();
      }

      @Override
      public List<String> warnings() {
        return set.warnings();
      }
    };
  }

  /** Calls that reached the store and have not ended yet. */
  int inFlight() {
    return opened.get() - closed.get();
  }

  private Querier querier(long mint, long maxt) {
    opened.incrementAndGet();
    Querier inner = data.querier(mint, maxt);
    Querier bogus = junk.querier(mint, maxt);
    return new Querier() {
      @Override
      public SeriesSet select(boolean sortSeries, SelectHints hints, List<LabelMatcher> matchers) {
        Mode m = misbehave();
        if (m == Mode.FAIL_MID_STREAM) {
          return failAfter(bogus.select(sortSeries, hints, matchers), JUNK_SERIES - 500);
        }
        return counted(inner.select(sortSeries, hints, matchers));
      }

      @Override
      public List<String> labelValues(String name, List<LabelMatcher> matchers) {
        misbehaveUnary();
        return inner.labelValues(name, matchers);
      }

      @Override
      public List<String> labelNames(List<LabelMatcher> matchers) {
        misbehaveUnary();
        return inner.labelNames(matchers);
      }

      @Override
      public void close() {
        closed.incrementAndGet();
        inner.close();
        bogus.close();
      }
    };
  }

  /**
   * Label calls fail outright in the mid-stream mode; the label-name lookup a Series call makes before it
   * streams (TenantCursor) must not, or the failure would come before the first frame.
   */
  private void misbehaveUnary() {
    if (misbehave() == Mode.FAIL_MID_STREAM && !StackWalker.getInstance().walk(frames -> frames.anyMatch(
        f -> f.getClassName().endsWith(".TenantCursor")))) {
      throw new IllegalStateException("planted failure");
    }
  }

  /** Runs the current mode's misbehaviour (blocking: the server calls us on a worker); returns the mode. */
  private Mode misbehave() {
    Mode m = mode;
    switch (m) {
      case HANG -> {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        synchronized (modeLock) {
          long left;
          while (mode == Mode.HANG && (left = deadline - System.nanoTime()) > 0) {
            try {
              modeLock.wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              break;
            }
          }
        }
        throw new IllegalStateException("hung call released");
      }
      case FAIL -> throw new IllegalStateException("planted failure");
      case SLOW -> {
        try {
          Thread.sleep(300); // the fault itself: a store that takes its time, well within the timeout
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      default -> {
      }
    }
    return m;
  }

  private static SeriesSet failAfter(SeriesSet set, int n) {
    return new SeriesSet() {
      int seen;

      @Override
      public boolean next() {
        if (seen++ == n) {
          throw new IllegalStateException("planted failure after " + n + " series");
        }
        return set.next();
      }

      @Override
      public Series at() {
        return set.at();
      }
    };
  }

  @Override
  public void close() throws Exception {
    mode(Mode.HEALTHY);
    accepted.forEach(NetSocket::close);
    front.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
