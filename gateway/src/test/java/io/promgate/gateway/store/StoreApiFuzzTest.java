package io.promgate.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.gateway.federation.FederationPlugin;
import io.promgate.gateway.it.PromgateHarness;
import io.promgate.gateway.it.RealPrometheus;
import io.promgate.gateway.it.RemoteWrite;
import io.promgate.gateway.write.RemoteWriteFuzzTest;
import io.promgate.routing.config.ConfigLoader;
import io.promgate.storeapi.thanos.LabelMatcher;
import io.promgate.storeapi.thanos.LabelNamesRequest;
import io.promgate.storeapi.thanos.LabelValuesRequest;
import io.promgate.storeapi.thanos.SeriesRequest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzing the gRPC StoreAPI of a real gateway with a store (issue 12), over raw HTTP/2 (h2c) so that not
 * only the protobuf but the gRPC framing itself can be broken: valid Series/LabelNames/LabelValues requests
 * mutated at the byte level, random bytes, wrong frame lengths and compression flags, unknown methods and
 * odd tenant metadata. Every well-framed call must end with a grpc-status within a few seconds, never
 * INTERNAL and never a message with a Java stack trace or exception class (broken framing may also get a
 * stream reset), and the server must answer Info correctly after every try. Tries: jqwik.tries.default (150 in {@code mvn verify}, more with {@code -Pfuzz}).
 */
class StoreApiFuzzTest {
  static Vertx vertx;
  static HttpClientAgent h2;
  static Path dir;
  static StorePlugin store;
  static PromgateHarness gw;

