package io.promgate.gateway.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.tsdb.Storage;
import io.promgate.tsdb.StorageOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/** {@link RemoteWriteHandler#serve} over real HTTP: answers, headers and the compressed body cap. */
@ExtendWith(VertxExtension.class)
class RemoteWriteServeTest {
  @TempDir
  Path dir;

  @Test
  void servesOverHttpAndCapsTheBody(Vertx vertx) throws Exception {
    try (Storage storage = Storage.open(dir, StorageOptions.DEFAULT, Clock.systemUTC())) {
      RemoteWriteHandler h = RemoteWriteHandler.create(vertx, storage,
          RemoteWriteOptions.DEFAULT.withMaxDecodedBytes(64 << 10), Clock.systemUTC());
      HttpServer server = vertx.createHttpServer().requestHandler(req -> h.serve("t", req))
          .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      WebClient client = WebClient.create(vertx);
      try {
        Buffer ok = RemoteWriteHandlerTest.body(RemoteWriteHandlerTest.series(new String[] {"__name__", "a"}, 1, 1));
        HttpResponse<Buffer> r = post(client, server.actualPort(), ok);
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.body()).isNull();

        HttpResponse<Buffer> bad = post(client, server.actualPort(), Buffer.buffer("garbage"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.getHeader("Content-Type")).isEqualTo(WriteResult.CONTENT_TYPE);
        assertThat(bad.bodyAsString()).startsWith("snappy").endsWith("\n");

        byte[] random = new byte[200 << 10]; // incompressible, over the compressed cap of ~75 KiB
        new java.util.Random(1).nextBytes(random);
        HttpResponse<Buffer> big = post(client, server.actualPort(), Buffer.buffer(Snappy.compress(random)));
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(big.bodyAsString()).contains("exceeds the limit");
      } finally {
        client.close();
        server.close();
      }
    }
  }

  static HttpResponse<Buffer> post(WebClient client, int port, Buffer body) throws Exception {
    return client.post(port, "127.0.0.1", "/api/v1/write").putHeader("Content-Type", "application/x-protobuf")
        .putHeader("Content-Encoding", "snappy").sendBuffer(body).toCompletionStage().toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
  }
}
