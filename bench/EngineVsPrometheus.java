import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promgate.storeapi.prompb.Label;
import io.promgate.storeapi.prompb.Sample;
import io.promgate.storeapi.prompb.TimeSeries;
import io.promgate.storeapi.prompb.WriteRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.xerial.snappy.Snappy;

/**
 * Driver of bench/engine-vs-prometheus.sh (source launcher, classpath = promgate.jar for protobuf, snappy
 * and Jackson): {@code java -cp promgate.jar EngineVsPrometheus.java PROM_URL PROMGATE_URL SERIES ROUNDS}.
 *
 * <p>Generates the dataset in code (dashboard-like series: HTTP counters and classic histograms, node CPU,
 * memory gauges; 2 h at 15 s), remote-writes it to both servers in time order (Prometheus 2.42 rejects
 * samples more than an hour behind its head, so every request is one time slice of all series), then runs
 * ~30 dashboard queries (instant and range) on both, interleaved, ROUNDS times each. Evaluation times sit
 * 7 s off the 15 s sample grid, so no sample is on a window boundary (2.42's closed windows and 3.x's
 * left-open ones then agree). Prints per query the median times and whether the answers agree, then
 * {@code agree: N/M} and last {@code ratio: X} = median over queries of promgate time / Prometheus time.
 */
public class EngineVsPrometheus {
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final ObjectMapper JSON = new ObjectMapper();
  static final long STEP_MS = 15_000;
  static final int POINTS = 2 * 3600 / 15 + 1;

  public static void main(String[] args) throws Exception {
    String prom = args[0];
    String gw = args[1];
    int series = Integer.parseInt(args[2]);
    int rounds = Integer.parseInt(args[3]);
    long end = (System.currentTimeMillis() - 60_000) / STEP_MS * STEP_MS;
    long start = end - (POINTS - 1) * STEP_MS;
    List<String[]> labels = labelSets(series);
    long t0 = System.nanoTime();
    for (int i = 0; i < POINTS; i += 4) {
      byte[] body = slice(labels, start, i, Math.min(POINTS, i + 4));
      write(prom, body);
      write(gw, body);
    }
    System.out.printf("loaded: %d series x %d samples into both in %.1f s%n", labels.size(), POINTS,
        (System.nanoTime() - t0) / 1e9);
    double at = (end - 8_000) / 1000.0; // 7 s after the previous sample, 8 s before the next
    String range = "&start=" + (start + 30 * 60_000 + 7_000) / 1000.0 + "&end=" + at + "&step=60";
    List<String> queries = new ArrayList<>();
    for (String q : QUERIES) {
      queries.add("/api/v1/query?query=" + enc(q) + "&time=" + at);
    }
    for (String q : RANGE_QUERIES) {
      queries.add("/api/v1/query_range?query=" + enc(q) + range);
    }
    List<Double> ratios = new ArrayList<>();
    int agree = 0;
    int n = 0;
    for (String path : queries) {
      n++;
      get(prom + path); // warm both once (parsing caches, JIT)
      get(gw + path);
      long[] pt = new long[rounds];
      long[] gt = new long[rounds];
      String pb = null;
      String gb = null;
      for (int r = 0; r < rounds; r++) {
        long a = System.nanoTime();
        pb = get(prom + path);
        pt[r] = System.nanoTime() - a;
        a = System.nanoTime();
        gb = get(gw + path);
        gt[r] = System.nanoTime() - a;
      }
      String diff = compare(JSON.readTree(pb), JSON.readTree(gb));
      if (diff == null) {
        agree++;
      }
      double pm = median(pt) / 1e6;
      double gm = median(gt) / 1e6;
      ratios.add(gm / pm);
      System.out.printf("q%02d promgate %8.2f ms  prometheus %8.2f ms  ratio %5.2f  %s  %s%n", n, gm, pm, gm / pm,
          diff == null ? "same" : "DIFFERENT (" + diff + ")", java.net.URLDecoder.decode(
              path.substring(path.indexOf("query=") + 6, path.indexOf('&')), StandardCharsets.UTF_8));
    }
    System.out.println("agree: " + agree + "/" + n);
    double[] rs = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.printf("ratio: %.2f%n", rs.length % 2 == 1 ? rs[rs.length / 2] : (rs[rs.length / 2 - 1] + rs[rs.length / 2]) / 2);
    if (agree != n) {
      System.exit(3);
    }
  }

