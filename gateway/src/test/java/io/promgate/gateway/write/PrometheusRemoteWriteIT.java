package io.promgate.gateway.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.SampleIterator;
import io.promgate.model.SelectHints;
import io.promgate.model.Series;
import io.promgate.model.SeriesSets;
import io.promgate.model.ValueType;
import io.promgate.model.chunk.XorAppender;
import io.promgate.model.chunk.XorChunk;
import io.promgate.model.chunk.XorIterator;
import io.promgate.storeapi.prompb.Chunk;
import io.promgate.storeapi.prompb.ChunkedReadResponse;
import io.promgate.storeapi.prompb.ChunkedSeries;
import io.promgate.storeapi.prompb.Label;
import io.promgate.storeapi.prompb.Query;
import io.promgate.storeapi.prompb.ReadRequest;
import io.promgate.tsdb.MetricMetadata;
import io.promgate.tsdb.Storage;
import io.promgate.tsdb.StorageOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/**
 * A real Prometheus scrapes itself every second and remote-writes to {@link RemoteWriteHandler} behind a bare
 * Vert.x server (the router is wired elsewhere). Then, per series, the samples we stored must equal what
 * Prometheus itself returns over remote read ({@code STREAMED_XOR_CHUNKS}), and every chunk Prometheus sends
 * must re-encode byte for byte with our {@link XorAppender}: a golden test of the codec against Prometheus'
 * own head chunks. Prometheus also has {@code remote_read} pointed at {@link RemoteReadHandler} and must
 * answer a query for a series only promgate holds.
 */
@ExtendWith(VertxExtension.class)
class PrometheusRemoteWriteIT {
  @TempDir
  Path dir;

