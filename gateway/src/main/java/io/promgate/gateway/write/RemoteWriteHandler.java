package io.promgate.gateway.write;

import io.promgate.gateway.metrics.LimitRefusals;

import io.promgate.routing.config.IngestLimits;
import io.promgate.tsdb.AppendResult;
import io.promgate.tsdb.RejectReason;
import io.promgate.tsdb.Storage;
import io.promgate.tsdb.StorageUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xerial.snappy.Snappy;

/**
 * Prometheus remote write 1.0 receiver logic, independent of the router: content negotiation, snappy,
 * protobuf, validation, rate limit, then {@link Storage#append}, which completes only after the WAL fsync.
 *
 * <p>Status mapping (DESIGN.md, write path): 204 all stored; 400 malformed body, invalid labels or over the
 * series limit; 409 out-of-order, duplicate or too-old samples; 413 decoded body over the limit; 415 wrong
 * content type or encoding; 429 over the tenant's ingest rate; 503 store cannot accept now. A partly bad
 * request stores its good samples and answers with the worst class (400 before 409) and the counts. Where
 * Prometheus itself answers 400 for out-of-order samples we deliberately answer 409: both are "do not
 * retry" for Prometheus' sender, and 409 lets users tell conflicts from garbage.
 *
 * <p>Decoding and the in-memory part of the append run on a Vert.x worker; the returned future completes
 * on the calling context once the data is durable.
 */
