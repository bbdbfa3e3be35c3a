package io.promgate.gateway.federation;

import io.promgate.gateway.http.ApiException;
import io.promgate.gateway.http.ErrorType;
import io.promgate.promql.parser.PromQLParser;
import io.vertx.core.MultiMap;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Prometheus API parameter parsing ({@code web/api/v1} {@code parseTime}, {@code parseDuration}), for the
 * federation and explain alike.
 */
public final class ApiParams {
  /** Prometheus' minTime/maxTime for absent start/end of metadata calls (about years -292 million..). */
  static final long MIN_TIME = -9223372036854775L;
  static final long MAX_TIME = 9223372036854775L;

  private ApiParams() {}

  /** Seconds (exact decimal) or RFC 3339; {@code dflt} when absent; else 400 {@code bad_data}. */
  public static long time(MultiMap p, String name, long dflt) {
    String v = p.get(name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      return new BigDecimal(v).movePointRight(3).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      try {
        return OffsetDateTime.parse(v).toInstant().toEpochMilli();
      } catch (RuntimeException e2) {
        throw new ApiException(ErrorType.BAD_DATA, "invalid parameter \"" + name + "\": cannot parse \"" + v
            + "\" to a valid timestamp");
      }
    }
  }

  /** As {@link #duration(MultiMap, String)}, {@code dflt} when absent. */
  public static long duration(MultiMap p, String name, long dflt) {
    String v = p.get(name);
    return v == null || v.isEmpty() ? dflt : duration(p, name);
  }

  static long duration(MultiMap p, String name) {
    String v = p.get(name);
    if (v == null || v.isEmpty()) {
      throw new ApiException(ErrorType.BAD_DATA, "invalid parameter \"" + name + "\": cannot parse \"\" to a valid duration");
    }
    try {
      return new BigDecimal(v).movePointRight(3).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      try {
        return PromQLParser.parseDuration(v);
      } catch (RuntimeException e2) {
        throw new ApiException(ErrorType.BAD_DATA, "invalid parameter \"" + name + "\": cannot parse \"" + v
            + "\" to a valid duration");
      }
    }
  }

  static boolean bool(MultiMap p, String name, boolean dflt) {
    String v = p.get(name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    return switch (v.toLowerCase(java.util.Locale.ROOT)) {
      case "1", "true", "t", "yes" -> true;
      case "0", "false", "f", "no" -> false;
      default -> throw new ApiException(ErrorType.BAD_DATA, "invalid parameter \"" + name + "\": " + v);
    };
  }

  /** Thanos: {@code dedup=false} turns dedup off; {@code replicaLabels[]} overrides the configured labels. */
  static Set<String> replicaLabels(MultiMap p, List<String> configured) {
    if (!bool(p, "dedup", true)) {
      return Set.of();
    }
    List<String> req = p.getAll("replicaLabels[]");
    return new LinkedHashSet<>(req.isEmpty() ? configured : req);
  }
}
