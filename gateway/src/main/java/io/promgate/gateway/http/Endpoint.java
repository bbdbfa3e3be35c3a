package io.promgate.gateway.http;

/**
 * The API paths promgate knows, after tenant and {@code /prometheus} prefixes are stripped. {@link #path}
 * is the template used as the {@code handler} label in self metrics (bounded cardinality: label names
 * never become label values).
 */
public enum Endpoint {
  QUERY("/api/v1/query"),
  QUERY_RANGE("/api/v1/query_range"),
  SERIES("/api/v1/series"),
  LABELS("/api/v1/labels"),
  LABEL_VALUES("/api/v1/label/:name/values"),
  METADATA("/api/v1/metadata"),
  QUERY_EXEMPLARS("/api/v1/query_exemplars"),
  FORMAT_QUERY("/api/v1/format_query"),
  PARSE_QUERY("/api/v1/parse_query"),
  RULES("/api/v1/rules"),
  ALERTS("/api/v1/alerts"),
  ALERTMANAGERS("/api/v1/alertmanagers"),
  TARGETS("/api/v1/targets"),
  TARGETS_METADATA("/api/v1/targets/metadata"),
  BUILDINFO("/api/v1/status/buildinfo"),
  STATUS("/api/v1/status/:page"),
  FEDERATE("/federate"),
  WRITE("/api/v1/write"),
  READ("/api/v1/read"),
  OTHER_API("/api/v1/:other"),
  HEALTHY("/-/healthy"),
  READY("/-/ready"),
  METRICS("/metrics"),
  NOT_FOUND("other");

  private final String path;

  Endpoint(String path) {
    this.path = path;
  }

  public String path() {
    return path;
  }

  /** Classifies an API path; never allocates. */
  public static Endpoint of(String p) {
    switch (p) {
      case "/api/v1/query": return QUERY;
      case "/api/v1/query_range": return QUERY_RANGE;
      case "/api/v1/series": return SERIES;
      case "/api/v1/labels": return LABELS;
      case "/api/v1/metadata": return METADATA;
      case "/api/v1/query_exemplars": return QUERY_EXEMPLARS;
      case "/api/v1/format_query": return FORMAT_QUERY;
      case "/api/v1/parse_query": return PARSE_QUERY;
      case "/api/v1/rules": return RULES;
      case "/api/v1/alerts": return ALERTS;
      case "/api/v1/alertmanagers": return ALERTMANAGERS;
      case "/api/v1/targets": return TARGETS;
      case "/api/v1/targets/metadata": return TARGETS_METADATA;
      case "/api/v1/status/buildinfo": return BUILDINFO;
      case "/federate": return FEDERATE;
      case "/api/v1/write", "/api/v1/receive", "/api/v1/push": return WRITE;
      case "/api/v1/read": return READ;
      case "/-/healthy": return HEALTHY;
      case "/-/ready": return READY;
      case "/metrics": return METRICS;
      default:
        if (p.startsWith("/api/v1/label/") && p.endsWith("/values") && p.length() > "/api/v1/label//values".length()) {
          return LABEL_VALUES;
        }
        if (p.startsWith("/api/v1/status/")) {
          return STATUS;
        }
        if (p.startsWith("/api/v1/")) {
          return OTHER_API;
        }
        return NOT_FOUND;
    }
  }

  /** The {@code <name>} of {@code /api/v1/label/<name>/values}, still URL-encoded. */
  public static String labelName(String p) {
    return p.substring("/api/v1/label/".length(), p.length() - "/values".length());
  }
}