public final class RemoteWriteHandler {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteWriteHandler.class);
  static final String PROTOBUF = "application/x-protobuf";
  static final String RW1_PROTO = "prometheus.WriteRequest";
  static final String RW2_PROTO = "io.prometheus.write.v2.Request";

  private final Vertx vertx;
  private final WriteListener listener;
  private final Storage storage;
  private final RemoteWriteOptions options;
  private final IngestRateLimiter limiter;
  private final WriteRequestDecoder decoder;
  private final LimitRefusals refusals;
  /** Decompression buffers reused per worker thread; one larger than this is not kept. */
  private static final int KEEP_BUFFER_BYTES = 8 << 20;
  private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[64 << 10]);

  private RemoteWriteHandler(Vertx vertx, Storage storage, RemoteWriteOptions options, Clock clock,
      WriteListener listener, LimitRefusals refusals) {
    this.vertx = vertx;
    this.refusals = refusals;
    this.listener = listener;
    this.storage = storage;
    this.options = options;
    this.limiter = new IngestRateLimiter(options.limits()::ingestForTenant, clock);
    this.decoder = new WriteRequestDecoder(Integer.getInteger("promgate.write.labelCacheEntries", defaultCacheEntries()));
  }

  public static RemoteWriteHandler create(Vertx vertx, Storage storage, RemoteWriteOptions options, Clock clock) {
    return create(vertx, storage, options, clock, WriteListener.NONE);
  }

  /** As {@link #create(Vertx, Storage, RemoteWriteOptions, Clock)}, telling {@code listener} of every stored span. */
  public static RemoteWriteHandler create(Vertx vertx, Storage storage, RemoteWriteOptions options, Clock clock,
      WriteListener listener) {
    return create(vertx, storage, options, clock, listener, new LimitRefusals());
  }

  /** As above, counting limit refusals into the server's {@code refusals}. */
  public static RemoteWriteHandler create(Vertx vertx, Storage storage, RemoteWriteOptions options, Clock clock,
      WriteListener listener, LimitRefusals refusals) {
    return new RemoteWriteHandler(vertx, storage, options, clock, listener, refusals);
  }

  /**
   * Label sets the decoder caches: an entry costs about 400 bytes (label bytes, key, map node, labels), and
   * any sender can make new ones, so the cache may take at most an eighth of the heap (then it starts over).
   */
  private static int defaultCacheEntries() {
    return (int) Math.min(2_000_000, Runtime.getRuntime().maxMemory() / 8 / 400);
  }

  /** Refusals by per-tenant limits, for {@code /metrics}. */
  public LimitRefusals limitRefusals() {
    return refusals;
  }

  /**
   * Handles one request body for a resolved tenant.
   *
   * @param contentType the Content-Type header or null
   * @param contentEncoding the Content-Encoding header or null
   */
  public Future<WriteResult> handle(String tenant, String contentType, String contentEncoding, Buffer body) {
    return handle(tenant, contentType, contentEncoding, body.getBytes(), body.length());
  }

  private Future<WriteResult> handle(String tenant, String contentType, String contentEncoding, byte[] body,
      int length) {
    WriteResult negotiation = negotiate(contentType, contentEncoding);
    if (negotiation != null) {
      return Future.succeededFuture(negotiation);
    }
    return vertx.executeBlocking(() -> decodeAndAppend(tenant, body, length), false)
        .compose(f -> f)
        .recover(err -> Future.succeededFuture(failure(tenant, err)));
  }

  /**
   * Serves a raw request whose body has not been read yet (no BodyHandler in front): reads the body with a
   * size cap, handles it and writes the answer. The cap on the compressed body is snappy's worst case for
   * the decoded limit, so nothing acceptable is cut off and a huge body is refused (413) without buffering
   * it. Completes when the response is written.
   */
  public Future<Void> serve(String tenant, HttpServerRequest req) {
    long max = maxCompressedBytes(options.maxDecodedBytes());
    String length = req.getHeader("Content-Length");
    if (length != null && length.chars().allMatch(Character::isDigit) && !length.isEmpty()
        && Long.parseLong(length) > max) {
      return respond(req, WriteResult.error(413, "request body of " + length + " bytes exceeds the limit of "
          + max + " bytes"));
    }
    Promise<Void> body = Promise.promise();
    // With a Content-Length (what senders send) the chunks go straight into one array of that size: one
    // copy, no growing. Without one (chunked), into a growing buffer.
    int declared = length != null && !length.isEmpty() && length.chars().allMatch(Character::isDigit)
        ? Integer.parseInt(length) : -1;
    byte[][] acc = {new byte[declared >= 0 ? declared : 8192]};
    int[] size = {0};
    boolean[] tooLarge = {false};
    req.handler(chunk -> {
      int n = chunk.length();
      if (tooLarge[0] || size[0] + (long) n > max) {
        tooLarge[0] = true;
        return;
      }
      if (size[0] + n > acc[0].length) {
        acc[0] = java.util.Arrays.copyOf(acc[0], (int) Math.min(max, Math.max(size[0] + n, 2L * acc[0].length)));
      }
      chunk.getBytes(0, n, acc[0], size[0]);
      size[0] += n;
    });
    req.exceptionHandler(body::tryFail);
    req.endHandler(v -> body.tryComplete());
    return body.future()
        .compose(b -> tooLarge[0]
            ? Future.succeededFuture(WriteResult.error(413, "request body exceeds the limit of " + max + " bytes"))
            : handle(tenant, req.getHeader("Content-Type"), req.getHeader("Content-Encoding"), acc[0], size[0]))
        .compose(r -> respond(req, r));
  }

  /** Snappy's bound for compressing {@code decoded} bytes ({@code 32 + n + n/6}). */
  static long maxCompressedBytes(long decoded) {
    return 32 + decoded + decoded / 6;
  }

  private static Future<Void> respond(HttpServerRequest req, WriteResult r) {
    if (r.status() == 204) {
      return req.response().setStatusCode(204).end();
    }
    if (r.retryAfterSeconds() > 0) {
      req.response().putHeader("Retry-After", Long.toString(r.retryAfterSeconds()));
    }
    return req.response().setStatusCode(r.status()).putHeader("Content-Type", r.contentType())
        .end(r.message());
  }

  /** 415 for anything but remote write 1.0 with snappy; null when acceptable. */
  static WriteResult negotiate(String contentType, String contentEncoding) {
    if (contentType != null && !contentType.isBlank()) {
      String[] parts = contentType.split(";");
      if (!parts[0].trim().equalsIgnoreCase(PROTOBUF)) {
        return WriteResult.error(415, "unsupported content type " + contentType.trim()
            + "; expected " + PROTOBUF + " (remote write 1.0)");
      }
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].trim();
        int eq = p.indexOf('=');
        if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("proto")) {
          String proto = p.substring(eq + 1).trim().replace("\"", "");
          if (proto.equals(RW2_PROTO)) {
            return WriteResult.error(415, "remote write 2.0 (" + RW2_PROTO + ") is not supported yet; "
                + "configure the sender for remote write 1.0 (" + RW1_PROTO + ")");
          }
          if (!proto.equals(RW1_PROTO)) {
            return WriteResult.error(415, "unsupported proto " + proto + "; expected " + RW1_PROTO);
          }
        }
      }
    }
    // A missing encoding is taken as snappy, as Prometheus does for old 1.0 senders.
    if (contentEncoding != null && !contentEncoding.isBlank()
        && !contentEncoding.trim().toLowerCase(Locale.ROOT).equals("snappy")) {
      return WriteResult.error(415, contentEncoding.trim() + " encoding (compression) is not accepted by this "
          + "server; only snappy is acceptable");
    }
    return null;
  }

  private Future<WriteResult> decodeAndAppend(String tenant, byte[] compressed, int length) throws IOException {
    Runnable withdraw = storage.announceAppend(tenant);
    try {
      return decodeAndAppendAnnounced(tenant, compressed, length);
    } finally {
      withdraw.run();
    }
  }

  private Future<WriteResult> decodeAndAppendAnnounced(String tenant, byte[] compressed, int length)
      throws IOException {
    byte[] raw;
    int decoded;
    try {
      // Only the length header is read here; a corrupt body then fails in uncompress (no separate
      // validation pass, which would cost as much as decoding).
      long declared = length == 0 ? -1 : Snappy.uncompressedLength(compressed, 0, length);
      if (declared < 0) {
        return Future.succeededFuture(WriteResult.error(400, "snappy: empty or corrupt input"));
      }
      if (declared > options.maxDecodedBytes()) {
        return Future.succeededFuture(WriteResult.error(413, "decoded request of " + declared
            + " bytes exceeds the limit of " + options.maxDecodedBytes() + " bytes"));
      }
      raw = buffer((int) declared);
      decoded = Snappy.uncompress(compressed, 0, length, raw, 0);
    } catch (IOException e) {
      return Future.succeededFuture(WriteResult.error(400, "snappy: " + e.getMessage()));
    }
    IngestLimits limits = options.limits().ingestForTenant(tenant);
    DecodedWrite w;
    try {
      w = decoder.decode(raw, 0, decoded, limits);
    } catch (WireReader.MalformedException e) {
      return Future.succeededFuture(WriteResult.error(400, "protobuf: cannot decode WriteRequest: " + e.getMessage()));
    }
    for (String limit : w.limitsHit()) {
      refusals.refused(limit, tenant);
    }
    long retryAfter = limiter.tryAcquire(tenant, w.samples());
    if (retryAfter > 0) {
      refusals.refused("ingestion-rate", tenant);
      return Future.succeededFuture(WriteResult.tooManyRequests("tenant \"" + tenant + "\" is over its ingestion rate"
          + " limit (ingestion-rate " + fmt(limits.ingestionRate()) + " samples/s, ingestion-burst-size "
          + fmt(limits.effectiveBurst()) + " samples): request of " + w.samples() + " samples refused; retry in "
          + retryAfter + "s", retryAfter));
    }
    if (w.series().isEmpty() && w.metadata().isEmpty()) {
      return Future.succeededFuture(answer(w, null));
    }
    return Future.fromCompletionStage(storage.append(tenant, w.series(), w.metadata()), vertx.getOrCreateContext())
        .map(r -> {
          if (r.accepted() > 0 && w.minTime() <= w.maxTime()) {
            listener.written(tenant, w.minTime(), w.maxTime());
          }
          return answer(w, r);
        });
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  /** This worker's decompression buffer, grown to {@code n} bytes (the caller is done with it on return). */
  private static byte[] buffer(int n) {
    byte[] b = BUFFERS.get();
    if (b.length >= n) {
      return b;
    }
    b = new byte[Math.max(n, Math.min(2 * b.length, KEEP_BUFFER_BYTES))];
    if (b.length <= KEEP_BUFFER_BYTES) {
      BUFFERS.set(b);
    }
    return b;
  }

  /** Status and message for a decoded request and what the store did with it (null: nothing to store). */
  static WriteResult answer(DecodedWrite w, AppendResult r) {
    long accepted = r == null ? 0 : r.accepted();
    long total = w.samples() + w.invalidSamples() + w.histogramSamples();
    List<String> parts = new ArrayList<>();
    List<String> examples = new ArrayList<>();
    boolean bad = false; // 400: the sender's data is wrong
    boolean conflict = false; // 409: clashes with what is stored
    if (w.invalidSamples() > 0) {
      parts.add(w.invalidSamples() + " with invalid labels");
      examples.add(w.invalidExample());
      bad = true;
    }
    if (w.histogramSamples() > 0) {
      parts.add(w.histogramSamples() + " native histogram samples (not supported yet)");
      bad = true;
    }
    if (r != null) {
      for (Map.Entry<RejectReason, Long> e : r.rejected().entrySet()) {
        parts.add(e.getValue() + " " + e.getKey().text());
        examples.add(r.examples().get(e.getKey()));
        if (e.getKey() == RejectReason.SERIES_LIMIT) {
          bad = true;
        } else {
          conflict = true;
        }
      }
    }
    int status = bad ? 400 : conflict ? 409 : 204;
    if (status == 204) {
      return WriteResult.stored();
    }
    return WriteResult.error(status, "stored " + accepted + " of " + total + " samples; rejected: "
        + String.join(", ", parts) + (examples.isEmpty() ? "" : "; first: " + String.join("; ", examples)));
  }

  private WriteResult failure(String tenant, Throwable err) {
    Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    if (cause instanceof StorageUnavailableException) {
      LOG.warn("remote write for tenant {}: {}", tenant, cause.getMessage());
      return WriteResult.error(503, cause.getMessage());
    }
    if (cause instanceof IllegalArgumentException) {
      return WriteResult.error(400, cause.getMessage());
    }
    LOG.error("remote write for tenant {} failed", tenant, cause);
    return WriteResult.error(500, "internal error: " + cause);
  }
}
