package io.promgate.storeapi;


import io.promgate.model.LabelMatcher;
import io.promgate.model.SampleIterator;
import io.promgate.model.SeriesSet;
import io.promgate.model.ValueType;
import io.promgate.storeapi.thanos.SeriesRequest;
import io.promgate.storeapi.thanos.SeriesResponse;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * Throughput of Series over loopback gRPC: 100,000 generated series of 120 samples (one full XOR chunk
 * each), re-encoded by the server from the SPI's sample iterators, received by our client.
 *
 * <p>Run: {@code java -cp <test classpath> io.promgate.storeapi.StoreApiBenchmark [series] [samples] [rounds]}.
 * Prints series/s and samples/s for (1) raw frames one series per message, (2) Thanos-style batches of 64,
 * (3) the full client path: frames collected into a SeriesSet and every sample decoded.
 * With a 4th argument {@code stream-only}, only counts frames as they arrive (nothing kept): run it with a
 * small heap (e.g. {@code -Xmx96m} and 1,000,000 series) to show the server never holds the answer.
 */
public final class StoreApiBenchmark {
  public static void main(String[] args) {
    int series = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int samples = args.length > 1 ? Integer.parseInt(args[1]) : 120;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Vertx vertx = Vertx.vertx();
    GeneratedTenants store = new GeneratedTenants(series, samples);
    StoreApiServer server = get(StoreApiServer.start(vertx, store,
        StoreApiServerConfig.builder().host("127.0.0.1").port(0).build()));
    StoreApiQueryable client = StoreApiQueryable.create(vertx,
        StoreApiClientConfig.plaintext("127.0.0.1", server.port()).withTimeout(java.time.Duration.ofMinutes(5)));
    List<LabelMatcher> all = List.of(LabelMatcher.eq("__name__", "generated"));
    if (args.length > 3 && args[3].equals("stream-only")) {
      try {
        streamOnly(vertx, server.port(), all, series, samples, rounds);
      } finally {
        get(client.close());
        get(server.close());
        get(vertx.close());
      }
      return;
    }
    try {
      for (int batch : new int[] {1, 64}) {
        SeriesRequest req = SeriesRequest.newBuilder().setMinTime(0).setMaxTime(Long.MAX_VALUE)
            .addAllMatchers(Protos.toProto(all)).setResponseBatchSize(batch).build();
        measure("raw frames, batch " + batch, rounds, series, samples, () -> {
          long n = 0;
          for (SeriesResponse r : get(client.seriesFrames(req))) {
            n += r.hasBatch() ? r.getBatch().getSeriesCount() : r.hasSeries() ? 1 : 0;
          }
          return n;
        });
      }
      measure("client SeriesSet + decode", rounds, series, samples, () -> {
        SeriesSet set = get(client.selectAsync(0, Long.MAX_VALUE, true, null, all));
        long n = 0;
        long decoded = 0;
        while (set.next()) {
          n++;
          SampleIterator it = set.at().iterator();
          while (it.next() == ValueType.FLOAT) {
            decoded++;
          }
        }
        if (decoded != (long) series * samples) {
          throw new AssertionError("decoded " + decoded + " samples");
        }
        return n;
      });
    } finally {
      get(client.close());
      get(server.close());
      get(vertx.close());
    }
  }

  private static void streamOnly(Vertx vertx, int port, List<LabelMatcher> all, int series, int samples,
      int rounds) {
    io.vertx.grpc.client.GrpcClient raw = io.vertx.grpc.client.GrpcClient.client(vertx,
        new io.vertx.grpc.client.GrpcClientOptions().setMaxMessageSize(StoreApiQueryable.MAX_MESSAGE_BYTES),
        new io.vertx.core.http.HttpClientOptions().setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2)
            .setHttp2ClearTextUpgrade(false));
    SeriesRequest req = SeriesRequest.newBuilder().setMinTime(0).setMaxTime(Long.MAX_VALUE)
        .addAllMatchers(Protos.toProto(all)).setResponseBatchSize(64).build();
    measure("stream only, batch 64", rounds, series, samples, () -> {
      long[] n = {0};
      get(raw.request(io.vertx.core.net.SocketAddress.inetSocketAddress(port, "127.0.0.1"),
          ThanosMethods.CLIENT_SERIES).compose(call -> call.send(req)).compose(resp -> {
            resp.handler(r -> n[0] += r.hasBatch() ? r.getBatch().getSeriesCount() : 1);
            return resp.end();
          }));
      return n[0];
    });
    Runtime rt = Runtime.getRuntime();
    System.out.printf("heap max %d MiB, used now %d MiB%n", rt.maxMemory() >> 20,
        (rt.totalMemory() - rt.freeMemory()) >> 20);
    get(raw.close());
  }

  private static <T> T get(io.vertx.core.Future<T> f) {
    return StoreApiTestSupport.get(f, 900);
  }

  interface Round {
    long run();
  }

  private static void measure(String name, int rounds, int series, int samples, Round round) {
    round.run(); // warm-up
    double best = Double.MAX_VALUE;
    for (int i = 0; i < rounds; i++) {
      long t0 = System.nanoTime();
      long n = round.run();
      double s = (System.nanoTime() - t0) / 1e9;
      if (n != series) {
        throw new AssertionError(name + ": got " + n + " series");
      }
      best = Math.min(best, s);
    }
    System.out.printf("%-28s best of %d: %.2f s  %,.0f series/s  %,.0f samples/s%n", name, rounds, best,
        series / best, (double) series * samples / best);
  }
}
