package io.promgate.gateway.store;

import static io.promgate.gateway.it.ApiAnswers.assertSameQueryData;
import static io.promgate.gateway.it.ApiAnswers.assertSameSet;
import static io.promgate.gateway.it.ApiAnswers.enc;
import static io.promgate.gateway.it.ApiAnswers.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.gateway.federation.FederationPlugin;
import io.promgate.gateway.it.PromgateHarness;
import io.promgate.gateway.it.RealPrometheus;
import io.promgate.routing.config.ConfigLoader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6 end to end: a real Prometheus scrapes itself every second and remote-writes everything to
 * promgate's embedded store. Once promgate holds the data, the same PromQL (instant and range), series,
 * label and metadata calls at a time at least 30 s in the past give the same answers from both. The time
 * is placed half a scrape interval away from every sample, so a sample never sits exactly on a range
 * boundary (where Prometheus 2.42's closed windows and 3.x's left-open ones would differ).
 */
class PrometheusScrapeComparisonIT {
  static final List<String> INSTANT = List.of(
      "count_over_time(up[1m])",
      "up",
      "rate(prometheus_http_requests_total[20s])",
      "sum by (job) (rate(prometheus_http_requests_total[20s]))",
      "count({__name__=~\".+\"})",
      "count by (job) ({__name__=~\"prometheus_tsdb.*\"})",
      "histogram_quantile(0.9, sum by (le) (rate(prometheus_http_request_duration_seconds_bucket[20s])))",
      "topk(3, prometheus_tsdb_head_series)",
      "max_over_time(scrape_duration_seconds[15s])",
      "increase(prometheus_tsdb_head_samples_appended_total[20s])",
      "avg_over_time(go_goroutines[10s])",
      "deriv(process_resident_memory_bytes[15s])",
      "sum(go_memstats_alloc_bytes) / count(up)",
      "scrape_samples_scraped offset 5s",
      "label_replace(up, \"host\", \"$1\", \"instance\", \"(.*):.*\")",
      "changes(process_cpu_seconds_total[20s])",
      "irate(process_cpu_seconds_total[10s]) * 100",
      "sum without (instance) (go_gc_duration_seconds{quantile=\"0.5\"})",
      "prometheus_build_info",
      "up[20s]");
  static final List<String> RANGE = List.of(
      "rate(prometheus_http_requests_total[10s])",
      "sum(up)",
      "quantile_over_time(0.5, go_goroutines[10s])");

  @TempDir
  Path dir;

  @Test
  void promgateAnswersLikeThePrometheusThatWroteToIt() throws Exception {
    try (PromgateHarness gw = PromgateHarness.start(ConfigLoader.parse(
            "server: { http: 127.0.0.1:0, grpc: 127.0.0.1:0 }\nstorage: { path: " + dir + " }\n"),
        List.of(new StorePlugin(), new FederationPlugin()))) {
      String config = """
          global: { scrape_interval: 1s, evaluation_interval: 1s }
          scrape_configs:
            - job_name: prometheus
              static_configs: [ { targets: ["127.0.0.1:${port}"] } ]
          remote_write:
            - url: %s/api/v1/write
              queue_config: { batch_send_deadline: 500ms, min_backoff: 50ms, max_backoff: 500ms }
              metadata_config: { send_interval: 2s }
          """.formatted(gw.url());
      try (RealPrometheus prom = RealPrometheus.start(config, List.of())) {
        long started = System.currentTimeMillis();
        // ~35 s of history before the evaluation time, which itself is 30 s old when we query. No window
        // reaches back to the first scrape: where a series starts inside a window, Prometheus 2.42 and 3.x
        // (our reference semantics) extrapolate rate() differently, so that is not a fair comparison.
        Thread.sleep(Math.max(0, started + 65_000 - System.currentTimeMillis()));
        long t = evaluationTime(prom.url());
        awaitPromgateHolds(gw.url(), t + 20_000);
        String ts = Double.toString(t / 1000.0);
        for (String q : INSTANT) {
          String path = "/api/v1/query?query=" + enc(q) + "&time=" + ts;
          assertSameQueryData(q + " @ " + ts, get(prom.url(), path), get(gw.url(), path));
        }
        for (String q : RANGE) {
          String path = "/api/v1/query_range?query=" + enc(q) + "&start=" + (t - 10_000) / 1000.0 + "&end=" + ts
              + "&step=5";
          assertSameQueryData(q + " range to " + ts, get(prom.url(), path), get(gw.url(), path));
        }
        String window = "start=" + (t - 20_000) / 1000.0 + "&end=" + ts;
        for (String p : List.of("/api/v1/series?match[]=up",
            "/api/v1/series?match[]=" + enc("{__name__=~\"prometheus_tsdb_head.*\"}"),
            "/api/v1/labels?match[]=up",
            "/api/v1/label/job/values",
            "/api/v1/label/__name__/values?match[]=" + enc("{__name__=~\"go_.*\"}"))) {
          String path = p + (p.contains("?") ? "&" : "?") + window;
          JsonArray expected = get(prom.url(), path).getJsonArray("data");
          assertThat(expected).as(path).isNotEmpty();
          assertSameSet(path, expected, get(gw.url(), path).getJsonArray("data"));
        }
        // Metadata travels in WriteRequest.metadata and is served from the store.
        for (String metric : List.of("prometheus_http_requests_total", "go_goroutines")) {
          String path = "/api/v1/metadata?metric=" + metric;
          JsonObject expected = get(prom.url(), path).getJsonObject("data");
          assertThat(expected.getJsonArray(metric)).as(path).isNotEmpty();
          awaitMetadata(gw.url(), path, metric);
          assertThat(get(gw.url(), path).getJsonObject("data")).as(path).isEqualTo(expected);
        }
      }
    }
  }

  /**
   * 30 s ago, moved to half a scrape interval after a scrape: every series here is scraped in one go, so
   * all samples share the millisecond offset of {@code up}'s timestamps.
   */
  static long evaluationTime(String prom) throws Exception {
    long now = System.currentTimeMillis();
    JsonObject r = get(prom, "/api/v1/query?query=" + enc("timestamp(up)") + "&time=" + (now - 30_000) / 1000.0);
    double lastScrape = Double.parseDouble(r.getJsonObject("data").getJsonArray("result").getJsonObject(0)
        .getJsonArray("value").getString(1));
    return Math.round(lastScrape * 1000) + 500;
  }

  static void awaitPromgateHolds(String gw, long until) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      JsonArray res = get(gw, "/api/v1/query?query=" + enc("timestamp(up)")).getJsonObject("data")
          .getJsonArray("result");
      if (!res.isEmpty() && Double.parseDouble(res.getJsonObject(0).getJsonArray("value").getString(1)) * 1000 >= until) {
        Thread.sleep(1000); // remote-write shards are independent: let the slowest catch up too
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("promgate did not receive samples up to " + until + " within 30 s");
  }

  static void awaitMetadata(String gw, String path, String metric) throws Exception {
    long deadline = System.currentTimeMillis() + 15_000;
    while (System.currentTimeMillis() < deadline && !get(gw, path).getJsonObject("data").containsKey(metric)) {
      Thread.sleep(200);
    }
  }
}
