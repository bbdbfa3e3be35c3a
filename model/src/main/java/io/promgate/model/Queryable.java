package io.promgate.model;

/** A store that can be read, as Prometheus' {@code storage.Queryable}. */
@FunctionalInterface
public interface Queryable {
  /** A querier over [mint, maxt], both in milliseconds and inclusive. */
  Querier querier(long mint, long maxt);
}
