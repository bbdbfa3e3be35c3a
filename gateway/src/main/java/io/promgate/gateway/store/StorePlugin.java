package io.promgate.gateway.store;

import io.promgate.gateway.GatewayContext;
import io.promgate.gateway.GatewayPlugin;
import io.promgate.gateway.http.ApiException;
import io.promgate.gateway.http.ErrorType;
import io.promgate.gateway.write.RemoteReadHandler;
import io.promgate.gateway.write.RemoteWriteHandler;
import io.promgate.gateway.write.RemoteWriteOptions;
import io.promgate.routing.config.PromgateConfig;
import io.promgate.gateway.security.StoreApiAccessCheck;
import io.promgate.storeapi.StoreApiServer;
import io.promgate.storeapi.StoreApiServerConfig;
import io.promgate.tsdb.BlockOptions;
import io.promgate.tsdb.Storage;
import io.promgate.tsdb.StorageOptions;
import io.promgate.tsdb.objstore.ObjectStore;
import io.promgate.tsdb.objstore.ObjectStoreOptions;
import io.promgate.routing.config.ObjectStoreConfig;
import java.io.IOException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundled store, wired into the gateway when the config has a {@code storage:} section (the embedded
 * default has one; {@code --upstream} alone has not):
 *
 * <ol>
 *   <li>opens the tsdb {@link Storage} on a worker (WAL replay may take seconds; never on the event loop)
 *       and starts its block maintenance; with {@code storage.object-store} it uploads blocks and serves
 *       the bucket's blocks as part of the store;
 *   <li>serves remote write on {@code /api/v1/write}, {@code /api/v1/receive} and {@code /api/v1/push}
 *       (also under {@code /tenant/<id>/} and {@code /prometheus/}, which the edge strips), and remote read
 *       on {@code /api/v1/read};
 *   <li>starts the gRPC StoreAPI on {@code server.grpc} over the same store;
 *   <li>publishes the store with {@link GatewayContext#localStore}, so the federation plugin (listed after
 *       this one) serves {@code type: local} backends, and with them every query of the embedded default,
 *       through the one federated engine path: no second evaluation path to keep in step;
 *   <li>adds the store's figures to {@code /metrics} and close hooks that stop gRPC, then close the store.
 * </ol>
 */
public final class StorePlugin implements GatewayPlugin {
  private static final Logger LOG = LoggerFactory.getLogger(StorePlugin.class);
  /** Index cache of bucket blocks: not a valid tenant id ({@code @}), so never mistaken for a tenant. */
  static final String BUCKET_CACHE = "@bucket-cache";
  static final List<String> WRITE_PATHS = List.of("/api/v1/write", "/api/v1/receive", "/api/v1/push");

  private final Clock clock;
  private final RemoteWriteOptions writeOptions;
  private volatile Storage storage;
  private volatile StoreApiServer grpc;

  public StorePlugin() {
    this(Clock.systemUTC(), RemoteWriteOptions.DEFAULT);
  }

  public StorePlugin(Clock clock, RemoteWriteOptions writeOptions) {
    this.clock = clock;
    this.writeOptions = writeOptions;
  }

