package io.promgate.gateway.backend;

import io.promgate.gateway.http.Endpoint;

/**
 * Empty but valid answers for the endpoints a backend without rules or scrape targets cannot fill: Grafana
 * calls rules/alerts/targets on every datasource and must get a success, never a 404 (DESIGN.md,
 * "HTTP API"). Shapes as Prometheus' API returns them with nothing configured.
 */
public final class EmptyAnswers {
  private EmptyAnswers() {}

  /** The empty answer for {@code endpoint}, or null when there is none (the caller decides). */
  public static ApiResponse forEndpoint(Endpoint endpoint) {
    String data = dataJson(endpoint);
    return data == null ? null : ApiResponse.success(data);
  }

  /** The {@code data} part of the empty answer, or null. */
  public static String dataJson(Endpoint endpoint) {
    return switch (endpoint) {
      case RULES -> "{\"groups\":[]}";
      case ALERTS -> "{\"alerts\":[]}";
      case TARGETS -> "{\"activeTargets\":[],\"droppedTargets\":[]}";
      case TARGETS_METADATA, QUERY_EXEMPLARS -> "[]";
      case ALERTMANAGERS -> "{\"activeAlertmanagers\":[],\"droppedAlertmanagers\":[]}";
      default -> null;
    };
  }
}
