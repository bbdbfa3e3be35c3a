package io.promgate.gateway.http;


import io.promgate.gateway.GatewayPlugin;
import io.promgate.gateway.it.PromgateHarness;
import io.promgate.gateway.it.RealPrometheus;
import io.promgate.gateway.it.RemoteWrite;
import io.promgate.routing.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * {@link HttpParamsFuzzTest}'s requests against the embedded default instead of an upstream: every query
 * parameter is parsed by promgate itself and evaluated by the engine over the bundled store (plus the
 * results cache and explain), where the upstream-mode test mostly passes them through. Never a 5xx, never
 * a hang. Tries: jqwik.tries.default (150 in {@code mvn verify}, more with {@code -Pfuzz}).
 */
class EmbeddedHttpParamsFuzzTest {
  static Path dir;
  static PromgateHarness promgate;

  @BeforeContainer
  static void start() throws Exception {
    dir = Files.createTempDirectory("http-fuzz-embedded");
    promgate = PromgateHarness.start(ConfigLoader.parse("server: { http: 127.0.0.1:0 }\nstorage: { path: " + dir
        + " }\ncache: { max-bytes: 16MiB, max-freshness: 1m }\n"),
        ServiceLoader.load(GatewayPlugin.class).stream().map(ServiceLoader.Provider::get).toList());
    long end = System.currentTimeMillis() / 15_000 * 15_000;
    long[] ts = new long[240];
    double[] vs = new double[240];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = end - (ts.length - 1 - i) * 15_000L;
      vs[i] = i * 2;
    }
    for (String tenant : List.of("anonymous", "a", "b")) {
      RealPrometheus.remoteWrite(promgate.url() + "/tenant/" + tenant + "/api/v1/write", new RemoteWrite()
          .add(new RemoteWrite.TestSeries(Map.of("__name__", "up", "job", "j"), ts, vs))
          .add(new RemoteWrite.TestSeries(Map.of("__name__", "x", "a", "1", "b", "2"), ts, vs)));
    }
  }

  @AfterContainer
  static void stop() throws Exception {
    promgate.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Provide
  Arbitrary<HttpParamsFuzzTest.Req> requests() {
    return new HttpParamsFuzzTest().requests().map(r -> r.path().endsWith("/api/v1/nope") ? r
        : new HttpParamsFuzzTest.Req(r.post(), r.path().replace("/api/v1/rules", "/api/v1/explain"), r.params(),
            r.tenantHeader(), r.auth()));
  }

  @Property
  void neverA5xxNeverAHang(@ForAll("requests") HttpParamsFuzzTest.Req r) throws Exception {
    HttpParamsFuzzTest.assertNotA5xx(promgate.url(), r, false);
  }
}
