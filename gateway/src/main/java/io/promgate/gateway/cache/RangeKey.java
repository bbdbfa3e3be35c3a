package io.promgate.gateway.cache;

/**
 * What makes two range queries' points at the same time equal: tenant(s), the canonical query (the
 * printer's output, so spacing and matcher order do not matter), step, grid phase ({@code start mod step})
 * and the flags that change answers (dedup, replica labels, partial response, lookback).
 *
 * @param tenants the resolved tenant header value ({@code a|b} for several): never shared across tenants
 */
record RangeKey(String tenants, String query, long stepMs, long phaseMs, String flags) {
  boolean readsTenant(String tenant) {
    if (tenants.equals(tenant)) {
      return true;
    }
    for (String t : tenants.split("\\|")) {
      if (t.equals(tenant)) {
        return true;
      }
    }
    return false;
  }
}
