package io.promgate.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.gateway.it.PromgateHarness;
import io.promgate.model.Labels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cached answers against uncached ones ({@code Cache-Control: no-cache}) from the same promgate, through
 * the real embedded read path (federation, engine) over in-memory data, with a clock the test moves.
 */
class CachedAnswersTest {
  static final long NOW = Instant.parse("2026-01-10T12:00:07Z").toEpochMilli();
  static final long H = 3_600_000;
  static final List<String> QUERIES = List.of(
      "req_total",
      "rate(req_total[5m])",
      "sum by (job) (rate(req_total[5m]))",
      "temp",
      "avg_over_time(temp[10m])",
      "max_over_time(rate(req_total[2m])[30m:1m])",
      "time() - timestamp(temp)",
      "req_total offset 10m",
      "topk(1, temp)",
      "absent(nope) or vector(1)",
      "count(temp > 21)",
      "sum(req_total) by (code) / ignoring(code) group_left sum(req_total)");

  @TempDir
  Path dir;
  CacheBed bed;

  CacheBed bed(String cacheYaml) throws Exception {
    bed = new CacheBed(NOW, dir, cacheYaml);
    for (String tenant : List.of("a", "b")) {
      CacheBed.seed(bed.store(tenant), NOW - 30 * H, NOW + H, 60_000, tenant);
    }
    return bed;
  }

