package io.promgate.gateway.cache;

import io.promgate.gateway.backend.prometheus.ReadMode;
import io.promgate.gateway.federation.FederationPlugin;
import io.promgate.gateway.federation.GuardOptions;
import io.promgate.gateway.it.PromgateHarness;
import io.promgate.model.Labels;
import io.promgate.promql.engine.storage.MemoryStorage;
import io.promgate.routing.config.ConfigLoader;
import io.promgate.routing.config.PromgateConfig;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A promgate in-process with the real read path of the embedded mode (federation over a local store, the
 * engine) over in-memory data per tenant, the results cache in front, and a clock the test moves.
 */
final class CacheBed implements AutoCloseable {
  /** A clock the test sets. */
  static final class TestClock extends Clock {
    final AtomicLong now;

    TestClock(long millis) {
      now = new AtomicLong(millis);
    }

    @Override public ZoneId getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(ZoneId zone) { return this; }
    @Override public Instant instant() { return Instant.ofEpochMilli(now.get()); }
    @Override public long millis() { return now.get(); }

    void advance(long ms) {
      now.addAndGet(ms);
    }
  }

  final TestClock clock;
  final Map<String, MemoryStorage> stores = new ConcurrentHashMap<>();
  /** {@code [mint, maxt]} of every querier the read path opened on a store. */
  final List<long[]> reads = new CopyOnWriteArrayList<>();
  final CachePlugin cachePlugin;
  final PromgateHarness gw;

  CacheBed(long now, Path dir, String cacheYaml) throws Exception {
    clock = new TestClock(now);
    PromgateConfig c = ConfigLoader.parse("server: { http: 127.0.0.1:0, grpc: 127.0.0.1:0 }\nstorage: { path: "
        + dir.resolve("unused") + " }\ncache: " + cacheYaml + "\n");
    cachePlugin = new CachePlugin(clock);
    gw = PromgateHarness.start(c, List.of(
        new FederationPlugin(GuardOptions.defaults(), ReadMode.AUTO, t -> (mint, maxt) -> {
          reads.add(new long[] {mint, maxt});
          return store(t).querier(mint, maxt);
        }, clock), cachePlugin));
  }

  MemoryStorage store(String tenant) {
    return stores.computeIfAbsent(tenant, t -> new MemoryStorage());
  }

  @Override
  public void close() throws Exception {
    gw.close();
  }

  ResultsCache cache() {
    return cachePlugin.cache();
  }

  /** One answer: status, body, X-Promgate-Cache. */
  record Answer(int status, String body, String cache) {}

  Answer range(String tenant, String query, long startMs, long endMs, String step, String... headers)
      throws Exception {
    String url = gw.url() + "/tenant/" + tenant.replace("|", "%7C") + "/api/v1/query_range?query=" + enc(query) + "&start="
        + RangeRequest.seconds(startMs) + "&end=" + RangeRequest.seconds(endMs) + "&step=" + step;
    HttpResponse<byte[]> r = PromgateHarness.get(url, headers);
    return new Answer(r.statusCode(), new String(r.body(), StandardCharsets.UTF_8),
        r.headers().firstValue(CachingQueryBackend.HEADER).orElse(null));
  }

  Answer uncached(String tenant, String query, long startMs, long endMs, String step) throws Exception {
    return range(tenant, query, startMs, endMs, step, "Cache-Control", "no-cache");
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /**
   * Data of a few kinds: counters with one series that stops and one that starts mid-way (series present
   * in some extents only), a gauge with a gap longer than the lookback, every {@code scrape} ms over
   * {@code [from, to]}.
   */
  static void seed(MemoryStorage s, long from, long to, long scrape, String tenantMark) {
    for (long t = from; t <= to; t += scrape) {
      long i = (t - from) / scrape;
      for (int inst = 0; inst < 3; inst++) {
        for (String code : new String[] {"200", "500"}) {
          s.append(Labels.of("__name__", "req_total", "job", inst < 2 ? "api" : "web", "instance", "i" + inst,
              "code", code, "tenant_mark", tenantMark), t, i * (inst + 1) * (code.equals("200") ? 5 : 1) + (i % 7));
        }
      }
      if (t < from + (to - from) / 3) {
        s.append(Labels.of("__name__", "req_total", "job", "old", "instance", "gone", "code", "200"), t, i * 2.0);
      }
      if (t > from + (to - from) / 2) {
        s.append(Labels.of("__name__", "req_total", "job", "new", "instance", "late", "code", "200"), t, i * 3.0);
      }
      for (int room = 0; room < 3; room++) {
        long gapFrom = from + (to - from) * (room + 1) / 5;
        if (room == 1 && t > gapFrom && t < gapFrom + 3_600_000) {
          continue;
        }
        s.append(Labels.of("__name__", "temp", "room", "r" + room), t, 20 + 5 * Math.sin(i / 40.0 + room)
            + (i % 11) / 7.0);
      }
    }
  }
}