  static final List<String> QUERIES = List.of(
      "sum by (job) (rate(http_requests_total[5m]))",
      "sum by (job, code) (rate(http_requests_total{code=~\"5..\"}[5m]))",
      "sum(rate(http_requests_total{code=~\"5..\"}[5m])) / sum(rate(http_requests_total[5m]))",
      "histogram_quantile(0.99, sum by (le, job) (rate(http_request_duration_seconds_bucket[5m])))",
      "histogram_quantile(0.5, sum by (le) (rate(http_request_duration_seconds_bucket{job=\"api\"}[5m])))",
      "topk(10, sum by (instance) (rate(http_requests_total[5m])))",
      "bottomk(5, sum by (handler) (rate(http_requests_total[1m])))",
      "count by (job) (up)",
      "sum(up) by (job)",
      "100 - avg by (instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[5m])) * 100",
      "sum by (mode) (irate(node_cpu_seconds_total[5m]))",
      "max_over_time(node_memory_used_bytes[1h])",
      "avg_over_time(node_memory_used_bytes[30m]) / 1024 / 1024",
      "node_memory_used_bytes / on(instance) group_left node_memory_total_bytes",
      "predict_linear(node_memory_used_bytes[30m], 3600)",
      "increase(http_requests_total{handler=\"/api/v1/query\"}[1h])",
      "quantile(0.9, rate(http_requests_total[5m]))",
      "count(count by (instance) (node_cpu_seconds_total))",
      "sum by (job) (rate(http_request_duration_seconds_sum[5m])) / sum by (job) (rate(http_request_duration_seconds_count[5m]))",
      "max(rate(http_requests_total[5m:1m]))",
      "absent(nonexistent_metric)",
      "sort_desc(sum by (instance) (node_memory_used_bytes))");
  static final List<String> RANGE_QUERIES = List.of(
      "sum by (job) (rate(http_requests_total[5m]))",
      "histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))",
      "100 - avg by (instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[5m])) * 100",
      "sum(rate(http_requests_total{code=~\"5..\"}[5m])) / sum(rate(http_requests_total[5m]))",
      "topk(5, sum by (instance) (rate(http_requests_total[5m])))",
      "node_memory_used_bytes / on(instance) group_left node_memory_total_bytes",
      "deriv(node_memory_used_bytes[10m])",
      "sum by (mode) (rate(node_cpu_seconds_total[2m]))");

  /** Dashboard-like label sets, at least {@code n}: instances × (HTTP counters + buckets + CPU + memory). */
  static List<String[]> labelSets(int n) {
    List<String[]> out = new ArrayList<>();
    String[] jobs = {"api", "web", "worker"};
    String[] handlers = {"/api/v1/query", "/api/v1/query_range", "/api/v1/series", "/metrics"};
    String[] codes = {"200", "500"};
    String[] les = {"0.005", "0.01", "0.05", "0.1", "0.5", "1", "5", "+Inf"};
    String[] modes = {"idle", "user", "system", "iowait"};
    for (int i = 0; out.size() < n; i++) {
      String job = jobs[i % jobs.length];
      String inst = "10.0." + (i / 250) + "." + (i % 250) + ":9100";
      out.add(new String[] {"__name__", "up", "instance", inst, "job", job});
      out.add(new String[] {"__name__", "node_memory_used_bytes", "instance", inst, "job", job});
      out.add(new String[] {"__name__", "node_memory_total_bytes", "instance", inst, "job", job});
      for (int c = 0; c < 2; c++) {
        for (String m : modes) {
          out.add(new String[] {"__name__", "node_cpu_seconds_total", "cpu", Integer.toString(c), "instance", inst,
              "job", job, "mode", m});
        }
      }
      for (String h : handlers) {
        for (String code : codes) {
          out.add(new String[] {"__name__", "http_requests_total", "code", code, "handler", h, "instance", inst,
              "job", job});
        }
      }
      String h = handlers[i % handlers.length];
      for (String le : les) {
        out.add(new String[] {"__name__", "http_request_duration_seconds_bucket", "handler", h, "instance", inst,
            "job", job, "le", le});
      }
      out.add(new String[] {"__name__", "http_request_duration_seconds_sum", "handler", h, "instance", inst, "job", job});
      out.add(new String[] {"__name__", "http_request_duration_seconds_count", "handler", h, "instance", inst, "job", job});
    }
    return out;
  }

