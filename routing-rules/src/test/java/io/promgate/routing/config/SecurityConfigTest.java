package io.promgate.routing.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecurityConfigTest {
  static final String BCRYPT = "$2y$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";
  static final String SHA = "sha256:" + "ab".repeat(32);

  @Test
  void credentialsAreReadWithTheirGrants() {
    PromgateConfig c = ConfigLoader.parse("""
        tenancy:
          require-auth: true
          credentials:
            - { user: grafana, password-hash: '%s', read: [team-a, team-b] }
            - { name: agent, bearer-token-hash: '%s', write: [team-a] }
            - { user: admin, password-hash: '%s', read: ['*'], write: ['*'] }
        """.formatted(BCRYPT, SHA, SHA));
    List<SecurityConfig.Credential> creds = c.tenancy().credentials();
    assertThat(c.tenancy().requireAuth()).isTrue();
    assertThat(creds).extracting(SecurityConfig.Credential::name).containsExactly("grafana", "agent", "admin");
    assertThat(creds.get(0).user()).contains("grafana");
    assertThat(creds.get(0).read()).containsExactly("team-a", "team-b");
    assertThat(creds.get(1).user()).isEmpty();
    assertThat(creds.get(1).write()).containsExactly("team-a");
    assertThat(creds.get(1).secretHash()).isEqualTo(SHA);
    assertThat(creds.get(2).toString()).doesNotContain(SHA);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      plain password       | { user: u, password: hunter2, read: [a] }                 | credentials[0].password: plain-text secrets are not accepted
      plain token          | { bearer-token: abc, read: [a] }                          | credentials[0].bearer-token: plain-text secrets are not accepted
      bad hash             | { user: u, password-hash: hunter2, read: [a] }            | credentials[0].password-hash: bad value (not shown
      bcrypt token         | { bearer-token-hash: 'BCRYPT', read: [a] }                | credentials[0].bearer-token-hash: bad value (not shown
      no secret            | { user: u, read: [a] }                                    | credentials[0].password-hash: missing
      nothing              | { read: [a] }                                             | credentials[0]: needs user + password-hash, or bearer-token-hash
      no grants            | { user: u, password-hash: 'SHA' }                         | credentials[0]: grants nothing
      bad tenant           | { user: u, password-hash: 'SHA', read: ['a/b'] }          | credentials[0].read: bad value "a/b"
      colon in user        | { user: 'a:b', password-hash: 'SHA', read: [a] }          | credentials[0].user: bad value "a:b"
      both kinds           | { user: u, password-hash: 'SHA', bearer-token-hash: 'SHA', read: [a] } | credentials[0].bearer-token-hash: a credential is either
      unknown key          | { user: u, password-hash: 'SHA', read: [a], tenants: [a] } | credentials[0].tenants: unknown key
      """)
  void mistakesNameTheKeyAndNeverEchoTheSecret(String name, String entry, String expected) {
    String yaml = "tenancy: { credentials: [ " + entry.replace("BCRYPT", BCRYPT).replace("SHA", SHA) + " ] }";
    assertThatThrownBy(() -> ConfigLoader.parse(yaml)).isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).anySatisfy(p ->
            assertThat(p).startsWith("tenancy.").contains(expected)))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
  }

  @Test
  void duplicateUsersAndRequireAuthWithoutCredentialsAreRefused() {
    assertThatThrownBy(() -> ConfigLoader.parse("tenancy: { require-auth: true }"))
        .hasMessageContaining("tenancy.require-auth: true needs tenancy.credentials");
    assertThatThrownBy(() -> ConfigLoader.parse("tenancy: { credentials: [ { user: u, password-hash: '" + SHA
        + "', read: [a] }, { user: u, password-hash: '" + SHA + "', read: [b] } ] }"))
        .hasMessageContaining("tenancy.credentials[1].user: duplicate user \"u\"");
  }

  @Test
  void tlsFilesMustBeReadable(@TempDir Path dir) throws Exception {
    Path cert = Files.writeString(dir.resolve("c.pem"), "x");
    Path key = Files.writeString(dir.resolve("k.pem"), "x");
    PromgateConfig c = ConfigLoader.parse("server: { tls: { cert-file: '" + cert + "', key-file: '" + key + "' },"
        + " grpc-tls: { cert-file: '" + cert + "', key-file: '" + key + "', client-ca-file: '" + cert + "' } }");
    assertThat(c.server().grpcTls()).hasValueSatisfying(t -> assertThat(t.clientCaFile()).contains(cert));
    assertThat(c.server().tls()).hasValueSatisfying(t -> {
      assertThat(t.certFile()).isEqualTo(cert);
      assertThat(t.clientCaFile()).isEmpty();
    });
    assertThat(new ConfigOverrides(java.util.Optional.of(":0"), java.util.Optional.empty(), java.util.Optional.empty(),
        java.util.Optional.empty()).apply(java.util.Optional.of(c)).server()).satisfies(s -> {
          assertThat(s.tls()).isEqualTo(c.server().tls());
          assertThat(s.grpcTls()).isEqualTo(c.server().grpcTls());
        });
    assertThatThrownBy(() -> ConfigLoader.parse("server: { tls: { cert-file: '" + cert + "', key-file: '"
        + dir.resolve("missing.pem") + "', client-ca-file: '" + key + "' } }"))
        .hasMessageContaining("server.tls.key-file: bad value \"" + dir.resolve("missing.pem") + "\": not a readable file");
    assertThatThrownBy(() -> ConfigLoader.parse("server: { tls: { key-file: '" + key + "' } }"))
        .hasMessageContaining("server.tls.cert-file: missing");
  }

  @Test
  void backendTlsIsReadAndChecked(@TempDir Path dir) throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
    PromgateConfig c = ConfigLoader.parse("backends: { p: { type: prometheus, url: 'https://p:9090',"
        + " tls: { ca-file: '" + ca + "', insecure-skip-verify: false } } }");
    BackendConfig.Prometheus p = (BackendConfig.Prometheus) c.backends().get("p");
    assertThat(p.tls()).hasValueSatisfying(t -> {
      assertThat(t.caFile()).contains(ca);
      assertThat(t.insecureSkipVerify()).isFalse();
    });
    assertThatThrownBy(() -> ConfigLoader.parse("backends: { p: { type: prometheus, url: 'https://p:9090',"
        + " tls: { cert-file: '" + ca + "', verify: no } } }"))
        .hasMessageContaining("backends.p.tls.key-file: missing")
        .hasMessageContaining("backends.p.tls.verify: unknown key");
  }

  @Test
  void seriesSamplesTimeoutAndBodyLimits() {
    PromgateConfig c = ConfigLoader.parse("tenancy: { limits: { max-series-per-query: 1000, max-samples-per-query: 5_000,"
        + " query-timeout: 30s, max-request-body: 1MiB, tenants: { t: { max-series-per-query: 0, query-timeout: 0s } } } }");
    SecurityConfig.QueryLimits d = c.tenancy().limits().forTenant("x");
    assertThat(d.maxSeriesPerQuery()).isEqualTo(1000);
    assertThat(d.maxSamplesPerQuery()).isEqualTo(5000);
    assertThat(d.queryTimeout()).contains(java.time.Duration.ofSeconds(30));
    assertThat(d.maxRequestBody()).isEqualTo(1L << 20);
    SecurityConfig.QueryLimits t = c.tenancy().limits().forTenant("t");
    assertThat(t.maxSeriesPerQuery()).isZero();
    assertThat(t.queryTimeout()).isEmpty();
    assertThat(t.maxSamplesPerQuery()).as("inherited").isEqualTo(5000);
    assertThat(ConfigLoader.parse("{}").tenancy().limits().forTenant("x").maxRequestBody())
        .isEqualTo(SecurityConfig.QueryLimits.DEFAULT_MAX_REQUEST_BODY);
    assertThatThrownBy(() -> ConfigLoader.parse("tenancy: { limits: { max-series-per-query: many, max-samples-per-query: -3,"
        + " query-timeout: soon, max-request-body: huge, tenants: { t: { max-points: 3 } } } }"))
        .hasMessageContaining("tenancy.limits.max-series-per-query: bad value \"many\"")
        .hasMessageContaining("tenancy.limits.max-samples-per-query: bad value \"-3\"")
        .hasMessageContaining("tenancy.limits.query-timeout: bad value \"soon\"")
        .hasMessageContaining("tenancy.limits.max-request-body: bad value \"huge\"")
        .hasMessageContaining("tenancy.limits.tenants.t.max-points: unknown key");
  }

  @Test
  void limitsHaveDefaultsAndPerTenantOverrides() {
    PromgateConfig c = ConfigLoader.parse("tenancy: { limits: { max-query-range: 7d, max-concurrent-queries: 10,"
        + " tenants: { big: { max-query-range: 90d }, off: { max-query-range: 0s, max-concurrent-queries: 0 } } } }");
    SecurityConfig.Limits l = c.tenancy().limits();
    assertThat(l.forTenant("x")).isEqualTo(new SecurityConfig.QueryLimits(java.util.Optional.of(java.time.Duration.ofDays(7)), 10));
    assertThat(l.forTenant("big")).isEqualTo(new SecurityConfig.QueryLimits(java.util.Optional.of(java.time.Duration.ofDays(90)), 10));
    assertThat(l.forTenant("off")).isEqualTo(SecurityConfig.QueryLimits.NONE);
    assertThat(ConfigLoader.parse("{}").tenancy().limits()).isEqualTo(SecurityConfig.Limits.NONE);
    assertThatThrownBy(() -> ConfigLoader.parse("tenancy: { limits: { max-concurrent-queries: -1, max-query-range: soon } }"))
        .hasMessageContaining("tenancy.limits.max-concurrent-queries: bad value \"-1\"")
        .hasMessageContaining("tenancy.limits.max-query-range: bad value \"soon\"");
  }

  @Test
  void ingestLimitsHaveDefaultsAndPerTenantOverrides() {
    PromgateConfig c = ConfigLoader.parse("tenancy: { limits: { ingestion-rate: 1000, ingestion-burst-size: 5000,"
        + " max-label-names-per-series: 30, tenants: { big: { ingestion-rate: 0.5 }, off: { ingestion-rate: 0,"
        + " max-label-names-per-series: 0, max-label-value-length: 64 } } } }");
    SecurityConfig.Limits l = c.tenancy().limits();
    assertThat(l.ingestForTenant("x")).isEqualTo(new IngestLimits(1000, 5000, 30, 0, 0));
    assertThat(l.ingestForTenant("big")).isEqualTo(new IngestLimits(0.5, 5000, 30, 0, 0));
    assertThat(l.ingestForTenant("off")).isEqualTo(new IngestLimits(0, 5000, 0, 0, 64));
    assertThat(l.forTenant("x")).isEqualTo(SecurityConfig.QueryLimits.NONE);
    assertThatThrownBy(() -> ConfigLoader.parse("tenancy: { limits: { ingestion-rate: fast, ingestion-burst-size: -1,"
        + " tenants: { t: { max-label-name-length: 1.5, max-samples: 3 } } } }"))
        .hasMessageContaining("tenancy.limits.ingestion-rate: bad value \"fast\"")
        .hasMessageContaining("tenancy.limits.ingestion-burst-size: bad value \"-1\"")
        .hasMessageContaining("tenancy.limits.tenants.t.max-label-name-length: bad value \"1.5\"")
        .hasMessageContaining("tenancy.limits.tenants.t.max-samples: unknown key");
  }
}
