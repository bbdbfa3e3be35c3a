package io.promgate.gateway.backend;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A minimal HTTP/1.1 client for one plain-HTTP upstream: the pass-through hot path of
 * {@link PrometheusProxyBackend}.
 *
 * <p>Why not Vert.x's HttpClient: bench/passthrough.sh showed promgate's event loop spending about twice
 * nginx's CPU per proxied request, and JFR put most of the difference in the client's layers (resource
 * manager and pool lookups, per-request futures, inbound/outbound message queues, the stream pipe, one
 * context dispatch per message and a second write for {@code end()}), not in HTTP parsing or syscalls. This
 * client keeps only what a proxy needs: one pool of keep-alive connections per event loop (LIFO idle list,
 * bounded, FIFO waiters), channels on the event loop that serves the request (no thread hop), a request
 * written as one ready-made buffer (no encoder), Netty's response decoder, and one timer per event loop that
 * sweeps the busy connections for the backend timeout (a timer per request cost a scheduler-queue insert and
 * removal each).
 *
 * <p>Bodies: up to {@link #BUFFER_LIMIT} bytes are collected and written with the response head in one
 * {@code end(buffer)} (one write, no chunk framing); beyond it the body streams with back pressure (reading
 * from the upstream stops while the client's write queue is full), chunked when the upstream gave no length.
 * Status, reason and end-to-end headers are relayed; hop-by-hop headers are not.
 *
 * <p>Threading: every callback runs on the channel's event loop, which is the event loop of the Vert.x
 * context that asked; Netty callbacks enter that context ({@code beginDispatch}) so futures and Vert.x
 * handlers behave as if Vert.x had called them. TLS upstreams are not handled here (the backend keeps Vert.x's
 * client for them), nor calls from worker contexts.
 */
final class Http1Upstream {
  static final int BUFFER_LIMIT = 64 * 1024;
  private static final int ERROR_BODY_LIMIT = 4096;
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] HTTP11_CRLF = " HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] HEADER_SEP = {':', ' '};
  private static final byte[] CONTENT_LENGTH = "content-length: ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final AsciiString[] HOP_BY_HOP = {HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
      HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.TE,
      HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE,
      AsciiString.cached("proxy-connection")};

  /**
   * The exchange, relayed body included, did not finish within the backend timeout. A deadline for the whole
   * exchange, not an idle timeout: an upstream that sends a byte now and then would otherwise hold a client
   * forever (found by FaultInjectionIT).
   */
  static final class IdleTimeout extends IOException {
    IdleTimeout(long millis) {
      super("no complete answer within " + millis + "ms");
    }
  }

  /** The upstream closed the connection before the response was complete. */
  static final class Closed extends IOException {
    Closed() {
      super("upstream closed the connection");
    }
  }

  /** What the backend does at the response head and on failures (metrics, error classification). */
  interface Events {
    void head(long nanos);

    /** A failure before the response head: the exception the caller's future fails with. */
    Throwable failed(Throwable cause, long nanos);

    /** A failure after the response head ({@code kind}: reset or timeout). */
    void aborted(String kind);

    /**
     * The upstream answered a 5xx other than Prometheus' own 503: the caller's future fails with what this
     * returns instead of relaying it ({@code body}: its first bytes, for the message).
     */
    Throwable serverError(int status, String body);
  }

  private final VertxInternal vertx;
  private final String host;
  private final int port;
  private final byte[] hostLine;
  private final int maxPerLoop;
  private final long timeoutNanos;
  private final long timeoutMillis;
  private final int connectTimeoutMillis;
  private final Events events;
  private final String contextKey;
  private final List<Pool> pools = new CopyOnWriteArrayList<>();

  Http1Upstream(VertxInternal vertx, String host, int port, int maxPerLoop, long timeoutMillis,
      int connectTimeoutMillis, Events events) {
    this.vertx = vertx;
    this.host = host;
    this.port = port;
    // As Vert.x's client writes it: no port when it is the scheme's default.
    this.hostLine = ("host: " + host + (port == 80 ? "" : ":" + port) + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    this.maxPerLoop = maxPerLoop;
    this.timeoutMillis = timeoutMillis;
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.events = events;
    this.contextKey = "promgate.http1upstream." + System.identityHashCode(this);
  }

  /**
   * Sends a request; the future completes on the event loop with the response head, as an
   * {@link ApiResponse} that relays status, headers and body. Null when the caller is not on an event-loop
   * context (the backend then uses Vert.x's client).
   *
   * @param headers request headers, sent as they are ({@code host} and, with a body, {@code content-length}
   *     are added)
   */
  Future<ApiResponse> exchange(HttpMethod method, String uri, MultiMap headers, Buffer body) {
    ContextInternal ctx = vertx.getContext();
    if (ctx == null || !ctx.isEventLoopContext() || !ctx.nettyEventLoop().inEventLoop()) {
      return null;
    }
    Pool pool = ctx.get(contextKey);
    if (pool == null) {
      pool = new Pool(ctx);
      ctx.put(contextKey, pool);
      pools.add(pool);
    }
    Exchange ex = new Exchange(pool, ctx, encode(method, uri, headers, body));
    pool.acquire(ex);
    return ex.head.future();
  }

  private ByteBuf encode(HttpMethod method, String uri, MultiMap headers, Buffer body) {
    ByteBuf bodyBuf = body == null ? null : ((BufferInternal) body).getByteBuf();
    int bodyLen = bodyBuf == null ? 0 : bodyBuf.readableBytes();
    ByteBuf b = io.netty.buffer.ByteBufAllocator.DEFAULT.directBuffer(256 + uri.length() + bodyLen);
    ByteBufUtil.writeAscii(b, method.name());
    b.writeByte(' ');
    ByteBufUtil.writeAscii(b, uri);
    b.writeBytes(HTTP11_CRLF);
    if (headers instanceof io.netty.handler.codec.http.HttpHeaders nh) {
      // Vert.x's headers are Netty headers: names stay AsciiStrings, nothing is converted to String.
      for (Iterator<Map.Entry<CharSequence, CharSequence>> it = nh.iteratorCharSequence(); it.hasNext(); ) {
        Map.Entry<CharSequence, CharSequence> e = it.next();
        header(b, e.getKey(), e.getValue());
      }
    } else {
      for (Map.Entry<String, String> e : headers) {
        header(b, e.getKey(), e.getValue());
      }
    }
    if (bodyBuf != null) {
      b.writeBytes(CONTENT_LENGTH);
      ByteBufUtil.writeAscii(b, Integer.toString(bodyLen));
      b.writeBytes(CRLF);
    }
    b.writeBytes(hostLine);
    if (bodyBuf != null) {
      b.writeBytes(bodyBuf, bodyBuf.readerIndex(), bodyLen);
    }
    return b;
  }

  private static void header(ByteBuf b, CharSequence name, CharSequence value) {
    if (name instanceof AsciiString a) {
      ByteBufUtil.copy(a, b);
    } else {
      ByteBufUtil.writeAscii(b, name);
    }
    b.writeBytes(HEADER_SEP);
    ByteBufUtil.writeAscii(b, value);
    b.writeBytes(CRLF);
  }

  static boolean isHopByHop(CharSequence name) {
    int n = name.length();
    if (n != 2 && n != 7 && n != 10 && (n < 16 || n > 19)) { // the lengths of the names below
      return false;
    }
    for (AsciiString h : HOP_BY_HOP) {
      if (h.contentEqualsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  Future<Void> close() {
    for (Pool p : pools) {
      try {
        p.loop.execute(p::close);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // the event loop is already shut down, and its channels with it
      }
    }
    return Future.succeededFuture();
  }

  /** The connections of one event loop; touched only on that loop. */
  private final class Pool {
    final EventLoop loop;
    final Bootstrap bootstrap;
    final ArrayDeque<Conn> idle = new ArrayDeque<>();
    final ArrayDeque<Exchange> waiting = new ArrayDeque<>();
    /** Every connected connection, for the timeout sweep. */
    final java.util.ArrayList<Conn> connected = new java.util.ArrayList<>();
    final ScheduledFuture<?> sweeper;
    int open;
    boolean closed;

    Pool(ContextInternal ctx) {
      this.loop = ctx.nettyEventLoop();
      this.bootstrap = new Bootstrap().group(loop).channelFactory(vertx.transport().channelFactory(false))
          .option(ChannelOption.TCP_NODELAY, true)
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
          .handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              ch.pipeline().addLast(new HttpResponseDecoder(new HttpDecoderConfig().setMaxInitialLineLength(4096)
                  .setMaxHeaderSize(8192).setMaxChunkSize(BUFFER_LIMIT).setValidateHeaders(false)), new Conn(Pool.this));
            }
          });
      // The sweep runs ten times per timeout (at most once a second, at least every 10 ms): a stalled
      // upstream is noticed within a tenth of the timeout, or a second, after it expires.
      long period = Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(TimeUnit.SECONDS.toNanos(1), timeoutNanos / 10));
      this.sweeper = loop.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.NANOSECONDS);
    }

    private void sweep() {
      long now = System.nanoTime();
      for (int i = connected.size() - 1; i >= 0; i--) {
        Conn c = connected.get(i);
        if (c.ex != null && now - c.ex.start >= timeoutNanos) {
          c.timeout();
        }
      }
    }

    void acquire(Exchange ex) {
      if (closed) {
        ex.fail(new Closed(), "reset");
        return;
      }
      Conn c;
      while ((c = idle.pollLast()) != null) { // the most recently used connection: warm, least likely closed
        if (c.channel.isActive()) {
          c.start(ex);
          return;
        }
      }
      if (open < maxPerLoop) {
        connect(ex);
      } else {
        waiting.addLast(ex);
      }
    }

    private void connect(Exchange ex) {
      open++;
      bootstrap.connect(host, port).addListener(f -> {
        Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
        if (f.isSuccess()) {
          Conn c = ch.pipeline().get(Conn.class);
          connected.add(c);
          c.start(ex);
        } else {
          open--;
          ContextInternal prev = ex.ctx.beginDispatch();
          try {
            ex.fail(f.cause(), "reset");
          } finally {
            ex.ctx.endDispatch(prev);
          }
          next();
        }
      });
    }

    void release(Conn c) {
      Exchange ex = waiting.pollFirst();
      if (ex != null) {
        c.start(ex);
      } else if (closed) {
        c.channel.close();
      } else {
        idle.addLast(c);
      }
    }

    void closed(Conn c) {
      open--;
      idle.remove(c);
      connected.remove(c);
      next();
    }

    private void next() {
      if (!waiting.isEmpty() && open < maxPerLoop && !closed) {
        connect(waiting.pollFirst());
      }
    }

    void close() {
      closed = true;
      sweeper.cancel(false);
      for (Conn c : idle.toArray(new Conn[0])) {
        c.channel.close();
      }
      Exchange ex;
      while ((ex = waiting.pollFirst()) != null) {
        ex.fail(new Closed(), "reset");
      }
    }
  }

  /** One upstream connection and the exchange it serves. */
  private final class Conn extends ChannelInboundHandlerAdapter {
    final Pool pool;
    Channel channel;
    Exchange ex;

    Conn(Pool pool) {
      this.pool = pool;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      channel = ctx.channel();
    }

    void start(Exchange e) {
      ex = e;
      e.conn = this;
      channel.writeAndFlush(e.request, channel.voidPromise());
      e.request = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      Exchange e = ex;
      if (e == null) { // nothing asked: a broken or confused upstream; never reuse it
        ReferenceCountUtil.release(msg);
        channel.close();
        return;
      }
      ContextInternal prev = e.ctx.beginDispatch();
      try {
        if (((HttpObject) msg).decoderResult().isFailure()) {
          channel.close();
          e.fail(((HttpObject) msg).decoderResult().cause(), "reset");
        } else {
          if (msg instanceof HttpResponse r) {
            e.head(r);
          }
          if (msg instanceof HttpContent c) {
            e.content(c.content(), msg instanceof LastHttpContent);
          }
        }
      } finally {
        e.ctx.endDispatch(prev);
        ReferenceCountUtil.release(msg);
      }
    }

    /** The response is complete: back to the pool, or closed when the upstream will not keep it alive. */
    void done(boolean keepAlive) {
      ex = null;
      if (keepAlive && channel.isActive()) {
        pool.release(this);
      } else {
        channel.close();
      }
    }

    /** The exchange outlived the backend timeout: the connection is useless now. */
    void timeout() {
      Exchange e = ex;
      ex = null;
      channel.close();
      ContextInternal prev = e.ctx.beginDispatch();
      try {
        e.fail(new IdleTimeout(timeoutMillis), "timeout");
      } finally {
        e.ctx.endDispatch(prev);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      pool.closed(this);
      Exchange e = ex;
      if (e != null) {
        ex = null;
        ContextInternal prev = e.ctx.beginDispatch();
        try {
          e.fail(new Closed(), "reset");
        } finally {
          e.ctx.endDispatch(prev);
        }
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      Exchange e = ex;
      ex = null;
      channel.close();
      if (e != null) {
        ContextInternal prev = e.ctx.beginDispatch();
        try {
          e.fail(cause, "reset");
        } finally {
          e.ctx.endDispatch(prev);
        }
      }
    }
  }

  /** One request and its response; the response relays itself once {@link #send} names the client. */
  private final class Exchange implements ApiResponse {
    final Pool pool;
    /** The context of the request (Vert.x gives each request its own): callbacks run on it. */
    final ContextInternal ctx;
    final long start = System.nanoTime();
    final Promise<ApiResponse> head = Promise.promise();
    ByteBuf request;
    Conn conn;
    HttpResponse response;
    boolean headDone;
    /** The body so far (until it streams). */
    ByteBuf body;
    boolean last;
    boolean finished;
    boolean failedAfterHead;
    boolean streaming;
    boolean chunked;
    /** A 5xx to turn into the caller's failure once its (bounded) body is read; 0 otherwise. */
    int serverError;
    HttpServerResponse out;
    Promise<Void> relayed;

    Exchange(Pool pool, ContextInternal ctx, ByteBuf request) {
      this.pool = pool;
      this.ctx = ctx;
      this.request = request;
    }

    void head(HttpResponse r) {
      if (r.status().codeClass() == io.netty.handler.codec.http.HttpStatusClass.INFORMATIONAL) {
        return; // 100 Continue and friends: the real head follows (we never send Expect anyway)
      }
      response = r;
      int code = r.status().code();
      if (code >= 500 && code != 503) {
        serverError = code;
        body = Unpooled.buffer(512);
        events.head(System.nanoTime() - start);
        return;
      }
      headDone = true;
      long len = HttpUtil.getContentLength(r, -1L);
      chunked = len < 0;
      body = Unpooled.buffer(len >= 0 && len <= BUFFER_LIMIT ? (int) len : 8192);
      events.head(System.nanoTime() - start);
      head.complete(this);
    }

    void content(ByteBuf data, boolean isLast) {
      if (response == null) {
        return; // the empty end of an informational response
      }
      if (serverError != 0) {
        int room = ERROR_BODY_LIMIT - body.readableBytes();
        if (room > 0) {
          body.writeBytes(data, data.readerIndex(), Math.min(room, data.readableBytes()));
        }
        if (isLast) {
          complete();
          headDone = true;
          head.fail(events.serverError(serverError, body.toString(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return;
      }
      if (streaming) {
        if (data.isReadable()) {
          out.write(BufferInternal.buffer(Unpooled.copiedBuffer(data)));
        }
        if (isLast) {
          complete();
          out.end().onComplete(relayed);
        } else if (out.writeQueueFull()) {
          conn.channel.config().setAutoRead(false);
          Conn c = conn;
          out.drainHandler(v -> c.channel.config().setAutoRead(true));
        }
        return;
      }
      body.writeBytes(data);
      if (isLast) {
        last = true;
        complete();
        if (out != null) {
          out.end(BufferInternal.buffer(body)).onComplete(relayed);
        }
      } else if (body.readableBytes() >= BUFFER_LIMIT) {
        if (out != null) {
          stream();
        } else {
          conn.channel.config().setAutoRead(false); // nobody to hand the body to yet: stop reading
        }
      }
    }

    /** The whole response has been read: the connection goes back to the pool. */
    private void complete() {
      finished = true;
      Conn c = conn;
      conn = null;
      c.done(HttpUtil.isKeepAlive(response));
    }

    @Override
    public Future<Void> send(HttpServerResponse o) {
      out = o;
      HttpResponseStatus s = response.status();
      if (s != HttpResponseStatus.OK) { // the decoder returns the constant for "200 OK"; a response starts as that
        o.setStatusCode(s.code());
        if (!s.reasonPhrase().equals(HttpResponseStatus.valueOf(s.code()).reasonPhrase())) {
          o.setStatusMessage(s.reasonPhrase());
        }
      }
      MultiMap oh = o.headers();
      for (Iterator<Map.Entry<CharSequence, CharSequence>> it = response.headers().iteratorCharSequence(); it.hasNext(); ) {
        Map.Entry<CharSequence, CharSequence> e = it.next();
        if (!isHopByHop(e.getKey())) {
          oh.add(e.getKey(), e.getValue());
        }
      }
      if (failedAfterHead) {
        o.reset();
        return Future.succeededFuture();
      }
      if (last) {
        return o.end(BufferInternal.buffer(body));
      }
      relayed = Promise.promise();
      if (body.readableBytes() >= BUFFER_LIMIT) {
        conn.channel.config().setAutoRead(true); // content() stopped reading while nobody could take the body
        stream();
      }
      return relayed.future();
    }

    /** Switches to streaming: what was collected goes out, the rest follows as it arrives. */
    private void stream() {
      streaming = true;
      if (chunked) {
        out.setChunked(true);
      }
      Conn c = conn;
      out.exceptionHandler(t -> abort(c));
      out.closeHandler(v -> abort(c));
      out.write(BufferInternal.buffer(body));
      body = null;
      if (out.writeQueueFull()) {
        c.channel.config().setAutoRead(false);
        out.drainHandler(v -> c.channel.config().setAutoRead(true));
      }
    }

    /** The client went away mid-body: the upstream connection cannot be reused. */
    private void abort(Conn c) {
      if (!finished) {
        finished = true;
        conn = null;
        c.ex = null;
        c.channel.close();
        events.aborted("reset");
        relayed.tryComplete();
      }
    }

    void fail(Throwable t, String kind) {
      if (finished) {
        return;
      }
      finished = true;
      if (request != null) { // never written (no connection): the pooled buffer is ours to free
        request.release();
        request = null;
      }
      conn = null;
      if (!headDone) {
        headDone = true;
        head.fail(events.failed(t, System.nanoTime() - start));
        return;
      }
      events.aborted(kind);
      if (out == null) {
        failedAfterHead = true;
        return;
      }
      if (!out.ended() && !out.closed()) {
        out.reset();
      }
      relayed.tryComplete();
    }
  }
}