  @AfterEach
  void close() throws Exception {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void cachedAnswersEqualUncachedOverQueriesStepsAndWindows() throws Exception {
    bed("{ extent: 1h, max-freshness: 1m }");
    long[][] windows = {{NOW - 6 * H, NOW}, {NOW - 3 * H - 1_033_000, NOW - 47 * 60_000}, {NOW - 25 * H, NOW - 23 * H}};
    int hits = 0;
    for (String q : QUERIES) {
      for (String step : List.of("60", "70", "7m", "45s")) {
        for (long[] w : windows) {
          CacheBed.Answer u = bed.uncached("a", q, w[0], w[1], step);
          assertThat(u.status()).as(q + " " + u.body()).isEqualTo(200);
          CacheBed.Answer first = bed.range("a", q, w[0], w[1], step);
          CacheBed.Answer second = bed.range("a", q, w[0], w[1], step);
          String what = q + " step " + step + " window " + w[0] + ".." + w[1];
          assertThat(first.body()).as(what + " (first)").isEqualTo(u.body());
          assertThat(second.body()).as(what + " (second)").isEqualTo(u.body());
          assertThat(u.cache()).isEqualTo("miss");
          assertThat(second.cache()).as(what).isIn("hit", "partial");
          if (second.cache().equals("hit")) {
            hits++;
          }
        }
      }
    }
    // Windows ending before now - max-freshness are served wholly from memory the second time.
    assertThat(hits).isGreaterThanOrEqualTo(QUERIES.size() * 4 * 2);
  }

  @Test
  void dashboardSlidingBy30sMatchesUncachedAndFetchesOnlyTheTail() throws Exception {
    bed("{ max-freshness: 1m }"); // default 24h extents
    int served = 0;
    for (String step : List.of("60", "420", "45")) {
      long s = Long.parseLong(step) * 1000;
      List<String> queries = step.equals("60") ? QUERIES.subList(0, 6) : QUERIES.subList(1, 3);
      for (int refresh = 0; refresh < 10; refresh++) {
        long now = bed.clock.millis();
        // Grafana aligns start and end down to a multiple of the step.
        long end = now / s * s;
        long start = (now - 24 * H) / s * s;
        for (String q : queries) {
          CacheBed.Answer c = bed.range("a", q, start, end, step);
          CacheBed.Answer u = bed.uncached("a", q, start, end, step);
          assertThat(c.body()).as(q + " step " + step + " refresh " + refresh).isEqualTo(u.body());
          // A 7 min step's last point stays older than now - 1m for some refreshes: then all is a hit.
          if (refresh == 0) {
            assertThat(c.cache()).isEqualTo("miss");
          } else {
            assertThat(c.cache()).isIn("hit", "partial");
            served++;
          }
        }
        bed.clock.advance(30_000);
      }
    }
    assertThat(bed.cache().hits.sum() + bed.cache().partials.sum()).isEqualTo(served).isEqualTo(9 * (6 + 2 + 2));
    assertThat(metrics()).contains("promgate_cache_requests_total{result=\"partial\"} " + bed.cache().partials.sum());
  }

  @Test
  void aRefreshReadsOnlyWhatItsFreshTailNeeds() throws Exception {
    bed("{ max-freshness: 1m }");
    String q = "sum by (job) (rate(req_total[5m]))";
    long s = 60_000;
    for (int refresh = 0; refresh < 6; refresh++) {
      long now = bed.clock.millis();
      long end = now / s * s;
      long start = (now - 24 * H) / s * s;
      bed.reads.clear();
      CacheBed.Answer c = bed.range("a", q, start, end, "60");
      if (refresh > 0) {
        assertThat(c.cache()).isEqualTo("partial");
        // The tail is the steps after the last cached one (at most now - 1m when the previous refresh, 30 s
        // ago, stored it): its 5m ranges, not the day.
        assertThat(bed.reads).isNotEmpty().allSatisfy(r -> {
          assertThat(r[0]).isGreaterThanOrEqualTo(now - 30_000 - 60_000 - s - 5 * 60_000 - 1);
          assertThat(r[1]).isLessThanOrEqualTo(end);
        });
      }
      assertThat(c.body()).isEqualTo(bed.uncached("a", q, start, end, "60").body());
      bed.clock.advance(30_000);
    }
  }

  @Test
  void aWideGapIsAssembledOnAWorkerAndAnsweredTheSame() throws Exception {
    bed("{ max-freshness: 1m }");
    bed.range("a", "req_total", NOW - 2 * H, NOW - H, "60");
    // A day of 8 series around a cached hour: hundreds of KiB to parse, too much for the event loop.
    CacheBed.Answer c = bed.range("a", "req_total", NOW - 26 * H, NOW, "60");
    assertThat(c.cache()).isEqualTo("partial");
    assertThat(c.body().length()).isGreaterThan(128 * 1024);
    assertThat(c.body()).isEqualTo(bed.uncached("a", "req_total", NOW - 26 * H, NOW, "60").body());
    CacheBed.Answer again = bed.range("a", "req_total", NOW - 26 * H, NOW, "60");
    assertThat(again.cache()).isEqualTo("partial");
    assertThat(again.body()).isEqualTo(c.body());
  }

  @Test
  void stepsThatDoNotDivideTheExtentAndWindowsSlidingOffTheGrid() throws Exception {
    bed("{ extent: 1h, max-freshness: 1m }");
    long start = NOW - 5 * H - 13_000;
    for (int i = 0; i < 6; i++) {
      for (String step : List.of("7m", "77", "3601")) {
        CacheBed.Answer c = bed.range("a", "rate(req_total[5m])", start, NOW - 90_000, step);
        CacheBed.Answer u = bed.uncached("a", "rate(req_total[5m])", start, NOW - 90_000, step);
        assertThat(c.body()).as(step + " " + i).isEqualTo(u.body());
      }
      start += 30_000; // moves the grid phase of 7m and 77 s steps: other keys, still equal answers
    }
  }

  @Test
  void pointsNewerThanMaxFreshnessAreNeverCachedAndLateWritesInvalidate() throws Exception {
    bed("{ extent: 1h, max-freshness: 2m }");
    long start = NOW - 3 * H;
    String q = "req_total{job=~\"fresh|late2\"}";
    CacheBed.Answer first = bed.range("a", q, start, NOW, "30");
    assertThat(first.body()).contains("\"result\":[]");
    // A sample 90 s old arrives: within max-freshness, the cache never held that time, so it shows at once.
    bed.store("a").append(Labels.of("__name__", "req_total", "job", "fresh"), NOW - 90_000, 7);
    CacheBed.Answer second = bed.range("a", q, start, NOW, "30");
    assertThat(second.cache()).isEqualTo("partial");
    assertThat(second.body()).isEqualTo(bed.uncached("a", q, start, NOW, "30").body()).contains("\"job\":\"fresh\"");
    // A late sample an hour old: cached times hide it until the write path invalidates...
    bed.store("a").append(Labels.of("__name__", "req_total", "job", "late2"), NOW - H, 3);
    assertThat(bed.range("a", q, start, NOW, "30").body()).doesNotContain("late2");
    // ...which it does for writes older than now - max-freshness (and only for that tenant).
    bed.cache().invalidate("b", NOW - H, NOW - H);
    assertThat(bed.range("a", q, start, NOW, "30").body()).doesNotContain("late2");
    bed.cache().invalidate("a", NOW - H, NOW - H);
    CacheBed.Answer after = bed.range("a", q, start, NOW, "30");
    assertThat(after.body()).isEqualTo(bed.uncached("a", q, start, NOW, "30").body()).contains("late2");
    assertThat(metrics()).contains("promgate_cache_invalidations_total 2");
  }

  @Test
  void tenantsNeverShareExtents() throws Exception {
    bed("{ extent: 1h }");
    long start = NOW - 4 * H;
    long end = NOW - 2 * H;
    CacheBed.Answer a = bed.range("a", "sum by (tenant_mark) (req_total)", start, end, "60");
    CacheBed.Answer a2 = bed.range("a", "sum by (tenant_mark) (req_total)", start, end, "60");
    CacheBed.Answer b = bed.range("b", "sum by (tenant_mark) (req_total)", start, end, "60");
    assertThat(a2.cache()).isEqualTo("hit");
    assertThat(b.cache()).isEqualTo("miss");
    assertThat(a.body()).contains("\"tenant_mark\":\"a\"").doesNotContain("\"tenant_mark\":\"b\"");
    assertThat(b.body()).contains("\"tenant_mark\":\"b\"").doesNotContain("\"tenant_mark\":\"a\"");
    CacheBed.Answer both = bed.range("a|b", "sum by (tenant_mark) (req_total)", start, end, "60");
    assertThat(both.cache()).isEqualTo("miss");
  }

  @Test
  void postFormsAreCachedLikeGets() throws Exception {
    bed("{ extent: 1h }");
    String form = "query=" + CacheBed.enc("sum by (job) (rate(req_total[5m]))") + "&start="
        + RangeRequest.seconds(NOW - 5 * H) + "&step=60";
    String url = bed.gw.url() + "/tenant/a/api/v1/query_range";
    // Grafana puts custom parameters in the URL of a POST: the end comes in the query string here.
    var first = PromgateHarness.postForm(url + "?end=" + RangeRequest.seconds(NOW - 2 * H), form);
    var second = PromgateHarness.postForm(url + "?end=" + RangeRequest.seconds(NOW - H), form);
    String expected = bed.uncached("a", "sum by (job) (rate(req_total[5m]))", NOW - 5 * H, NOW - H, "60").body();
    assertThat(first.headers().firstValue(CachingQueryBackend.HEADER)).hasValue("miss");
    assertThat(second.headers().firstValue(CachingQueryBackend.HEADER)).hasValue("partial");
    assertThat(new String(second.body(), StandardCharsets.UTF_8)).isEqualTo(expected);
  }

  @Test
  void evictionKeepsTheCacheUnderItsByteBound() throws Exception {
    bed("{ extent: 1h, max-bytes: 300KiB }");
    for (String q : QUERIES.subList(0, 8)) {
      for (String step : List.of("60", "30")) {
        bed.range("a", q, NOW - 10 * H, NOW - H, step);
        assertThat(bed.cache().bytes()).isLessThanOrEqualTo(300 * 1024);
      }
    }
    assertThat(bed.cache().evictions()).isPositive();
    // Whatever survived still stitches into the right answers.
    for (String q : QUERIES.subList(0, 8)) {
      assertThat(bed.range("a", q, NOW - 10 * H, NOW - H, "60").body())
          .isEqualTo(bed.uncached("a", q, NOW - 10 * H, NOW - H, "60").body());
    }
    assertThat(metrics()).containsPattern("promgate_cache_evictions_total [1-9]").contains("promgate_cache_bytes ");
  }

  @Test
  void noCacheBypassesBothWays() throws Exception {
    bed("{ extent: 1h }");
    for (int i = 0; i < 2; i++) {
      assertThat(bed.uncached("a", "temp", NOW - 5 * H, NOW - 2 * H, "60").cache()).isEqualTo("miss");
    }
    assertThat(bed.cache().entries()).isZero();
    bed.range("a", "temp", NOW - 5 * H, NOW - 2 * H, "60");
    assertThat(bed.cache().entries()).isEqualTo(4);
  }

  @Test
  void answersWithWarningsOrInfosAndUnsplittableQueriesAreNotCached() throws Exception {
    bed("{ extent: 1h }");
    // rate() of a gauge named like one: the engine adds an info annotation.
    for (String q : List.of("rate(temp[5m])", "temp @ " + (NOW - 3 * H) / 1000, "temp offset -5m",
        "temp @ end()", "sum(max_over_time(temp[1h] @ start()))")) {
      for (int i = 0; i < 2; i++) {
        CacheBed.Answer c = bed.range("a", q, NOW - 5 * H, NOW - 2 * H, "60");
        assertThat(c.cache()).as(q).isEqualTo("miss");
        assertThat(c.body()).as(q).isEqualTo(bed.uncached("a", q, NOW - 5 * H, NOW - 2 * H, "60").body());
      }
      assertThat(bed.cache().entries()).as(q).isZero();
    }
    assertThat(bed.range("a", "rate(temp[5m])", NOW - 5 * H, NOW - 2 * H, "60").body()).contains("\"infos\"");
    // Errors pass through untouched and are not cached either.
    CacheBed.Answer err = bed.range("a", "req_total + on(job) req_total", NOW - 5 * H, NOW - 2 * H, "60");
    assertThat(err.status()).isEqualTo(422);
    assertThat(bed.cache().entries()).isZero();
  }

  String metrics() throws Exception {
    return new String(PromgateHarness.get(bed.gw.url() + "/metrics").body(), StandardCharsets.UTF_8);
  }
}
