package io.promgate.gateway.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.storeapi.prompb.Label;
import io.promgate.storeapi.prompb.Sample;
import io.promgate.storeapi.prompb.TimeSeries;
import io.promgate.storeapi.prompb.WriteRequest;
import io.promgate.tsdb.Storage;
import io.promgate.tsdb.StorageOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.xerial.snappy.Snappy;

/**
 * Fuzzing remote write (issue 12): valid requests mutated at the protobuf layer (then snappy-compressed, so
 * the protobuf decoder and validation see them) and at the snappy layer, plus random bytes and random
 * content types. Every answer must be 2xx or 4xx, within a few seconds. Tries: jqwik.tries.default
 * (150 in {@code mvn verify}, many more with {@code -Pfuzz}).
 */
public class RemoteWriteFuzzTest {
  static Vertx vertx;
  static Path dir;
  static Storage storage;
  static RemoteWriteHandler handler;

  @BeforeContainer
  static void start() throws Exception {
    vertx = Vertx.vertx();
    dir = Files.createTempDirectory("rw-fuzz");
    storage = Storage.open(dir, StorageOptions.DEFAULT.withMaxSeriesPerTenant(1000), Clock.systemUTC());
    handler = RemoteWriteHandler.create(vertx, storage, RemoteWriteOptions.DEFAULT, Clock.systemUTC());
  }

  @AfterContainer
  static void stop() throws Exception {
    storage.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static byte[] validProto(long seed) {
    Random r = new Random(seed);
    WriteRequest.Builder w = WriteRequest.newBuilder();
    long now = System.currentTimeMillis();
    for (int s = 0, n = 1 + r.nextInt(4); s < n; s++) {
      TimeSeries.Builder ts = TimeSeries.newBuilder()
          .addLabels(Label.newBuilder().setName("__name__").setValue("fuzz_metric_" + r.nextInt(5)))
          .addLabels(Label.newBuilder().setName("job").setValue("j" + r.nextInt(3)));
      for (int i = 0, m = 1 + r.nextInt(5); i < m; i++) {
        ts.addSamples(Sample.newBuilder().setTimestamp(now - r.nextInt(600_000)).setValue(r.nextDouble()));
      }
      w.addTimeseries(ts);
    }
    return w.build().toByteArray();
  }

  /** Flips, overwrites, inserts, deletes or truncates bytes, seeded. */
  public static byte[] mutate(byte[] in, long seed) {
    Random r = new Random(seed);
    byte[] b = in.clone();
    int edits = 1 + r.nextInt(6);
    for (int e = 0; e < edits && b.length > 0; e++) {
      int at = r.nextInt(b.length);
      switch (r.nextInt(5)) {
        case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
        case 1 -> b[at] = (byte) r.nextInt(256);
        case 2 -> {
          byte[] c = new byte[b.length + 1 + r.nextInt(8)];
          System.arraycopy(b, 0, c, 0, at);
          for (int i = at; i < at + c.length - b.length; i++) {
            c[i] = (byte) (r.nextBoolean() ? 0xff : r.nextInt(256));
          }
          System.arraycopy(b, at, c, at + c.length - b.length, b.length - at);
          b = c;
        }
        case 3 -> {
          byte[] c = new byte[b.length - 1];
          System.arraycopy(b, 0, c, 0, at);
          System.arraycopy(b, at + 1, c, at, b.length - at - 1);
          b = c;
        }
        default -> b = java.util.Arrays.copyOf(b, at);
      }
    }
    return b;
  }

  @Provide
  Arbitrary<String> contentTypes() {
    return Arbitraries.oneOf(Arbitraries.just("application/x-protobuf"), Arbitraries.just(null),
        Arbitraries.just("application/x-protobuf;proto=prometheus.WriteRequest"),
        Arbitraries.strings().ofMaxLength(40));
  }

  static void assertAnswered(byte[] body, String ct, String enc) throws Exception {
    long before = storage.acceptedSamples("fuzz");
    WriteResult r = handler.handle("fuzz", ct, enc, Buffer.buffer(body)).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    assertThat(r.status()).as("%s", r.message()).isBetween(200, 499);
    if (!decodable(body)) {
      assertThat(r.status()).as("an undecodable body is refused: %s", r.message()).isBetween(400, 499);
      assertThat(storage.acceptedSamples("fuzz")).as("nothing stored from an undecodable body").isEqualTo(before);
    }
  }

  /** Whether the body is a WriteRequest, snappy-compressed or not (whatever the headers claim). */
  static boolean decodable(byte[] body) {
    try {
      WriteRequest.parseFrom(Snappy.uncompress(body));
      return true;
    } catch (Exception | Error notSnappyProto) {
      try {
        WriteRequest.parseFrom(body);
        return true;
      } catch (Exception notProto) {
        return false;
      }
    }
  }

  @Property
  void protobufMutationsAreRefusedOrStoredNeverFailed(@ForAll long seed) throws Exception {
    assertAnswered(Snappy.compress(mutate(validProto(seed), seed * 31)), "application/x-protobuf", "snappy");
  }

  @Property
  void snappyMutationsAreRefusedOrStoredNeverFailed(@ForAll long seed) throws Exception {
    assertAnswered(mutate(Snappy.compress(validProto(seed)), seed * 17), "application/x-protobuf", "snappy");
  }

  @Property
  void randomBodiesAndHeaders(@ForAll byte[] body, @ForAll("contentTypes") String ct,
      @ForAll("contentTypes") String enc) throws Exception {
    assertAnswered(body, ct, enc);
  }
}
