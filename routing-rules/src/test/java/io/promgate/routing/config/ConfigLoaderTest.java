package io.promgate.routing.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promgate.routing.TimeRange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-10T00:00:00Z"), ZoneOffset.UTC);

  private static PromgateConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, CLOCK);
  }

  private static String problemsOf(String yaml) {
    try {
      parse(yaml);
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("config was accepted:\n" + yaml);
  }

  @Test
  void designExampleIsReadCompletely() {
    PromgateConfig c = parse("""
        server: { http: 0.0.0.0:9095, grpc: 0.0.0.0:10901 }
        storage: { path: data, retention: 30d }
        tenancy: { default: anonymous, require-auth: false, upstream-header: X-Scope-OrgID }
        backends:
          prometheus: { type: prometheus, url: http://prometheus:9090, timeout: 30s }
          longterm:   { type: storeapi, address: thanos-store:10901 }
          local:      { type: local }
        routes:
          - tenants: ["*"]
            windows:
              - { newer-than: 15d, backends: [prometheus] }
              - { older-than: 15d, backends: [longterm, local] }
        dedup: { replica-labels: [replica, prometheus_replica] }
        partial-response: true
        cache: { max-bytes: 512MiB, max-freshness: 1m }
        """);
    assertThat(c.server().http()).isEqualTo(new HostPort("0.0.0.0", 9095));
    assertThat(c.storage().orElseThrow().retention()).isEqualTo(Duration.ofDays(30));
    assertThat(c.backends().keySet()).containsExactly("prometheus", "longterm", "local");
    assertThat(c.backends().get("longterm")).isEqualTo(
        new BackendConfig.StoreApi("longterm", new HostPort("thanos-store", 10901), Duration.ofMinutes(2),
            java.util.Map.of()));
    assertThat(c.cache().maxBytes()).isEqualTo(512L << 20);
    assertThat(c.cache().extent()).isEqualTo(Duration.ofHours(24));
    assertThat(parse("cache: { extent: 6h }").cache().extent()).isEqualTo(Duration.ofHours(6));
    assertThat(c.soleUpstream()).isEmpty();
    var windows = c.routes().get(0).windowsAt(CLOCK.millis());
    long boundary = CLOCK.millis() - Duration.ofDays(15).toMillis();
    assertThat(windows.get(0).range()).isEqualTo(new TimeRange(Long.MIN_VALUE, boundary));
    assertThat(windows.get(0).window().backends()).containsExactly("longterm", "local");
    assertThat(windows.get(1).range()).isEqualTo(new TimeRange(boundary, Long.MAX_VALUE));
  }

  @Test
  void defaultsFillAnEmptyConfig() {
    PromgateConfig c = parse("{}");
    assertThat(c.server().http()).isEqualTo(PromgateConfig.DEFAULT_HTTP);
    assertThat(c.storage()).isEmpty();
    assertThat(c.backends()).isEmpty();
    assertThat(c.tenancy().defaultTenant()).contains("anonymous");
    assertThat(c.tenancy().upstreamHeader()).isEqualTo("X-Scope-OrgID");
    assertThat(c.dedup().replicaLabels()).containsExactly("replica", "prometheus_replica");
  }

  @Test
  void storageAloneMeansOneLocalBackendForEverything() {
    PromgateConfig c = ConfigLoader.embeddedDefault();
    assertThat(c.backends().keySet()).containsExactly("local");
    assertThat(c.routes()).hasSize(1);
    assertThat(c.routes().get(0).matchesTenant("anyone")).isTrue();
  }

  @Test
  void soleUpstreamIsTheOnlyPrometheusBackend() {
    PromgateConfig c = parse("backends: { p: { type: prometheus, url: 'http://h:9090/prefix', forward-headers: [Authorization] } }");
    assertThat(c.soleUpstream()).hasValueSatisfying(p -> {
      assertThat(p.url().toString()).isEqualTo("http://h:9090/prefix");
      assertThat(p.forwardHeaders()).containsExactly("Authorization");
    });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unknown top key        | servers: {}                                                       | servers: unknown key
      unknown nested key     | server: { htp: ':1' }                                             | server.htp: unknown key
      bad listen address     | server: { http: 'localhost' }                                     | server.http: bad value "localhost"
      bad port               | server: { http: 'localhost:99999' }                               | server.http: bad value "localhost:99999"
      bad duration           | storage: { retention: 15days }                                    | storage.retention: bad value "15days"
      bad size               | cache: { max-bytes: lots }                                        | cache.max-bytes: bad value "lots"
      bad cache extent       | cache: { extent: 10s }                                            | cache.extent: bad value "10s": must be at least 1m
      bad boolean            | partial-response: maybe                                           | partial-response: bad value "maybe"
      unknown backend type   | backends: { x: { type: influx } }                                 | backends.x.type: unknown backend type "influx"
      missing backend type   | backends: { x: { url: 'http://a' } }                              | backends.x.type: missing
      bad url scheme         | backends: { x: { type: prometheus, url: 'ftp://a' } }             | backends.x.url: bad value "ftp://a"
      url without host       | backends: { x: { type: prometheus, url: 'http://' } }             | backends.x.url: bad value "http://"
      missing url            | backends: { x: { type: prometheus } }                             | backends.x.url: missing
      bad store address      | backends: { x: { type: storeapi, address: 'store' } }             | backends.x.address: bad value "store"
      bad backend timeout    | backends: { x: { type: prometheus, url: 'http://a', timeout: 3 } }| backends.x.timeout: bad value "3"
      unknown backend key    | backends: { x: { type: local, url: 'http://a' } }                 | backends.x.url: unknown key
      local without storage  | backends: { x: { type: local } }                                  | backends.x.type: type "local" needs a storage: section
      bad tenant default     | tenancy: { default: 'a/b' }                                       | tenancy.default: bad value "a/b"
      duplicate key          | server: {}\\nserver: {}                                           | not valid YAML: Duplicate field 'server'
      not yaml               | 'server: [ '                                                      | not valid YAML
      """)
  void eachKindOfMistakeNamesKeyAndValue(String name, String yaml, String expected) {
    assertThat(problemsOf(yaml.replace("\\n", "\n"))).contains(expected);
  }

  private static final String BACKENDS = """
      storage: {}
      backends: { p: { type: prometheus, url: 'http://p:9090' }, l: { type: local } }
      """;

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unknown backend   | [{ windows: [{ backends: [p, nope] }] }]                                                  | routes[0].windows[0].backends[1]: unknown backend "nope"
      no backends       | [{ windows: [{ newer-than: 1d }] }]                                                       | routes[0].windows[0].backends: missing or empty
      no windows        | [{ tenants: ['*'] }]                                                                      | routes[0].windows: missing or empty
      gap               | [{ windows: [{ newer-than: 1d, backends: [p] }, { older-than: 2d, backends: [l] }] }]     | routes[0].windows: gap between routes[0].windows[1] (ends now-2d) and routes[0].windows[0] (starts now-1d)
      empty relative    | [{ windows: [{ newer-than: 1d, older-than: 2d, backends: [p] }] }]                        | routes[0].windows[0]: empty window: newer-than 1d must be longer than older-than 2d
      empty absolute    | [{ windows: [{ from: '2025-01-02T00:00:00Z', to: '2025-01-01T00:00:00Z', backends: [p] }] }] | routes[0].windows[0]: empty window: from
      two starts        | [{ windows: [{ newer-than: 1d, from: '2025-01-01T00:00:00Z', backends: [p] }] }]          | routes[0].windows[0]: both newer-than and from set
      bad window key    | [{ windows: [{ newer: 1d, backends: [p] }] }]                                             | routes[0].windows[0].newer: unknown key
      bad window time   | [{ windows: [{ from: yesterday, backends: [p] }] }]                                       | routes[0].windows[0].from: bad value "yesterday"
      backends not list | [{ windows: [{ backends: p }] }]                                                          | routes[0].windows[0].backends: bad value "p": expected a list
      empty tenants     | [{ tenants: [], windows: [{ backends: [p] }] }]                                           | routes[0].tenants: empty list
      """)
  void routeMistakes(String name, String routes, String expected) {
    assertThat(problemsOf(BACKENDS + "routes: " + routes)).contains(expected);
  }

  @Test
  void touchingAndOverlappingWindowsAreFine() {
    PromgateConfig c = parse(BACKENDS + """
        routes:
          - tenants: [team-*, ops]
            windows:
              - { newer-than: 2d, backends: [p] }
              - { newer-than: 30d, older-than: 1d, backends: [l] }
              - { older-than: 30d, backends: [l] }
        """);
    var route = c.routes().get(0);
    assertThat(route.matchesTenant("team-a")).isTrue();
    assertThat(route.matchesTenant("ops")).isTrue();
    assertThat(route.matchesTenant("dev")).isFalse();
  }

  @Test
  void allProblemsAreReportedAtOnce() {
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> parse("server: { http: nope }\nstorage: { retention: x }\nbogus: 1\n"));
    assertThat(e.problems()).hasSize(3);
  }

  @Test
  void durationsFollowPrometheusSyntax() {
    assertThat(PromDurations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(PromDurations.parse("1y")).isEqualTo(Duration.ofDays(365));
    assertThat(PromDurations.parse("2w3d")).isEqualTo(Duration.ofDays(17));
    assertThat(PromDurations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(PromDurations.parse("0")).isEqualTo(Duration.ZERO);
    assertThat(PromDurations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    for (String bad : new String[] {"", "1", "30m1h", "1.5h", "h", "1d 2h", "-1h"}) {
      assertThatThrownBy(() -> PromDurations.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void overridesReplaceBackendsWithTheUpstream() {
    var o = new ConfigOverrides(java.util.Optional.of("127.0.0.1:0"), java.util.Optional.empty(),
        java.util.Optional.of("http://localhost:9090"), java.util.Optional.empty());
    PromgateConfig c = o.apply(java.util.Optional.empty());
    assertThat(c.storage()).as("--upstream alone is stateless").isEmpty();
    assertThat(c.server().http()).isEqualTo(new HostPort("127.0.0.1", 0));
    assertThat(c.soleUpstream()).isPresent();
    PromgateConfig embedded = ConfigOverrides.none().apply(java.util.Optional.empty());
    assertThat(embedded.storage()).isPresent();
    assertThatThrownBy(() -> new ConfigOverrides(java.util.Optional.of("x"), java.util.Optional.empty(),
        java.util.Optional.empty(), java.util.Optional.empty()).apply(java.util.Optional.empty()))
        .hasMessageContaining("--listen: bad value \"x\"");
  }

  @Test
  void flagsOverrideTheFile() {
    PromgateConfig file = parse("""
        server: { http: '0.0.0.0:1', grpc: '0.0.0.0:2' }
        storage: { path: /var/lib/promgate, retention: 30d }
        backends: { upstream: { type: prometheus, url: 'http://old:9090', forward-headers: [Authorization] },
                    l: { type: local } }
        """);
    var o = new ConfigOverrides(java.util.Optional.of(":9095"), java.util.Optional.of("127.0.0.1:10902"),
        java.util.Optional.of("https://new:9443/prom"), java.util.Optional.of("/tmp/store"));
    PromgateConfig c = o.apply(java.util.Optional.of(file));
    assertThat(c.server().http()).isEqualTo(new HostPort("0.0.0.0", 9095));
    assertThat(c.server().grpc()).isEqualTo(new HostPort("127.0.0.1", 10902));
    assertThat(c.storage().orElseThrow().path()).isEqualTo(java.nio.file.Path.of("/tmp/store"));
    assertThat(c.storage().orElseThrow().retention()).as("other storage keys kept").isEqualTo(Duration.ofDays(30));
    assertThat(c.backends().keySet()).containsExactly("upstream");
    var up = c.soleUpstream().orElseThrow();
    assertThat(up.url().toString()).isEqualTo("https://new:9443/prom");
    assertThat(up.forwardHeaders()).as("a same-named backend in the file tunes --upstream").containsExactly("Authorization");
    assertThat(c.routes().get(0).windowsAt(0).get(0).range()).isEqualTo(TimeRange.ALL);
  }

  @Test
  void exampleConfigsInConfAreValid() throws Exception {
    java.nio.file.Path conf = java.nio.file.Path.of(System.getProperty("promgate.root", "..")).resolve("conf");
    try (var files = java.nio.file.Files.list(conf)) {
      var yamls = files.filter(p -> p.toString().endsWith(".yaml")).toList();
      assertThat(yamls).hasSizeGreaterThanOrEqualTo(4);
      for (var p : yamls) {
        ConfigLoader.load(p, CLOCK);
      }
    }
  }
}
