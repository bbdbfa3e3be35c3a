package io.promgate.tenant;

import java.util.List;

/** The tenant(s) a request reads or writes: one id, or several for {@code a|b}. Never empty. */
public record TenantSet(List<String> ids) {
  public TenantSet {
    ids = List.copyOf(ids);
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("a tenant set is never empty");
    }
  }

  public static TenantSet of(String id) {
    return new TenantSet(List.of(id));
  }

  public boolean isMulti() {
    return ids.size() > 1;
  }

  /** The value of the upstream tenant header: {@code a|b} for several tenants, as Mimir reads it. */
  public String headerValue() {
    return ids.size() == 1 ? ids.get(0) : String.join("|", ids);
  }

  @Override
  public String toString() {
    return headerValue();
  }
}
