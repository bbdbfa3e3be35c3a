package io.promgate.gateway.metrics;

import io.promgate.gateway.Version;
import io.promgate.gateway.http.Endpoint;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * promgate's own metrics in the Prometheus text format: HTTP requests by handler and code, their latency,
 * upstream latency and errors per backend. A tiny registry instead of a metrics library: the hot path
 * touches two preallocated arrays per request and allocates nothing. Other components add their own
 * families through {@link #register(MetricsSource)}.
 */
public final class SelfMetrics {
  private static final Endpoint[] ENDPOINTS = Endpoint.values();

  private final AtomicLongArray requests = new AtomicLongArray(ENDPOINTS.length * 600);
  private final Histogram[] latency = new Histogram[ENDPOINTS.length];
  private final Map<String, Histogram> upstreamLatency = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> upstreamErrors = new ConcurrentHashMap<>();
  private final java.util.List<MetricsSource> sources = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Extra metric families (store, engine, breakers), appended to the exposition. */
  @FunctionalInterface
  public interface MetricsSource {
    void writeTo(StringBuilder out);
  }

  private final LimitRefusals limitRefusals = new LimitRefusals();

  public SelfMetrics() {
    for (int i = 0; i < latency.length; i++) {
      latency[i] = new Histogram();
    }
    sources.add(limitRefusals);
  }

  /** Refusals by {@code tenancy.limits}, counted by reads and writes alike. */
  public LimitRefusals limitRefusals() {
    return limitRefusals;
  }

  public void register(MetricsSource source) {
    sources.add(source);
  }

  public void request(Endpoint endpoint, int status, long nanos) {
    int code = status >= 100 && status < 600 ? status : 0;
    requests.incrementAndGet(endpoint.ordinal() * 600 + code);
    latency[endpoint.ordinal()].observeNanos(nanos);
  }

  public void upstreamLatency(String backend, long nanos) {
    upstreamLatencyHistogram(backend).observeNanos(nanos);
  }

  /** The histogram {@link #upstreamLatency} feeds, for callers that look it up once instead of per request. */
  public Histogram upstreamLatencyHistogram(String backend) {
    return upstreamLatency.computeIfAbsent(backend, b -> new Histogram());
  }

  /** {@code kind}: a small fixed vocabulary (unavailable, timeout, reset). */
  public void upstreamError(String backend, String kind) {
    upstreamErrors.computeIfAbsent(backend + "\u0000" + kind, k -> new LongAdder()).increment();
  }

  public long requestCount(Endpoint endpoint, int status) {
    return requests.get(endpoint.ordinal() * 600 + status);
  }

  public String exposition() {
    StringBuilder sb = new StringBuilder(8192);
    sb.append("# HELP promgate_build_info promgate's version.\n# TYPE promgate_build_info gauge\n")
        .append("promgate_build_info{version=\"").append(Version.get()).append("\"} 1\n");
    sb.append("# HELP promgate_http_requests_total HTTP requests answered, by handler and status code.\n")
        .append("# TYPE promgate_http_requests_total counter\n");
    for (Endpoint e : ENDPOINTS) {
      for (int code = 0; code < 600; code++) {
        long n = requests.get(e.ordinal() * 600 + code);
        if (n > 0) {
          sb.append("promgate_http_requests_total{handler=\"").append(e.path()).append("\",code=\"")
              .append(code).append("\"} ").append(n).append('\n');
        }
      }
    }
    sb.append("# HELP promgate_http_request_duration_seconds Time to answer HTTP requests.\n")
        .append("# TYPE promgate_http_request_duration_seconds histogram\n");
    for (Endpoint e : ENDPOINTS) {
      if (latency[e.ordinal()].count() > 0) {
        latency[e.ordinal()].write(sb, "promgate_http_request_duration_seconds", "handler=\"" + e.path() + "\",");
      }
    }
    sb.append("# HELP promgate_upstream_request_duration_seconds Time to an upstream's response head.\n")
        .append("# TYPE promgate_upstream_request_duration_seconds histogram\n");
    upstreamLatency.forEach((b, h) -> h.write(sb, "promgate_upstream_request_duration_seconds",
        "backend=\"" + b + "\","));
    sb.append("# HELP promgate_upstream_errors_total Upstream requests that failed, by backend and kind.\n")
        .append("# TYPE promgate_upstream_errors_total counter\n");
    upstreamErrors.forEach((k, n) -> {
      int sep = k.indexOf('\u0000');
      sb.append("promgate_upstream_errors_total{backend=\"").append(k, 0, sep).append("\",kind=\"")
          .append(k, sep + 1, k.length()).append("\"} ").append(n.sum()).append('\n');
    });
    for (MetricsSource s : sources) {
      s.writeTo(sb);
    }
    return sb.toString();
  }
}
