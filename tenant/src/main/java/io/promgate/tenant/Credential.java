package io.promgate.tenant;

import java.util.Optional;
import java.util.Set;

/**
 * One configured credential (a basic-auth user, or a bearer token when {@code user} is empty) and the
 * tenants it may read and write; {@code *} grants every tenant.
 *
 * @param name shown in messages and logs instead of the secret
 */
public record Credential(String name, Optional<String> user, SecretHash secret, Set<String> read, Set<String> write) {
  public Credential {
    read = Set.copyOf(read);
    write = Set.copyOf(write);
  }

  /** True when this credential may act on every tenant of {@code tenants} (both of {@code a|b}). */
  public boolean grants(TenantSet tenants, boolean forWrite) {
    Set<String> granted = forWrite ? write : read;
    if (granted.contains("*")) {
      return true;
    }
    for (String t : tenants.ids()) {
      if (!granted.contains(t)) {
        return false;
      }
    }
    return true;
  }

  /** True when this credential may read {@code tenant}. */
  public boolean mayRead(String tenant) {
    return read.contains("*") || read.contains(tenant);
  }
}
