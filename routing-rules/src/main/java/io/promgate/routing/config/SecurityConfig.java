package io.promgate.routing.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The security parts of the configuration (issue 12): who may act on which tenant, and the HTTP server's
 * TLS. Only hashes of secrets are ever held here; plain-text passwords and tokens are refused at load.
 */
public final class SecurityConfig {
  private SecurityConfig() {}

  /**
   * One entry of {@code tenancy.credentials}: HTTP basic auth ({@code user} + {@code password-hash}) or a
   * bearer token ({@code bearer-token-hash}, no user), granting read and/or write on tenants.
   *
   * @param name shown in logs and 403 messages instead of the secret (defaults to the user, or
   *     {@code token-<i>})
   * @param user the basic-auth user; empty for a bearer token
   * @param secretHash {@code $2a$/$2b$/$2y$} bcrypt or {@code sha256:<64 hex>} (bearer tokens: sha256 only)
   * @param read tenant ids or {@code *} this credential may read
   * @param write tenant ids or {@code *} this credential may write (remote write)
   */
  public record Credential(String name, Optional<String> user, String secretHash, List<String> read,
      List<String> write) {
    public Credential {
      read = List.copyOf(read);
      write = List.copyOf(write);
    }

    @Override
    public String toString() {
      // Even a hash is not printed: an unsalted sha256 of a weak token is a dictionary look-up away.
      return "Credential[" + name + (user.isPresent() ? ", user " + user.get() : ", bearer token")
          + ", read " + read + ", write " + write + "]";
    }
  }

  /**
   * {@code server.tls}: PEM certificate chain and key; with {@code client-ca-file} clients must present a
   * certificate signed by it (mTLS).
   */
  public record Tls(Path certFile, Path keyFile, Optional<Path> clientCaFile) {}

  /**
   * A backend's {@code tls:}: CA file to trust (else the JVM's trust store), client certificate and key for
   * mutual TLS, and {@code insecure-skip-verify} (no certificate or host check) only when asked.
   */
  public record BackendTls(Optional<Path> caFile, Optional<Path> certFile, Optional<Path> keyFile,
      boolean insecureSkipVerify) {}

  /**
   * Per-tenant query limits ({@code tenancy.limits}); empty/0 means no limit.
   *
   * @param maxQueryRange longest {@code end - start} of a range query, and longest range a selector or
   *     subquery of any query reads ({@code x[30d]})
   * @param maxConcurrentQueries queries of one tenant in flight at once; more get 429 {@code too_many_requests}
   * @param maxSeriesPerQuery series one query may fetch from the backends (after merge and dedup)
   * @param maxSamplesPerQuery samples the engine may hold at once for one query (Prometheus'
   *     {@code --query.max-samples}); 0: the engine's default, 50M
   * @param queryTimeout how long a read call may take before it is answered 503 {@code timeout}
   * @param maxRequestBody largest POST body of a read call (form parameters); larger gets 413
   */
  public record QueryLimits(Optional<java.time.Duration> maxQueryRange, int maxConcurrentQueries,
      long maxSeriesPerQuery, long maxSamplesPerQuery, Optional<java.time.Duration> queryTimeout,
      long maxRequestBody, long maxPointsPerSeries) {
    /** Grafana's longest POSTed queries are a few KiB; 10 MiB leaves room for any real form. */
    public static final long DEFAULT_MAX_REQUEST_BODY = 10L << 20;
    public static final QueryLimits NONE = new QueryLimits(Optional.empty(), 0);

    public QueryLimits(Optional<java.time.Duration> maxQueryRange, int maxConcurrentQueries) {
      this(maxQueryRange, maxConcurrentQueries, 0, 0, Optional.empty(), DEFAULT_MAX_REQUEST_BODY, 0);
    }

    public QueryLimits(Optional<java.time.Duration> maxQueryRange, int maxConcurrentQueries, long maxSeriesPerQuery,
        long maxSamplesPerQuery, Optional<java.time.Duration> queryTimeout, long maxRequestBody) {
      this(maxQueryRange, maxConcurrentQueries, maxSeriesPerQuery, maxSamplesPerQuery, queryTimeout, maxRequestBody, 0);
    }
  }

  /** {@code tenancy.limits}: defaults, and per-tenant overrides (a key left out keeps the default). */
  public record Limits(QueryLimits defaults, java.util.Map<String, QueryLimits> tenants,
      IngestLimits ingestDefaults, java.util.Map<String, IngestLimits> ingestTenants) {
    public static final Limits NONE = new Limits(QueryLimits.NONE, java.util.Map.of());

    public Limits {
      tenants = java.util.Map.copyOf(tenants);
      ingestTenants = java.util.Map.copyOf(ingestTenants);
    }

    /** Query limits only; no ingest limits. */
    public Limits(QueryLimits defaults, java.util.Map<String, QueryLimits> tenants) {
      this(defaults, tenants, IngestLimits.NONE, java.util.Map.of());
    }

    public QueryLimits forTenant(String tenant) {
      return tenants.getOrDefault(tenant, defaults);
    }

    public IngestLimits ingestForTenant(String tenant) {
      return ingestTenants.getOrDefault(tenant, ingestDefaults);
    }

    /** The same query limits with {@code ingest} as the ingest defaults (tests, embedding). */
    public Limits withIngestDefaults(IngestLimits ingest) {
      return new Limits(defaults, tenants, ingest, ingestTenants);
    }
  }
}
