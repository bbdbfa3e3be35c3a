package io.promgate.tsdb;

/** Why the store refused a sample. Each maps to one remote-write status class. */
public enum RejectReason {
  /** Timestamp before the series' newest sample (409). */
  OUT_OF_ORDER("out of order sample"),
  /** Same timestamp as the newest sample with a different value (409). */
  DUPLICATE("duplicate sample for timestamp"),
  /** Older than {@code storage.head-window} before the tenant's newest sample (409). */
  TOO_OLD("out of bounds: sample too old"),
  /** A new series over the tenant's active series limit (400). */
  SERIES_LIMIT("per-tenant active series limit exceeded");

  private final String text;

  RejectReason(String text) {
    this.text = text;
  }

  /** Prometheus-style wording, used in response bodies. */
  public String text() {
    return text;
  }
}
