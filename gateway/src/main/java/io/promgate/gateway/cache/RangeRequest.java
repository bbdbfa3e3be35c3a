package io.promgate.gateway.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.promgate.gateway.backend.ApiRequest;
import io.promgate.promql.ast.AggregateExpr;
import io.promgate.promql.ast.BinaryExpr;
import io.promgate.promql.ast.Call;
import io.promgate.promql.ast.Expr;
import io.promgate.promql.ast.MatrixSelector;
import io.promgate.promql.ast.ParenExpr;
import io.promgate.promql.ast.SubqueryExpr;
import io.promgate.promql.ast.UnaryExpr;
import io.promgate.promql.ast.VectorSelector;
import io.promgate.promql.parser.Printer;
import io.promgate.promql.parser.PromQLParser;
import io.vertx.core.MultiMap;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A range query the cache may serve, or the reason it may not.
 *
 * <p>What can be split by time: each point of a range query is evaluated at its own time and depends only
 * on data at or before it, so the answer over [a, c] is the answer over [a, b] followed by the one over
 * (b, c]. Thanos' and Cortex' query frontends rely on the same property. It breaks, and the query is never
 * cached, for: {@code @} (its time, and {@code start()}/{@code end()}, do not move with the step — Cortex
 * refuses to split those too); negative offsets (a point reads data after its own time, which may still
 * arrive after it was cached); more than 11,000 points (the backend must answer its own error); request
 * parameters we do not know to be harmless (e.g. {@code stats}, {@code limit}), so a new Prometheus option
 * never turns into a wrong cached answer. {@code time()} and {@code timestamp()} are per-step values and
 * split fine.
 *
 * @param key what identifies identical answers (never shared across tenants)
 * @param stepMs the step
 * @param startMs the first evaluation time
 * @param endMs the last evaluation time (start + k * step, the last point an answer can have)
 */
record RangeRequest(RangeKey key, long startMs, long endMs, long stepMs, MultiMap params) {
  /** Flags that change answers but not how they split; part of the key. */
  private static final Set<String> KEYED = Set.of("dedup", "replicalabels[]", "partial_response", "lookback_delta",
      "max_source_resolution", "engine");
  /** Parameters that do not change an answer's content. */
  private static final Set<String> IGNORED = Set.of("query", "start", "end", "step", "timeout");
  static final int MAX_POINTS = 11_000;

  /** The request as the cache sees it, or null (with the reason in {@code why[0]}) when it must bypass. */
  static RangeRequest of(ApiRequest r, String[] why) {
    MultiMap p = r.params();
    Map<String, List<String>> flags = new TreeMap<>();
    for (String name : p.names()) {
      String n = name.toLowerCase(java.util.Locale.ROOT);
      if (KEYED.contains(n)) {
        flags.put(n, p.getAll(name));
      } else if (!IGNORED.contains(n)) {
        why[0] = "parameter " + name;
        return null;
      }
    }
    String q = p.get("query");
    Long start = time(p.get("start"));
    Long end = time(p.get("end"));
    Long step = duration(p.get("step"));
    if (q == null || start == null || end == null || step == null || step <= 0 || end < start) {
      why[0] = "bad parameters";
      return null;
    }
    if ((end - start) / step + 1 > MAX_POINTS) {
      why[0] = "too many points";
      return null;
    }
    String canonical = CANONICAL.get(q, k -> canonical(r));
    if (canonical.isEmpty()) {
      why[0] = "parse error, @ or negative offset";
      return null;
    }
    long phase = Math.floorMod(start, step);
    long last = start + (end - start) / step * step;
    RangeKey key = new RangeKey(r.tenants().headerValue(), canonical, step, phase, flags.toString());
    return new RangeRequest(key, start, last, step, p);
  }

  /**
   * Query text to canonical form, "" when not cacheable. A dashboard sends the same few texts again and
   * again; parsing them each time would cost more than the rest of a cache hit.
   */
  private static final Cache<String, String> CANONICAL = Caffeine.newBuilder().maximumSize(10_000).build();

  private static String canonical(ApiRequest r) {
    try {
      Expr expr = r.expr();
      return splittable(expr) ? Printer.print(expr) : "";
    } catch (RuntimeException e) {
      return "";
    }
  }

  /** False when a point's value could depend on more than its own evaluation time and the data before it. */
  static boolean splittable(Expr e) {
    if (e instanceof VectorSelector v) {
      return v.at() == null && v.offsetMillis() >= 0;
    } else if (e instanceof MatrixSelector m) {
      return splittable(m.selector());
    } else if (e instanceof SubqueryExpr s) {
      return s.at() == null && s.offsetMillis() >= 0 && splittable(s.expr());
    } else if (e instanceof AggregateExpr a) {
      return splittable(a.expr()) && (a.param() == null || splittable(a.param()));
    } else if (e instanceof BinaryExpr b) {
      return splittable(b.lhs()) && splittable(b.rhs());
    } else if (e instanceof Call c) {
      return c.args().stream().allMatch(RangeRequest::splittable);
    } else if (e instanceof ParenExpr p) {
      return splittable(p.expr());
    } else if (e instanceof UnaryExpr u) {
      return splittable(u.expr());
    }
    return true; // number and string literals
  }

  /** Prometheus' {@code parseTime}: seconds (fractional) or RFC 3339; null when absent or bad. */
  static Long time(String v) {
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return new BigDecimal(v).movePointRight(3).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      try {
        return OffsetDateTime.parse(v).toInstant().toEpochMilli();
      } catch (RuntimeException e2) {
        return null;
      }
    }
  }

  static Long duration(String v) {
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return new BigDecimal(v).movePointRight(3).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      try {
        return PromQLParser.parseDuration(v);
      } catch (RuntimeException e2) {
        return null;
      }
    }
  }

  /** ms as the seconds Prometheus accepts ({@code 1700000000}, {@code 1700000000.5}). */
  static String seconds(long ms) {
    return ms % 1000 == 0 ? Long.toString(ms / 1000) : BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString();
  }
}
