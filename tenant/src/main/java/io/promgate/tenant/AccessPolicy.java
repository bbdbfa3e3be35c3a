package io.promgate.tenant;

import java.util.function.Function;

/**
 * Decides whether the caller, by its request headers, may act on the resolved tenants
 * ({@code tenancy.require-auth}, issue 12). Returns null to allow, or the rejection (401
 * {@code unauthorized} or 403 {@code forbidden}). {@link #ALLOW_ALL} when auth is off;
 * {@link CredentialAccessPolicy} when it is on.
 */
@FunctionalInterface
public interface AccessPolicy {
  AccessPolicy ALLOW_ALL = (tenants, headers, write) -> null;

  /** May block (bcrypt) when {@link #mayBlock} says so for the same headers: then call it on a worker. */
  TenantResolution.Rejected check(TenantSet tenants, Function<String, String> headers, boolean write);

  /** True when {@link #check} would do slow work (an uncached bcrypt verification) for these headers. */
  default boolean mayBlock(Function<String, String> headers) {
    return false;
  }
}
