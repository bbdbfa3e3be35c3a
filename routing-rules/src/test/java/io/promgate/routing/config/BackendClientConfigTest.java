package io.promgate.routing.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The per-backend client keys of issue 8: read, breaker, bulkhead, credentials, storeapi TLS. */
class BackendClientConfigTest {
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

  private static BackendConfig.Prometheus prom(PromgateConfig c, String name) {
    return (BackendConfig.Prometheus) c.backends().get(name);
  }

  @Test
  void defaultsWhenNothingIsSaid() {
    var p = prom(parse("backends: { p: { type: prometheus, url: 'http://p:9090' } }"), "p");
    assertThat(p.read()).isEqualTo(BackendClient.ReadMethod.AUTO);
    assertThat(p.auth()).isEmpty();
    assertThat(p.guard()).isEqualTo(BackendClient.Guard.DEFAULT);
    var s = (BackendConfig.StoreApi) parse("backends: { s: { type: storeapi, address: 's:10901' } }").backends().get("s");
    assertThat(s.tls()).isEmpty();
    assertThat(s.guard()).isEqualTo(BackendClient.Guard.DEFAULT);
  }

  @Test
  void everyKeyIsRead(@TempDir Path dir) throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "s3cret\n");
    Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
    PromgateConfig c = parse("""
        backends:
          a: { type: prometheus, url: 'http://a:9090', read: query, bulkhead: 8,
               breaker: { failure-rate: 25, minimum-calls: 3, window: 10, open-wait: 5s },
               basic-auth: { username: promgate, password: pw } }
          b: { type: prometheus, url: 'http://b:9090', read: remote-read, bearer-token-file: '%s' }
          c: { type: prometheus, url: 'http://c:9090', bearer-token: abc }
          d: { type: prometheus, url: 'http://d:9090', basic-auth: { username: u, password-file: '%s' } }
          s: { type: storeapi, address: 's:10901', bulkhead: 2, breaker: { open-wait: 1m },
               tls: { ca-file: '%s', insecure-skip-verify: true } }
        """.formatted(token, token, ca));
    var a = prom(c, "a");
    assertThat(a.read()).isEqualTo(BackendClient.ReadMethod.QUERY);
    assertThat(a.guard()).isEqualTo(new BackendClient.Guard(new BackendClient.Breaker(25, 3, 10, Duration.ofSeconds(5)), 8));
    assertThat(a.auth()).contains(new BackendClient.Auth.Basic("promgate", Optional.of("pw"), Optional.empty()));
    assertThat(a.auth().get().toString()).as("no secret in logs").doesNotContain("pw");
    assertThat(prom(c, "b").read()).isEqualTo(BackendClient.ReadMethod.REMOTE_READ);
    assertThat(prom(c, "b").auth()).contains(new BackendClient.Auth.Bearer(Optional.empty(), Optional.of(token)));
    assertThat(prom(c, "c").auth()).contains(new BackendClient.Auth.Bearer(Optional.of("abc"), Optional.empty()));
    assertThat(prom(c, "c").auth().get().toString()).doesNotContain("abc");
    assertThat(prom(c, "d").auth()).contains(new BackendClient.Auth.Basic("u", Optional.empty(), Optional.of(token)));
    var s = (BackendConfig.StoreApi) c.backends().get("s");
    assertThat(s.guard()).isEqualTo(new BackendClient.Guard(
        new BackendClient.Breaker(50, 5, 20, Duration.ofMinutes(1)), 2));
    assertThat(s.tls()).contains(new SecurityConfig.BackendTls(Optional.of(ca), Optional.empty(), Optional.empty(), true));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      read: fast                                          | backends.p.read: bad value "fast": one of auto, remote-read, query
      bulkhead: -1                                        | backends.p.bulkhead: bad value "-1": must be between 0 and 100000
      bulkhead: many                                      | backends.p.bulkhead: bad value "many": not a whole number
      breaker: { failure-rate: 0 }                        | backends.p.breaker.failure-rate: bad value "0": must be between 1 and 100
      breaker: { failure-rate: 101 }                      | backends.p.breaker.failure-rate: bad value "101"
      breaker: { window: 0 }                              | backends.p.breaker.window: bad value "0"
      breaker: { minimum-calls: x }                       | backends.p.breaker.minimum-calls: bad value "x"
      breaker: { open-wait: soon }                        | backends.p.breaker.open-wait: bad value "soon"
      breaker: { open-wait: 0s }                          | backends.p.breaker.open-wait: bad value "0s": must be more than 0
      breaker: { half-open: 1 }                           | backends.p.breaker.half-open: unknown key
      breaker: 5                                          | backends.p.breaker: expected a mapping
      basic-auth: { password: pw }                        | backends.p.basic-auth.username: missing
      basic-auth: { username: u }                         | backends.p.basic-auth.password: missing (password or password-file)
      basic-auth: { username: 'a:b', password: pw }       | backends.p.basic-auth.username: bad value "a:b": must not contain ':'
      basic-auth: { username: u, password: p, password-file: /etc/hostname } | backends.p.basic-auth: password and password-file exclude each other
      basic-auth: { username: u, password-file: /nonexistent/pw }            | backends.p.basic-auth.password-file: bad value "/nonexistent/pw": not a readable file
      basic-auth: { username: u, pasword: p }             | backends.p.basic-auth.pasword: unknown key
      bearer-token: ''                                    | backends.p.bearer-token: empty
      bearer-token-file: /nonexistent/token               | backends.p.bearer-token-file: bad value "/nonexistent/token": not a readable file
      bearer-token: t, basic-auth: { username: u, password: p } | backends.p: basic-auth, bearer-token and bearer-token-file exclude each other
      bearer-token: t, headers: { authorization: x }      | backends.p.headers.Authorization: set together with bearer-token
      """)
  void badPrometheusValuesNameTheirKey(String keys, String expected) {
    assertThat(problemsOf("backends: { p: { type: prometheus, url: 'http://p:9090', " + keys + " } }"))
        .contains(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      read: query                                         | backends.s.read: unknown key
      bearer-token: t                                     | backends.s.bearer-token: unknown key
      tls: { ca-file: /nonexistent/ca.pem }               | backends.s.tls.ca-file: bad value "/nonexistent/ca.pem": not a readable file
      tls: { cert-file: /etc/hostname }                   | backends.s.tls.key-file: missing
      tls: { verify: false }                              | backends.s.tls.verify: unknown key
      bulkhead: 1.5                                       | backends.s.bulkhead: bad value "1.5": not a whole number
      """)
  void badStoreApiValuesNameTheirKey(String keys, String expected) {
    assertThat(problemsOf("backends: { s: { type: storeapi, address: 's:10901', " + keys + " } }"))
        .contains(expected);
  }

  @Test
  void localBackendsTakeNoClientKeys() {
    assertThat(problemsOf("storage: { path: d }\nbackends: { l: { type: local, bulkhead: 2 } }"))
        .contains("backends.l.bulkhead: unknown key");
  }
}