  @Test
  void prometheusRemoteWritesAndItsChunksMatchOurs(Vertx vertx) throws Exception {
    Path prometheus = binary("prometheus");
    Storage storage = Storage.open(dir.resolve("store"), StorageOptions.DEFAULT, Clock.systemUTC());
    RemoteWriteHandler handler = RemoteWriteHandler.create(vertx, storage, RemoteWriteOptions.DEFAULT, Clock.systemUTC());
    List<Integer> statuses = new java.util.concurrent.CopyOnWriteArrayList<>();
    RemoteReadHandler reader = RemoteReadHandler.create(vertx, storage);
    HttpServer server = vertx.createHttpServer().requestHandler(req -> {
      if (req.path().equals("/api/v1/read")) {
        reader.serve("default", req).onFailure(e -> req.response().setStatusCode(500).end(e.toString()));
        return;
      }
      req.body()
          .compose(body -> handler.handle("default", req.getHeader("Content-Type"), req.getHeader("Content-Encoding"), body))
          .onSuccess(r -> {
            statuses.add(r.status());
            req.response().setStatusCode(r.status()).putHeader("Content-Type", WriteResult.CONTENT_TYPE).end(r.message());
          })
          .onFailure(e -> req.response().setStatusCode(500).end(e.toString()));
    })
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    int promPort = freePort();
    Files.writeString(dir.resolve("prometheus.yml"), """
        global: { scrape_interval: 1s, evaluation_interval: 1s }
        scrape_configs:
          - job_name: self
            static_configs: [ { targets: ['127.0.0.1:%d'] } ]
        remote_write:
          - url: http://127.0.0.1:%d/api/v1/write
            queue_config: { batch_send_deadline: 1s, max_samples_per_send: 500 }
            metadata_config: { send_interval: 1s }
        remote_read:
          - url: http://127.0.0.1:%d/api/v1/read
            read_recent: true
        """.formatted(promPort, server.actualPort(), server.actualPort()));
    Process p = new ProcessBuilder(prometheus.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + dir.resolve("prom-data"), "--web.listen-address=127.0.0.1:" + promPort)
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    try {
      long deadline = System.currentTimeMillis() + 40_000;
      while (System.currentTimeMillis() < deadline
          && (countSamples(storage, "up") < 8 || storage.metadata("default", "go_goroutines", -1).isEmpty())) {
        Thread.sleep(250);
      }
      assertThat(countSamples(storage, "up")).as("samples received; prometheus log:\n%s",
          Files.readString(dir.resolve("prometheus.log"))).isGreaterThanOrEqualTo(8);
      assertThat(statuses).containsOnly(204);
      MetricMetadata goroutines = storage.metadata("default", "go_goroutines", -1).get("go_goroutines").get(0);
      assertThat(goroutines.type()).isEqualTo("gauge");
      assertThat(goroutines.help()).isNotEmpty();

      Map<Labels, List<long[]>> ours = read(storage, "up|go_goroutines|prometheus_tsdb_head_samples_appended_total");
      Map<Labels, List<long[]>> theirs = new LinkedHashMap<>();
      int chunks = remoteRead(promPort, "up|go_goroutines|prometheus_tsdb_head_samples_appended_total", theirs);
      assertThat(chunks).isGreaterThanOrEqualTo(3);
      assertThat(ours.keySet()).isNotEmpty().isSubsetOf(theirs.keySet());
      for (Map.Entry<Labels, List<long[]>> e : ours.entrySet()) {
        List<long[]> mine = e.getValue();
        long from = mine.get(0)[0];
        long to = mine.get(mine.size() - 1)[0];
        List<String> expected = theirs.get(e.getKey()).stream().filter(s -> s[0] >= from && s[0] <= to)
            .map(s -> s[0] + ":" + Long.toHexString(s[1])).toList();
        assertThat(mine.stream().map(s -> s[0] + ":" + Long.toHexString(s[1])).toList())
            .as("samples of %s", e.getKey()).isEqualTo(expected);
      }
      // Prometheus reads a series only promgate has through remote_read from our RemoteReadHandler.
      long now = System.currentTimeMillis();
      storage.append("default", List.of(new io.promgate.tsdb.SeriesSamples(
          Labels.of("__name__", "promgate_only", "source", "remote_read"), new long[] {now - 2000}, new double[] {42.5})),
          List.of()).get(10, TimeUnit.SECONDS);
      HttpResponse<String> q = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + promPort + "/api/v1/query?query=promgate_only&time=" + (now / 1000.0))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(q.statusCode()).as(q.body()).isEqualTo(200);
      assertThat(q.body()).contains("\"source\":\"remote_read\"").contains("\"42.5\"");
    } finally {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
      p.destroyForcibly();
      server.close();
      storage.close();
    }
  }

  /** Remote read with streamed chunks; checks each frame's CRC and each chunk's re-encoding. */
  static int remoteRead(int port, String nameRegex, Map<Labels, List<long[]>> out) throws Exception {
    ReadRequest req = ReadRequest.newBuilder()
        .addQueries(Query.newBuilder().setStartTimestampMs(0).setEndTimestampMs(System.currentTimeMillis() + 60_000)
            .addMatchers(io.promgate.storeapi.prompb.LabelMatcher.newBuilder()
                .setType(io.promgate.storeapi.prompb.LabelMatcher.Type.RE).setName("__name__").setValue(nameRegex)))
        .addAcceptedResponseTypes(ReadRequest.ResponseType.STREAMED_XOR_CHUNKS).build();
    HttpResponse<byte[]> resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/api/v1/read"))
        .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
        .header("X-Prometheus-Remote-Read-Version", "0.1.0").timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofByteArray(Snappy.compress(req.toByteArray()))).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(resp.headers().firstValue("Content-Type").orElse("")).contains("ChunkedReadResponse");
    return parseStream(resp.body(), out);
  }

  /**
   * Parses a STREAMED_XOR_CHUNKS body into samples per series; checks every frame's CRC, every chunk's time
   * bounds, and that every chunk re-encodes with our appender to the same bytes. Returns the chunk count.
   */
  static int parseStream(byte[] b, Map<Labels, List<long[]>> out) throws Exception {
    int pos = 0;
    int chunks = 0;
    while (pos < b.length) {
      long size = 0;
      for (int shift = 0; ; shift += 7) {
        int x = b[pos++] & 0xff;
        size |= (long) (x & 0x7f) << shift;
        if (x < 0x80) {
          break;
        }
      }
      long crc = ((b[pos] & 0xffL) << 24) | ((b[pos + 1] & 0xffL) << 16) | ((b[pos + 2] & 0xffL) << 8) | (b[pos + 3] & 0xffL);
      pos += 4;
      CRC32C c = new CRC32C();
      c.update(b, pos, (int) size);
      assertThat(c.getValue()).isEqualTo(crc);
      ChunkedReadResponse frame = ChunkedReadResponse.parseFrom(java.util.Arrays.copyOfRange(b, pos, pos + (int) size));
      pos += (int) size;
      for (ChunkedSeries cs : frame.getChunkedSeriesList()) {
        Labels.Builder lb = Labels.builder();
        for (Label l : cs.getLabelsList()) {
          lb.set(l.getName(), l.getValue());
        }
        List<long[]> samples = out.computeIfAbsent(lb.build(), k -> new ArrayList<>());
        for (Chunk ch : cs.getChunksList()) {
          assertThat(ch.getType()).isEqualTo(Chunk.Encoding.XOR);
          byte[] data = ch.getData().toByteArray();
          XorAppender again = new XorAppender();
          XorIterator it = new XorIterator(data);
          while (it.next() == ValueType.FLOAT) {
            again.append(it.timestamp(), it.value());
            samples.add(new long[] {it.timestamp(), Double.doubleToRawLongBits(it.value())});
          }
          assertThat(HexFormat.of().formatHex(again.toByteArray())).as("re-encoded Prometheus chunk of %s", lb.build())
              .isEqualTo(HexFormat.of().formatHex(data));
          XorChunk decoded = XorChunk.of(data);
          assertThat(decoded.minTime()).isEqualTo(ch.getMinTimeMs());
          assertThat(decoded.maxTime()).isEqualTo(ch.getMaxTimeMs());
          chunks++;
        }
      }
    }
    return chunks;
  }

  static Map<Labels, List<long[]>> read(Storage storage, String nameRegex) {
    Map<Labels, List<long[]>> out = new LinkedHashMap<>();
    for (Series s : SeriesSets.toList(storage.queryable("default").querier(Long.MIN_VALUE, Long.MAX_VALUE).select(true,
        SelectHints.ofRange(Long.MIN_VALUE, Long.MAX_VALUE), List.of(LabelMatcher.of(LabelMatcher.Type.RE, "__name__", nameRegex))))) {
      List<long[]> samples = new ArrayList<>();
      SampleIterator it = s.iterator();
      while (it.next() == ValueType.FLOAT) {
        samples.add(new long[] {it.timestamp(), Double.doubleToRawLongBits(it.value())});
      }
      out.put(s.labels(), samples);
    }
    return out;
  }

  static int countSamples(Storage storage, String metric) {
    return read(storage, metric).values().stream().mapToInt(List::size).sum();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static Path binary(String name) throws IOException {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(d, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    if ("1".equals(System.getenv("PROMGATE_REQUIRE_EXTERNAL"))) {
      throw new IOException(name + " not found on PATH but PROMGATE_REQUIRE_EXTERNAL=1");
    }
    assumeTrue(false, name + " not found on PATH: skipping");
    return null;
  }
}
