package io.promgate.routing.plan;

/** A backend left out of a selector's fan-out, and why (Thanos' ProxyStore {@code (ok, reason)}). */
public record Pruned(String backend, Reason reason, String detail) {
  public enum Reason {
    /** The backend's windows do not intersect the selector's data range. */
    TIME_RANGE,
    /** A matcher on one of the backend's external labels cannot match its value. */
    EXTERNAL_LABELS,
    /** The backend is not routed for this tenant. */
    TENANT
  }

  @Override
  public String toString() {
    return backend + ": " + reason.name().toLowerCase(java.util.Locale.ROOT) + " (" + detail + ")";
  }
}