  @BeforeContainer
  static void start() throws Exception {
    vertx = Vertx.vertx();
    dir = Files.createTempDirectory("storeapi-fuzz");
    store = new StorePlugin();
    gw = PromgateHarness.start(ConfigLoader.parse("server: { http: 127.0.0.1:0, grpc: 127.0.0.1:0 }\nstorage: { path: "
        + dir + " }\n"), List.of(store, new FederationPlugin()));
    long now = System.currentTimeMillis();
    long[] ts = {now - 60_000, now - 30_000, now};
    for (String tenant : List.of("anonymous", "other")) {
      RealPrometheus.remoteWrite(gw.url() + "/tenant/" + tenant + "/api/v1/write", new RemoteWrite()
          .add(new RemoteWrite.TestSeries(Map.of("__name__", "up", "job", "j_" + tenant), ts, new double[] {1, 0, 1}))
          .add(new RemoteWrite.TestSeries(Map.of("__name__", "req_total", "code", "200"), ts, new double[] {1, 2, 3})));
    }
    h2 = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setDefaultHost("127.0.0.1").setDefaultPort(store.grpcPort()));
  }

  @AfterContainer
  static void stop() throws Exception {
    h2.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    gw.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  record Answer(int httpStatus, String grpcStatus, String grpcMessage, Buffer body) {
  }

  /** One raw gRPC call: POST {@code path} with {@code body} as it is (framing included). */
  static Answer call(String path, Buffer body, String tenant) throws Exception {
    return h2.request(HttpMethod.POST, path).compose(req -> {
      req.putHeader("content-type", "application/grpc").putHeader("te", "trailers");
      if (tenant != null) {
        req.putHeader("thanos-tenant", tenant);
      }
      return req.send(body).compose(resp -> resp.body().map(b -> {
        String st = resp.getHeader("grpc-status") != null ? resp.getHeader("grpc-status") : resp.getTrailer("grpc-status");
        String msg = resp.getHeader("grpc-message") != null ? resp.getHeader("grpc-message") : resp.getTrailer("grpc-message");
        return new Answer(resp.statusCode(), st, msg, b);
      }));
    }).toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  static Buffer frame(byte[] msg) {
    return Buffer.buffer().appendByte((byte) 0).appendInt(msg.length).appendBytes(msg);
  }

  static void assertClean(Answer a, Object what) {
    assertThat(a.grpcStatus()).as("%s: grpc-status present (http %s)", what, a.httpStatus()).isNotNull();
    assertThat(a.grpcStatus()).as("%s: %s", what, a.grpcMessage()).isNotEqualTo("13"); // INTERNAL
    if (a.grpcMessage() != null) {
      String m = java.net.URLDecoder.decode(a.grpcMessage().replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(m).as("%s", what).doesNotContain("\tat ", "Exception", "java.", "io.promgate.");
    }
  }

  static void assertHealthy() throws Exception {
    Answer info = call("/thanos.info.Info/Info", frame(new byte[0]), null);
    assertThat(info.grpcStatus()).as("Info after the fuzzed call: %s", info.grpcMessage()).isEqualTo("0");
    assertThat(info.body().length()).isGreaterThan(5);
  }

  static final List<String> PATHS = List.of("/thanos.Store/Series", "/thanos.Store/LabelNames",
      "/thanos.Store/LabelValues", "/thanos.info.Info/Info");

  static byte[] validRequest(String path, long seed) {
    Random r = new Random(seed);
    List<LabelMatcher> ms = new java.util.ArrayList<>();
    String[] names = {"__name__", "job", "code", "", "tenant_id", "x"};
    String[] values = {"up", "req_total", ".*", ".+", "(", "j_.*", "", "a|b", "[^z]*", "\\", "200"};
    for (int i = 0, n = r.nextInt(4); i < n; i++) {
      ms.add(LabelMatcher.newBuilder().setTypeValue(r.nextInt(5)).setName(names[r.nextInt(names.length)])
          .setValue(values[r.nextInt(values.length)]).build());
    }
    long[] times = {0, Long.MIN_VALUE, Long.MAX_VALUE, System.currentTimeMillis(), -1, r.nextLong()};
    long a = times[r.nextInt(times.length)];
    long b = times[r.nextInt(times.length)];
    return switch (path) {
      case "/thanos.Store/Series" -> SeriesRequest.newBuilder().setMinTime(a).setMaxTime(b).addAllMatchers(ms)
          .setSkipChunks(r.nextBoolean()).setStep(r.nextLong()).setRange(r.nextLong())
          .addWithoutReplicaLabels(names[r.nextInt(names.length)]).build().toByteArray();
      case "/thanos.Store/LabelNames" -> LabelNamesRequest.newBuilder().setStart(a).setEnd(b).addAllMatchers(ms)
          .setLimit(r.nextInt(5) - 1).build().toByteArray();
      case "/thanos.Store/LabelValues" -> LabelValuesRequest.newBuilder().setLabel(names[r.nextInt(names.length)])
          .setStart(a).setEnd(b).addAllMatchers(ms).setLimit(r.nextInt(5) - 1).build().toByteArray();
      default -> new byte[0];
    };
  }

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.oneOf(Arbitraries.of(PATHS), Arbitraries.of("/thanos.Store/Nope", "/", "/thanos.Store/",
        "/thanos.Store/Series/x", "/grpc.health.v1.Health/Check"));
  }

  @Provide
  Arbitrary<String> tenants() {
    return Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.of("anonymous", "other", "", "..", "a|b", "*",
        "nope"), Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(20));
  }

  @Property
  void mutatedRequestsEndWithAStatusNeverInternal(@ForAll("paths") String path, @ForAll long seed,
      @ForAll("tenants") String tenant) throws Exception {
    byte[] msg = RemoteWriteFuzzTest.mutate(validRequest(path, seed), seed * 13);
    assertClean(call(path, frame(msg), tenant), path + " " + seed);
    assertHealthy();
  }

  @Property
  void unmutatedOddRequestsEndWithAStatusNeverInternal(@ForAll("paths") String path, @ForAll long seed,
      @ForAll("tenants") String tenant) throws Exception {
    assertClean(call(path, frame(validRequest(path, seed)), tenant), path + " " + seed);
  }

  @Property
  void brokenFramingEndsWithAStatus(@ForAll("paths") String path, @ForAll byte[] raw, @ForAll long seed)
      throws Exception {
    Random r = new Random(seed);
    Buffer body = switch (r.nextInt(4)) {
      case 0 -> Buffer.buffer(raw); // no framing at all
      case 1 -> Buffer.buffer().appendByte((byte) r.nextInt(256)).appendInt(raw.length).appendBytes(raw); // flag
      case 2 -> Buffer.buffer().appendByte((byte) 0).appendInt(r.nextInt()).appendBytes(raw); // length
      default -> frame(raw).appendBuffer(frame(validRequest(path, seed))); // two messages for a unary call
    };
    try {
      assertClean(call(path, body, "anonymous"), path + " " + seed);
    } catch (java.util.concurrent.ExecutionException e) {
      // Vert.x resets the stream (CANCEL) for some broken framings (a compression flag without
      // grpc-encoding, a second message after the call was answered) instead of sending a status; a
      // reset is an answer too, as long as it comes at once and the server stays healthy.
      assertThat(e.getCause()).isInstanceOf(io.vertx.core.http.StreamResetException.class);
    }
    assertHealthy();
  }
}