  /** The value of series {@code s} at step {@code i}: counters grow, gauges wander, deterministic. */
  static double value(String[] l, int s, int i) {
    String name = l[1];
    long h = Arrays.hashCode(l) & 0xffff;
    if (name.equals("up")) {
      return (h + i / 40) % 17 == 0 ? 0 : 1;
    }
    if (name.startsWith("node_memory_total")) {
      return 8e9 + h * 1e4;
    }
    if (name.startsWith("node_memory")) {
      return 2e9 + h * 1e4 + Math.sin((i + h) / 30.0) * 3e8;
    }
    if (name.endsWith("_bucket")) {
      String le = l[l.length - 1];
      double frac = le.equals("+Inf") ? 1 : Math.min(1, Math.sqrt(Double.parseDouble(le)) * 0.9);
      return Math.floor(i * (5 + h % 7) * frac);
    }
    // A per-series fraction keeps rates distinct: with ties topk/bottomk may pick either series (Prometheus
    // does not define the order), and a benchmark must not fail on that.
    double perStep = 1 + h % 13 + (i % 5) + s * 1e-4;
    return i * perStep + (name.endsWith("_sum") ? i * 0.37 : 0);
  }

  static byte[] slice(List<String[]> labels, long start, int from, int to) throws Exception {
    WriteRequest.Builder w = WriteRequest.newBuilder();
    for (int s = 0; s < labels.size(); s++) {
      String[] l = labels.get(s);
      TimeSeries.Builder ts = TimeSeries.newBuilder();
      for (int k = 0; k < l.length; k += 2) {
        ts.addLabels(Label.newBuilder().setName(l[k]).setValue(l[k + 1]));
      }
      for (int i = from; i < to; i++) {
        ts.addSamples(Sample.newBuilder().setTimestamp(start + i * STEP_MS).setValue(value(l, s, i)));
      }
      w.addTimeseries(ts);
    }
    return Snappy.compress(w.build().toByteArray());
  }

  static void write(String base, byte[] body) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/write"))
        .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
        .header("X-Prometheus-Remote-Write-Version", "0.1.0")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(base + " remote write answered " + r.statusCode() + ": " + r.body());
    }
  }

  static String get(String url) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static long median(long[] v) {
    long[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }

  /** null when both answers agree (any series order, values within 1e-9 relative), else what differs. */
  static String compare(JsonNode a, JsonNode b) {
    JsonNode ar = a.path("data").path("result");
    JsonNode br = b.path("data").path("result");
    if (!a.path("data").path("resultType").equals(b.path("data").path("resultType"))) {
      return "result type";
    }
    Map<String, JsonNode> am = bySeries(ar);
    Map<String, JsonNode> bm = bySeries(br);
    if (!am.keySet().equals(bm.keySet())) {
      return "series " + am.size() + " vs " + bm.size();
    }
    for (Map.Entry<String, JsonNode> e : am.entrySet()) {
      JsonNode x = e.getValue();
      JsonNode y = bm.get(e.getKey());
      JsonNode xs = x.has("values") ? x.get("values") : JSON.createArrayNode().add(x.get("value"));
      JsonNode ys = y.has("values") ? y.get("values") : JSON.createArrayNode().add(y.get("value"));
      if (xs.size() != ys.size()) {
        return e.getKey() + ": " + xs.size() + " vs " + ys.size() + " points";
      }
      for (int i = 0; i < xs.size(); i++) {
        if (xs.get(i).get(0).asDouble() != ys.get(i).get(0).asDouble()) {
          return e.getKey() + ": timestamps";
        }
        String p = xs.get(i).get(1).asText();
        String q = ys.get(i).get(1).asText();
        if (!p.equals(q)) {
          double u = Double.parseDouble(p);
          double v = Double.parseDouble(q);
          if (!(Math.abs(u - v) <= 1e-9 * Math.max(Math.abs(u), Math.abs(v)))) {
            return e.getKey() + ": " + p + " vs " + q;
          }
        }
      }
    }
    return null;
  }

  static Map<String, JsonNode> bySeries(JsonNode result) {
    Map<String, JsonNode> out = new TreeMap<>();
    for (Iterator<JsonNode> it = result.elements(); it.hasNext(); ) {
      JsonNode s = it.next();
      out.put(new TreeMap<>(JSON.convertValue(s.get("metric"), Map.class)).toString(), s);
    }
    return out;
  }
}