  @Override
  public Future<Void> start(GatewayContext ctx) {
    PromgateConfig c = ctx.config();
    if (c.storage().isEmpty()) {
      return Future.succeededFuture();
    }
    PromgateConfig.Storage st = c.storage().get();
    Vertx vertx = ctx.vertx();
    StorageOptions options = StorageOptions.DEFAULT.withHeadWindow(st.headWindow());
    BlockOptions blocks = BlockOptions.DEFAULT.withRetention(st.retention()).withBlockDuration(st.blockDuration())
        .withRetentionBytes(st.retentionSize());
    return vertx.executeBlocking(() -> {
      long t0 = System.nanoTime();
      Storage s = Storage.open(st.path(), options, blocks, clock);
      if (st.objectStore().isPresent()) {
        try {
          useObjectStore(s, st);
        } catch (IOException | RuntimeException e) {
          s.close();
          throw e;
        }
      }
      s.startMaintenance(Duration.ofMillis(Long.getLong("promgate.storage.maintenanceMillis", 60_000)));
      LOG.info("bundled store {} opened in {} ms: tenants {}", st.path().toAbsolutePath(),
          (System.nanoTime() - t0) / 1_000_000, s.tenants());
      return s;
    }, false).compose(s -> {
      storage = s;
      // Registered first, so it runs last: the store closes after gRPC and HTTP stopped using it.
      ctx.onClose(() -> vertx.executeBlocking(() -> {
        s.close();
        return null;
      }, false));
      LocalStoreAdapter local = new LocalStoreAdapter(s);
      ctx.localStore(local);
      ctx.metrics().register(new StoreMetrics(s));
      RemoteWriteOptions wo = c.tenancy().limits().equals(io.promgate.routing.config.SecurityConfig.Limits.NONE)
          ? writeOptions : writeOptions.withLimits(c.tenancy().limits());
      RemoteWriteHandler writes = RemoteWriteHandler.create(vertx, s, wo, clock, ctx.writeListener(),
          ctx.metrics().limitRefusals());
      for (String p : WRITE_PATHS) {
        ctx.route(p, true, (req, tenants, path) -> {
          if (tenants.isMulti()) {
            return Future.failedFuture(new ApiException(ErrorType.BAD_DATA,
                "remote write needs exactly one tenant, got " + tenants.headerValue()));
          }
          return writes.serve(tenants.ids().get(0), req);
        });
      }
      RemoteReadHandler reads = RemoteReadHandler.create(vertx, s);
      ctx.route("/api/v1/read", false, (req, tenants, path) -> {
        if (tenants.isMulti()) {
          return Future.failedFuture(new ApiException(ErrorType.BAD_DATA,
              "remote read needs exactly one tenant, got " + tenants.headerValue()));
        }
        return reads.serve(tenants.ids().get(0), req);
      });
      var addr = c.server().grpc();
      StoreApiServerConfig.Builder grpcConfig = StoreApiServerConfig.builder().host(addr.host()).port(addr.port())
          .defaultTenant(c.tenancy().defaultTenant().orElse("anonymous"));
      c.server().grpcTls().ifPresent(tls -> {
        grpcConfig.tls(tls.certFile().toString(), tls.keyFile().toString());
        tls.clientCaFile().ifPresent(ca -> grpcConfig.tlsClientCa(ca.toString()));
      });
      return StoreApiServer.start(vertx, local, grpcConfig.build(), StoreApiAccessCheck.of(c.tenancy())).recover(e -> Future.failedFuture(new IllegalStateException(
          "cannot listen for gRPC StoreAPI on " + addr.host() + ":" + addr.port() + " (server.grpc, --grpc-listen): "
              + e.getMessage(), e)));
    }).compose(server -> {
      grpc = server;
      ctx.onClose(server::close);
      LOG.info("gRPC StoreAPI bound to {}:{}", c.server().grpc().host(), server.port());
      return Future.<Void>succeededFuture();
    }).recover(err -> {
      Storage s = storage;
      if (s != null && grpc == null) {
        // gRPC could not bind: close the store now, start fails as a whole.
        return vertx.executeBlocking(() -> {
          s.close();
          return null;
        }, false).eventually(() -> Future.failedFuture(err)).mapEmpty();
      }
      return Future.failedFuture(err);
    });
  }

  /**
   * {@code storage.object-store}: uploads and bucket reads from now on. The bucket is listed once now so old
   * data is served at once; an unreachable bucket is logged, not fatal (the store works without it and
   * every maintenance pass tries again, as Thanos' shipper does).
   */
  private static void useObjectStore(Storage s, PromgateConfig.Storage st) throws IOException {
    ObjectStoreConfig c = st.objectStore().orElseThrow();
    ObjectStoreOptions o = new ObjectStoreOptions(c.bucket(), c.endpoint().map(Object::toString).orElse(""),
        c.region(), c.accessKey().orElse(""), c.secretKey().orElse(""), c.pathStyle(), c.prefix());
    s.useObjectStore(ObjectStore.open(o, st.path().resolve(BUCKET_CACHE)));
    LOG.info("object store: bucket {}{} at {}, {} credentials", c.bucket(), c.prefix().isEmpty() ? "" : "/" + c.prefix(),
        c.endpoint().map(Object::toString).orElse("AWS S3"), c.accessKey().isPresent() ? "static" : "default chain");
    try {
      s.syncBucket();
    } catch (RuntimeException e) {
      LOG.warn("object store: cannot list bucket {} (retried every maintenance pass): {}", c.bucket(), e.toString());
    }
  }

  /** The open store (null before start or when storage is not configured). */
  public Storage storage() {
    return storage;
  }

  /** The bound gRPC StoreAPI port, or -1 when not started. */
  public int grpcPort() {
    StoreApiServer g = grpc;
    return g == null ? -1 : g.port();
  }
}
