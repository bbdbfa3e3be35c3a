import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Dashboard replay for bench/cache.sh (run with the source launcher:
 * {@code java CacheDashboard.java URL QUERIES_FILE REFRESHES INTERVAL_S STEP_S}).
 *
 * <p>One initial load of the dashboard, then REFRESHES refreshes; load i looks at the 24h ending at
 * {@code t0 + i * 30 s}, with start and end aligned down to the step as Grafana aligns them, and is issued
 * {@code i * INTERVAL_S} seconds after the first (30 for real time). Each load runs every query twice, with
 * the cache and with {@code Cache-Control: no-cache}, in alternating order, one request at a time on a
 * keep-alive connection; the two answers must be byte-identical. Prints per-load times, then
 * {@code cold_ratio} (initial load included) and last {@code ratio: X} = uncached / cached time over the
 * refreshes (a dashboard left open: the cache is warm after its first load).
 */
public class CacheDashboard {
  public static void main(String[] args) throws Exception {
    String url = args[0];
    List<String> queries = Files.readAllLines(Path.of(args[1])).stream().filter(l -> !l.isBlank()).toList();
    int refreshes = Integer.parseInt(args[2]);
    long interval = Long.parseLong(args[3]);
    long step = Long.parseLong(args[4]);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    // JIT warm-up, both paths alike, under another tenant (its own cache entries: the measured tenant starts
    // cold): the cached path is Java the JIT compiles only after some thousand calls, while the uncached one
    // is mostly Prometheus' compiled Go; a gateway serves for days, so the steady state is what counts.
    int warmup = args.length > 5 ? Integer.parseInt(args[5]) : 0;
    String warmUrl = url + "/tenant/bench-warmup";
    long w0 = System.currentTimeMillis() / 1000;
    for (int r = 0; r < warmup; r++) {
      long end = w0 / step * step;
      long start = (w0 - 86_400) / step * step;
      for (String q : queries) {
        String uri = warmUrl + "/api/v1/query_range?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
            + "&start=" + start + "&end=" + end + "&step=" + step;
        http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(120)).build(),
            HttpResponse.BodyHandlers.discarding());
        http.send(HttpRequest.newBuilder(URI.create(uri)).header("Cache-Control", "no-cache")
            .timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.discarding());
      }
    }
    if (warmup > 0) {
      System.out.println("warmup: " + warmup + " rounds under tenant bench-warmup");
    }
    long t0 = System.currentTimeMillis() / 1000;
    long wall0 = System.nanoTime();
    long[] cached = new long[refreshes + 1];
    long[] uncached = new long[refreshes + 1];
    int mismatches = 0;
    TreeMap<String, Integer> headers = new TreeMap<>();
    System.out.printf("%-6s %12s %12s %8s%n", "load", "cached_ms", "uncached_ms", "headers");
    for (int i = 0; i <= refreshes; i++) {
      long due = wall0 + i * interval * 1_000_000_000L;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000);
      }
      long at = t0 + i * 30L;
      long end = at / step * step;
      long start = (at - 86_400) / step * step;
      TreeMap<String, Integer> loadHeaders = new TreeMap<>();
      for (int k = 0; k < queries.size(); k++) {
        String q = queries.get(k);
        String uri = url + "/api/v1/query_range?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&start="
            + start + "&end=" + end + "&step=" + step;
        HttpResponse<byte[]> c = null;
        HttpResponse<byte[]> u = null;
        for (int pass = 0; pass < 2; pass++) {
          boolean useCache = (pass == 0) == ((i + k) % 2 == 0);
          HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(120));
          if (!useCache) {
            b.header("Cache-Control", "no-cache");
          }
          long t = System.nanoTime();
          HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
          long took = System.nanoTime() - t;
          if (r.statusCode() != 200) {
            throw new IllegalStateException(q + ": HTTP " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
          }
          if (useCache) {
            cached[i] += took;
            c = r;
          } else {
            uncached[i] += took;
            u = r;
          }
        }
        if (!Arrays.equals(c.body(), u.body())) {
          mismatches++;
          System.out.println("MISMATCH load " + i + ": " + q);
        }
        loadHeaders.merge(c.headers().firstValue("X-Promgate-Cache").orElse("none"), 1, Integer::sum);
      }
      loadHeaders.forEach((h, n) -> headers.merge(h, n, Integer::sum));
      System.out.printf("%-6d %12.1f %12.1f %s%n", i, cached[i] / 1e6, uncached[i] / 1e6, loadHeaders);
    }
    long cachedAll = Arrays.stream(cached).sum();
    long uncachedAll = Arrays.stream(uncached).sum();
    long cachedRefresh = cachedAll - cached[0];
    long uncachedRefresh = uncachedAll - uncached[0];
    System.out.printf("queries: %d, loads: 1 + %d refreshes, step: %ds%n", queries.size(), refreshes, step);
    System.out.println("cache_headers: " + headers);
    System.out.println("mismatches: " + mismatches);
    System.out.printf("cached_total_ms: %.1f%nuncached_total_ms: %.1f%n", cachedAll / 1e6, uncachedAll / 1e6);
    System.out.printf("cached_refreshes_ms: %.1f%nuncached_refreshes_ms: %.1f%n", cachedRefresh / 1e6,
        uncachedRefresh / 1e6);
    // On a shared machine one stalled load can swing the totals' ratio: the median per refresh shows it.
    double[] perLoad = new double[refreshes];
    for (int i = 1; i <= refreshes; i++) {
      perLoad[i - 1] = (double) uncached[i] / Math.max(1, cached[i]);
    }
    Arrays.sort(perLoad);
    if (refreshes > 0) {
      System.out.printf("median_refresh_ratio: %.2f%n", refreshes % 2 == 1 ? perLoad[refreshes / 2]
          : (perLoad[refreshes / 2 - 1] + perLoad[refreshes / 2]) / 2);
    }
    System.out.printf("cold_ratio: %.2f%n", (double) uncachedAll / cachedAll);
    System.out.printf("ratio: %.2f%n", (double) uncachedRefresh / cachedRefresh);
    if (mismatches > 0) {
      System.exit(1);
    }
  }
}
