package io.promgate.gateway.cache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.promgate.gateway.backend.ApiRequest;
import io.promgate.gateway.backend.ApiResponse;
import io.promgate.gateway.backend.QueryBackend;
import io.promgate.gateway.http.Endpoint;
import io.promgate.gateway.http.Envelope;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.internal.buffer.BufferInternal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results cache in front of any {@link QueryBackend} (DESIGN.md, "Read path": lookup after parse,
 * before planning). Only {@code query_range} is cached; everything else goes straight to the wrapped
 * backend.
 *
 * <p>A range query is cut at its extent slots' boundaries ({@link ExtentGrid}); what the cache holds is
 * served from memory, and each run of missing evaluation times becomes one {@code query_range}
 * sub-request over exactly those times to the wrapped backend. The pieces are stitched
 * ({@link Stitcher}) into the answer an unsplit query gives. When nothing is cached the client's own
 * request goes to the backend and its answer is relayed as is (then cached): a cold query costs no extra
 * evaluation and its bytes are the backend's.
 *
 * <p>Whenever a sub-answer is not clean (error, warning, partial response, not a matrix) the cache steps
 * aside: the client's request is sent to the backend unchanged and that answer is relayed, so the client
 * sees exactly what an uncached promgate says, and nothing of it is stored. {@code Cache-Control: no-cache}
 * (or {@code no-store}) bypasses the cache both ways. Answers carry {@code X-Promgate-Cache: hit|partial|miss}.
 *
 * <p>A dashboard's refresh costs the fresh tail's round trip and one copy of held bytes: extents grow in
 * place ({@link Points#append}) and the answer is written straight from the pieces into the pooled direct
 * buffer the socket sends from ({@link Stitcher.Rendering#writeTo}), on the event loop when that little is
 * all there is to do ({@link #small}); parsing and stitching bigger
 * pieces (a day of points of many series is megabytes of JSON) run on a worker, never on the event loop.
 * Measured with bench/cache.sh: the cached side's own CPU is then lost in the noise of a JFR profile, and
 * what a refresh waits for is the upstream's answer for the tail (a few steps, read over the tail's own
 * ranges only).
 */
public final class CachingQueryBackend implements QueryBackend {
  public static final String HEADER = "X-Promgate-Cache";

  /**
   * Where answers are rendered for the socket. Netty's pooled arena allocator keeps its chunks (4 MiB), so an
   * answer of a few megabytes reuses memory; the adaptive allocator Vert.x uses pools buffers only up to
   * 1 MiB and allocates (and zeroes) a fresh direct buffer for every bigger one, which perf showed as the
   * top symbol of a cache hit.
   */
  private static final PooledByteBufAllocator POOL = PooledByteBufAllocator.DEFAULT;

  private final Vertx vertx;
  private final QueryBackend inner;
  private final ResultsCache cache;

  public CachingQueryBackend(Vertx vertx, QueryBackend inner, ResultsCache cache) {
    this.vertx = vertx;
    this.inner = inner;
    this.cache = cache;
  }

  public QueryBackend wrapped() {
    return inner;
  }

  public ResultsCache cache() {
    return cache;
  }

  /** A run of evaluation times, cached ({@code extent != null}) or to fetch. */
  private record Segment(Extent extent, long fromT, long toT) {}

  @Override
  public Future<ApiResponse> rangeQuery(ApiRequest r) {
    String[] why = new String[1];
    RangeRequest rq = noCache(r) ? null : RangeRequest.of(r, why);
    if (rq == null) {
      cache.bypasses.increment();
      return inner.rangeQuery(r).map(resp -> tagged(resp, "miss"));
    }
    long generation = cache.generation(rq.key());
    List<Segment> plan = plan(rq);
    if (plan.stream().noneMatch(s -> s.extent() != null)) {
      cache.misses.increment();
      return inner.rangeQuery(withoutEncoding(r)).compose(CapturedResponse::capture)
          .compose(c -> vertx.executeBlocking(() -> {
            if (c.status() == 200) {
              List<SeriesPoints> series = MatrixJson.parse(c.bytes());
              if (series != null) {
                cache.store(rq.key(), rq.startMs(), rq.endMs(), series, generation);
              }
            }
            return relay(c, "miss");
          }, false));
    }
    List<Future<CapturedResponse.Captured>> fetches = new ArrayList<>();
    for (Segment s : plan) {
      fetches.add(s.extent() != null ? Future.succeededFuture() : fetch(r, rq, s));
    }
    boolean hit = plan.stream().allMatch(s -> s.extent() != null);
    return Future.all(fetches).compose(all -> {
      // A refresh's tail is a few points and its answer a copy of held bytes: less work than a hop to a
      // worker and back, so it is done here. Big pieces (a cold day, a wide gap) go to a worker in one task.
      if (small(plan, all)) {
        try {
          return Future.succeededFuture(assemble(rq, plan, all, generation, hit, true));
        } catch (RuntimeException e) {
          return Future.failedFuture(e);
        }
      }
      return vertx.executeBlocking(() -> assemble(rq, plan, all, generation, hit, false), false);
    }).recover(err -> {
      // A piece was not clean: answer exactly as an uncached promgate would.
      cache.misses.increment();
      return inner.rangeQuery(r).map(resp -> tagged(resp, "miss"));
    });
  }

  /**
   * Parses the fetched pieces and stores them; throws when a piece is not clean. The answer is rendered
   * {@code atSend} (on the event loop, straight into a pooled direct buffer the socket is written from, then
   * given back: no heap copy, no fresh megabyte-sized direct buffer per answer) or here (on a worker, big
   * answers).
   */
  private ApiResponse assemble(RangeRequest rq, List<Segment> plan, CompositeFuture all, long generation,
      boolean hit, boolean atSend) {
    List<Stitcher.Piece> pieces = new ArrayList<>(plan.size());
    for (int i = 0; i < plan.size(); i++) {
      Segment s = plan.get(i);
      List<SeriesPoints> series;
      if (s.extent() != null) {
        series = s.extent().series();
      } else {
        CapturedResponse.Captured c = all.resultAt(i);
        series = c.status() == 200 ? MatrixJson.parse(c.bytes()) : null;
        if (series == null) {
          throw new IllegalStateException("sub-answer not clean");
        }
        cache.store(rq.key(), s.fromT(), s.toT(), series, generation);
      }
      pieces.add(new Stitcher.Piece(series, s.fromT(), s.toT()));
    }
    Stitcher.Rendering rendering = Stitcher.prepare(pieces);
    (hit ? cache.hits : cache.partials).increment();
    String tag = hit ? "hit" : "partial";
    if (!atSend) {
      Buffer body = Stitcher.render(rendering);
      return out -> {
        out.putHeader(HEADER, tag);
        return Envelope.send(out, 200, body);
      };
    }
    return out -> {
      out.putHeader(HEADER, tag);
      ByteBuf direct = POOL.directBuffer(rendering.size());
      try {
        rendering.writeTo(direct);
      } catch (RuntimeException e) {
        direct.release();
        throw e;
      }
      // Vert.x hands Netty an unreleasable view of a buffer it did not allocate: the write completing (or
      // failing) is when the bytes are no longer needed.
      return Envelope.send(out, 200, BufferInternal.buffer(direct)).onComplete(x -> direct.release());
    };
  }

  /**
   * Whether assembling is cheap enough for an event loop: at most {@value #INLINE_FETCHED} bytes to parse
   * and {@value #INLINE_HELD} held bytes to copy (copying 4 MiB takes about a millisecond at most; parsing
   * costs tens of times more per byte).
   */
  private static boolean small(List<Segment> plan, CompositeFuture all) {
    long fetched = 0;
    long held = 0;
    for (int i = 0; i < plan.size(); i++) {
      Segment s = plan.get(i);
      if (s.extent() != null) {
        held += s.extent().bytes();
      } else {
        CapturedResponse.Captured c = all.resultAt(i);
        fetched += c.body().length();
      }
    }
    return fetched <= INLINE_FETCHED && held <= INLINE_HELD;
  }

  private static final long INLINE_FETCHED = 64 * 1024;
  private static final long INLINE_HELD = 4 * 1024 * 1024;

  /** Cached and missing runs in time order; adjacent missing runs joined into one sub-request. */
  private List<Segment> plan(RangeRequest rq) {
    ExtentGrid g = cache.grid(rq.key());
    long step = rq.stepMs();
    List<Segment> out = new ArrayList<>();
    for (long slot = g.slotOf(rq.startMs()); slot <= g.slotOf(rq.endMs()); slot++) {
      long a = Math.max(rq.startMs(), g.slotFirst(slot));
      long b = Math.min(rq.endMs(), g.slotLast(slot));
      Extent e = cache.get(rq.key(), slot);
      if (e == null || e.lastT() < a || e.firstT() > b) {
        missing(out, a, b, step);
        continue;
      }
      if (a < e.firstT()) {
        missing(out, a, e.firstT() - step, step);
      }
      out.add(new Segment(e, Math.max(a, e.firstT()), Math.min(b, e.lastT())));
      if (b > e.lastT()) {
        missing(out, e.lastT() + step, b, step);
      }
    }
    return out;
  }

  private static void missing(List<Segment> out, long from, long to, long step) {
    Segment last = out.isEmpty() ? null : out.get(out.size() - 1);
    if (last != null && last.extent() == null && last.toT() + step == from) {
      out.set(out.size() - 1, new Segment(null, last.fromT(), to));
    } else {
      out.add(new Segment(null, from, to));
    }
  }

  /** One sub-request over exactly the segment's evaluation times. */
  private Future<CapturedResponse.Captured> fetch(ApiRequest r, RangeRequest rq, Segment s) {
    StringBuilder form = new StringBuilder(256);
    for (String name : rq.params().names()) {
      String n = name.toLowerCase(Locale.ROOT);
      if (n.equals("start") || n.equals("end")) {
        continue;
      }
      for (String v : rq.params().getAll(name)) {
        param(form, name, v);
      }
    }
    param(form, "start", RangeRequest.seconds(s.fromT()));
    param(form, "end", RangeRequest.seconds(s.toT()));
    boolean post = r.method() == HttpMethod.POST;
    ApiRequest sub = new ApiRequest(Endpoint.QUERY_RANGE, post ? HttpMethod.POST : HttpMethod.GET, r.apiPath(),
        post ? null : form.toString(), post ? Buffer.buffer(form.toString()) : null, post, r.tenants(),
        headersWithoutEncoding(r.headers()), r.parsed());
    return inner.rangeQuery(sub).compose(CapturedResponse::capture);
  }

  private static void param(StringBuilder sb, String name, String value) {
    if (sb.length() > 0) {
      sb.append('&');
    }
    sb.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
  }

  private static boolean noCache(ApiRequest r) {
    for (String v : r.headers().getAll(HttpHeaders.CACHE_CONTROL)) {
      String l = v.toLowerCase(Locale.ROOT);
      if (l.contains("no-cache") || l.contains("no-store")) {
        return true;
      }
    }
    return false;
  }

  /** The same request asking for an identity body, which the cache can read. */
  private static ApiRequest withoutEncoding(ApiRequest r) {
    return r.withHeaders(headersWithoutEncoding(r.headers()));
  }

  private static MultiMap headersWithoutEncoding(MultiMap in) {
    MultiMap h = HttpHeaders.headers();
    for (Map.Entry<String, String> e : in) {
      String n = e.getKey();
      if (!n.equalsIgnoreCase("accept-encoding") && !n.equalsIgnoreCase("content-length")) {
        h.add(n, e.getValue());
      }
    }
    return h;
  }

  private static ApiResponse relay(CapturedResponse.Captured c, String tag) {
    return out -> {
      out.setStatusCode(c.status());
      for (Map.Entry<String, String> e : c.headers()) {
        String n = e.getKey();
        if (!n.equalsIgnoreCase("content-length") && !n.equalsIgnoreCase("transfer-encoding")
            && !n.equalsIgnoreCase("connection")) {
          out.headers().add(n, e.getValue());
        }
      }
      out.putHeader(HEADER, tag);
      return out.end(c.body());
    };
  }

  private static ApiResponse tagged(ApiResponse resp, String tag) {
    return out -> {
      out.putHeader(HEADER, tag);
      return resp.send(out);
    };
  }

  @Override public Future<ApiResponse> instantQuery(ApiRequest r) { return inner.instantQuery(r); }
  @Override public Future<ApiResponse> series(ApiRequest r) { return inner.series(r); }
  @Override public Future<ApiResponse> labels(ApiRequest r) { return inner.labels(r); }
  @Override public Future<ApiResponse> labelValues(ApiRequest r, String name) { return inner.labelValues(r, name); }
  @Override public Future<ApiResponse> metadata(ApiRequest r) { return inner.metadata(r); }
  @Override public Future<ApiResponse> other(ApiRequest r) { return inner.other(r); }
  @Override public Future<Boolean> ready() { return inner.ready(); }
  @Override public Future<Void> close() { return inner.close(); }

  @Override
  public String describe() {
    return inner.describe() + " (results cache)";
  }
}
