package io.promgate.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.gateway.it.PromgateHarness;
import io.promgate.gateway.it.RealPrometheus;
import io.promgate.gateway.it.RemoteWrite;
import io.promgate.routing.config.ConfigLoader;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The cache in front of a real Prometheus (pass-through): what promgate answers from stitched extents is
 * byte for byte what Prometheus itself answers for the same request, over queries, steps that do not
 * divide the extent, and windows sliding by 30 s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CacheIT {
  static final List<String> QUERIES = List.of(
      "demo_requests_total",
      "sum by (code) (rate(demo_requests_total[2m]))",
      "demo_temperature_celsius",
      "max_over_time(demo_temperature_celsius[5m])",
      "avg_over_time(sum(rate(demo_requests_total[1m]))[5m:30s])",
      "time() - timestamp(demo_temperature_celsius)",
      "topk(1, demo_temperature_celsius)");

  RealPrometheus prometheus;
  PromgateHarness promgate;
  long endMs;
  long startMs;

  @BeforeAll
  void start() throws Exception {
    prometheus = RealPrometheus.start();
    endMs = System.currentTimeMillis() / 15_000 * 15_000;
    startMs = endMs - 50 * 60_000;
    int n = (int) ((endMs - startMs) / 15_000) + 1;
    RemoteWrite rw = new RemoteWrite();
    for (String[] r : new String[][] {{"a", "200", "1.5"}, {"a", "500", "0.1"}, {"b", "200", "2.25"}}) {
      long[] ts = new long[n];
      double[] vs = new double[n];
      for (int i = 0; i < n; i++) {
        ts[i] = startMs + i * 15_000L;
        vs[i] = i * Double.parseDouble(r[2]) * 15 + (i % 4);
      }
      rw.add(new RemoteWrite.TestSeries(Map.of("__name__", "demo_requests_total", "instance", r[0], "code", r[1]),
          ts, vs));
    }
    for (String room : new String[] {"kitchen", "hall", "attic"}) {
      long[] ts = new long[n];
      double[] vs = new double[n];
      int k = 0;
      for (int i = 0; i < n; i++) {
        if (room.equals("attic") && i > n / 3 && i < n / 2) {
          continue; // a gap longer than the lookback: the series leaves and comes back
        }
        ts[k] = startMs + i * 15_000L;
        vs[k++] = 20 + Math.sin(i / 10.0) * room.length();
      }
      rw.add(new RemoteWrite.TestSeries(Map.of("__name__", "demo_temperature_celsius", "room", room),
          java.util.Arrays.copyOf(ts, k), java.util.Arrays.copyOf(vs, k)));
    }
    prometheus.remoteWrite(rw);
    promgate = PromgateHarness.start(ConfigLoader.parse("server: { http: 127.0.0.1:0 }\nbackends: { p: { type: "
        + "prometheus, url: '" + prometheus.url() + "' } }\ncache: { extent: 10m, max-freshness: 1m }\n"),
        List.of(new CachePlugin()));
  }

  @AfterAll
  void stop() throws Exception {
    if (promgate != null) {
      promgate.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
  }

  static String path(String q, long start, long end, String step) {
    return "/api/v1/query_range?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&start="
        + RangeRequest.seconds(start) + "&end=" + RangeRequest.seconds(end) + "&step=" + step;
  }

  @Test
  void stitchedAnswersAreWhatPrometheusAnswers() throws Exception {
    int served = 0;
    for (String q : QUERIES) {
      for (String step : List.of("15", "45", "7m")) {
        long s = Long.parseLong(step.replace("7m", "420")) * 1000;
        for (int slide = 0; slide < 4; slide++) {
          // Grafana-style: aligned to the step, sliding by 30 s.
          long end = (endMs - 3 * 60_000 + slide * 30_000L) / s * s;
          long start = (startMs + 5 * 60_000 + slide * 30_000L) / s * s;
          String p = path(q, start, end, step);
          String direct = body(PromgateHarness.get(prometheus.url() + p));
          for (int i = 0; i < 2; i++) {
            HttpResponse<byte[]> r = PromgateHarness.get(promgate.url() + p);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(body(r)).as(q + " step " + step + " slide " + slide + " try " + i).isEqualTo(direct);
            if (!r.headers().firstValue(CachingQueryBackend.HEADER).orElseThrow().equals("miss")) {
              served++;
            }
          }
        }
      }
    }
    assertThat(served).isGreaterThan(QUERIES.size() * 3 * 4);
  }

  static String body(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }
}
