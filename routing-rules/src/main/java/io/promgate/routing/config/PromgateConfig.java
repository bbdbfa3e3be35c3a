package io.promgate.routing.config;

import io.promgate.routing.Route;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole validated configuration (DESIGN.md, "Configuration"). Immutable; built only by
 * {@link ConfigLoader}, which has already checked every cross-reference, so consumers never re-validate.
 *
 * @param storage the bundled store; empty means stateless (no store, no gRPC StoreAPI port)
 * @param backends by name, in config order
 */
public record PromgateConfig(
    Server server,
    Optional<Storage> storage,
    Tenancy tenancy,
    Map<String, BackendConfig> backends,
    List<Route> routes,
    Dedup dedup,
    boolean partialResponse,
    Cache cache) {

  public static final HostPort DEFAULT_HTTP = new HostPort("0.0.0.0", 9095);
  public static final HostPort DEFAULT_GRPC = new HostPort("0.0.0.0", 10901);

  public PromgateConfig {
    backends = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(backends));
    routes = List.copyOf(routes);
  }

  /**
   * @param tls TLS of the HTTP server ({@code server.tls}); empty means plain HTTP
   * @param grpcTls TLS of the gRPC StoreAPI server ({@code server.grpc-tls}, same shape); empty means plaintext
   */
  public record Server(HostPort http, HostPort grpc, Optional<SecurityConfig.Tls> tls,
      Optional<SecurityConfig.Tls> grpcTls) {
    public Server(HostPort http, HostPort grpc) {
      this(http, grpc, Optional.empty(), Optional.empty());
    }
  }

  /**
   * @param retention {@code storage.retention}: local blocks older than this are deleted (zero keeps them);
   *     with an object store only once they are uploaded, and the bucket keeps serving them
   * @param blockDuration {@code storage.block-duration}: the range of blocks cut from the head
   * @param retentionSize {@code storage.retention-size} in bytes per tenant (blocks + WAL); 0 for none
   * @param objectStore {@code storage.object-store}: upload blocks, and serve old blocks from the bucket
   */
  public record Storage(Path path, Duration retention, Duration headWindow, Duration blockDuration,
      long retentionSize, Optional<ObjectStoreConfig> objectStore) {
    public static final Duration DEFAULT_BLOCK_DURATION = Duration.ofHours(2);

    public Storage(Path path, Duration retention, Duration headWindow) {
      this(path, retention, headWindow, DEFAULT_BLOCK_DURATION, 0, Optional.empty());
    }

    public Storage withPath(Path p) {
      return new Storage(p, retention, headWindow, blockDuration, retentionSize, objectStore);
    }
  }

  /**
   * @param defaultTenant the tenant of requests that name none; empty means such requests get 401
   * @param upstreamHeader the header carrying the resolved tenant to backends
   * @param credentials {@code tenancy.credentials}: enforced when {@code requireAuth} (issue 12)
   * @param limits {@code tenancy.limits}: per-tenant query limits
   */
  public record Tenancy(Optional<String> defaultTenant, boolean requireAuth, String upstreamHeader,
      List<SecurityConfig.Credential> credentials, SecurityConfig.Limits limits) {
    public Tenancy {
      credentials = List.copyOf(credentials);
    }

    public Tenancy(Optional<String> defaultTenant, boolean requireAuth, String upstreamHeader) {
      this(defaultTenant, requireAuth, upstreamHeader, List.of(), SecurityConfig.Limits.NONE);
    }
  }

  public record Dedup(List<String> replicaLabels) {
    public Dedup {
      replicaLabels = List.copyOf(replicaLabels);
    }
  }

  /**
   * The results cache of range queries ({@code max-bytes: 0} turns it off).
   *
   * @param extent the length of one cached piece of a range result (step-aligned; default 24h)
   */
  public record Cache(long maxBytes, Duration maxFreshness, Duration extent) {
    public static final Duration DEFAULT_EXTENT = Duration.ofHours(24);

    public Cache(long maxBytes, Duration maxFreshness) {
      this(maxBytes, maxFreshness, DEFAULT_EXTENT);
    }
  }

  /**
   * The one {@code prometheus} backend when it is the only backend: then every query is passed through
   * unchanged (the drop-in proxy mode of issue 3).
   */
  public Optional<BackendConfig.Prometheus> soleUpstream() {
    if (backends.size() == 1 && backends.values().iterator().next() instanceof BackendConfig.Prometheus p) {
      return Optional.of(p);
    }
    return Optional.empty();
  }
}
