package io.promgate.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.gateway.federation.FederationPlugin;
import io.promgate.gateway.it.PromgateHarness;
import io.promgate.gateway.it.RawWrite;
import io.promgate.gateway.write.RemoteWriteOptions;
import io.promgate.routing.config.ConfigLoader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/**
 * Malformed remote-write requests over real HTTP against the wired embedded store: each gets its 4xx and a
 * message saying what is wrong, nothing of an unparseable request is stored, a partly bad request stores
 * exactly its good series, and the server keeps serving writes and queries afterwards.
 */
class RemoteWriteBadInputIT {
  static final long MAX_DECODED = 1 << 20;

  @TempDir
  Path dir;
  PromgateHarness gw;
  long now;

  @BeforeEach
  void start() throws Exception {
    gw = PromgateHarness.start(ConfigLoader.parse("server: { http: 127.0.0.1:0, grpc: 127.0.0.1:0 }\n"
            + "storage: { path: " + dir + " }\n"),
        List.of(new StorePlugin(Clock.systemUTC(), RemoteWriteOptions.DEFAULT.withMaxDecodedBytes(MAX_DECODED)),
            new FederationPlugin()));
    now = System.currentTimeMillis();
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
  }

  HttpResponse<String> write(String contentType, byte[] body) throws Exception {
    return RawWrite.post(gw.url() + "/api/v1/write", contentType, body);
  }

  RawWrite one(String name, String... extra) {
    List<String> labels = new java.util.ArrayList<>(List.of("__name__", name));
    labels.addAll(Arrays.asList(extra));
    return new RawWrite().add(labels, new long[] {now}, new double[] {1});
  }

  JsonArray names() throws Exception {
    var r = PromgateHarness.get(gw.url() + "/api/v1/label/__name__/values");
    assertThat(r.statusCode()).isEqualTo(200);
    return new JsonObject(new String(r.body(), StandardCharsets.UTF_8)).getJsonArray("data");
  }

  static void expect(HttpResponse<String> r, int status, String messagePart) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.body()).containsIgnoringCase(messagePart);
  }

  @Test
  void eachMalformedRequestGetsItsStatusAndNothingIsStored() throws Exception {
    String pb = "application/x-protobuf";
    byte[] good = one("truncated_metric").snappy();
    expect(write(pb, Arrays.copyOf(good, good.length - 3)), 400, "snappy");
    byte[] garbage = new byte[300];
    new Random(7).nextBytes(garbage);
    expect(write(pb, Snappy.compress(garbage)), 400, "protobuf");
    expect(write(pb, new byte[0]), 400, "snappy");
    expect(write(pb, one("unsorted_metric", "zone", "a", "app", "b").snappy()), 400, "invalid labels");
    expect(write(pb, one("empty_name_metric", "", "v").snappy()), 400, "invalid labels");
    expect(write(pb, new RawWrite().add(List.of("job", "x"), new long[] {now}, new double[] {1}).snappy()), 400,
        "invalid labels");
    expect(write("application/json", one("json_metric").snappy()), 415, "content type");
    expect(write("application/x-protobuf;proto=io.prometheus.write.v2.Request", one("v2_metric").snappy()), 415,
        "2.0");
    // Huge: a body whose decoded size is over the configured limit is refused before it is decoded.
    byte[] huge = new byte[(int) MAX_DECODED * 2];
    expect(write(pb, Snappy.compress(huge)), 413, "exceeds the limit");
    assertThat(names()).as("nothing stored from refused requests").isEmpty();

    // A partly bad request stores its good series and names the bad one.
    RawWrite mixed = new RawWrite()
        .add(List.of("__name__", "good_metric", "job", "a"), new long[] {now}, new double[] {42})
        .add(List.of("__name__", "bad_metric", "zone", "a", "job", "b"), new long[] {now}, new double[] {1});
    expect(write(pb, mixed.snappy()), 400, "stored 1 of 2 samples");
    assertThat(names().getList()).containsExactly("good_metric");

    // Still healthy: new writes are acknowledged and queryable at once.
    assertThat(write(pb, one("after_metric", "job", "c").snappy()).statusCode()).isEqualTo(204);
    assertThat(write(null, one("no_content_type_metric").snappy()).statusCode()).as("missing type = 1.0")
        .isEqualTo(204);
    assertThat(PromgateHarness.get(gw.url() + "/-/healthy").statusCode()).isEqualTo(200);
    var q = PromgateHarness.get(gw.url() + "/api/v1/query?query="
        + URLEncoder.encode("good_metric + 0", StandardCharsets.UTF_8) + "&time=" + now / 1000.0);
    JsonArray result = new JsonObject(new String(q.body(), StandardCharsets.UTF_8)).getJsonObject("data")
        .getJsonArray("result");
    assertThat(result.getJsonObject(0).getJsonArray("value").getString(1)).isEqualTo("42");
    assertThat(names().getList()).containsExactly("after_metric", "good_metric", "no_content_type_metric");
  }

  @Test
  void oldAndOutOfOrderSamplesAreConflicts() throws Exception {
    String pb = "application/x-protobuf";
    RawWrite first = new RawWrite().add(List.of("__name__", "m"), new long[] {now}, new double[] {1});
    assertThat(write(pb, first.snappy()).statusCode()).isEqualTo(204);
    RawWrite older = new RawWrite().add(List.of("__name__", "m"), new long[] {now - 1000}, new double[] {2});
    expect(write(pb, older.snappy()), 409, "out of order");
    RawWrite tooOld = new RawWrite().add(List.of("__name__", "other"), new long[] {now - 5 * 3600_000L},
        new double[] {2});
    expect(write(pb, tooOld.snappy()), 409, "too old");
  }
}
