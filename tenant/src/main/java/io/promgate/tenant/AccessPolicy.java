package io.promgate.tenant;

import java.util.function.Function;

/**
 * Hook for issue 12 (per-tenant credentials, {@code tenancy.require-auth}): decides whether the caller, by
 * its request headers, may act on the resolved tenants. Returns null to allow, or the rejection (401
 * {@code unauthorized} or 403 {@code forbidden}). Today only {@link #ALLOW_ALL} exists.
 */
@FunctionalInterface
public interface AccessPolicy {
  AccessPolicy ALLOW_ALL = (tenants, headers, write) -> null;

  TenantResolution.Rejected check(TenantSet tenants, Function<String, String> headers, boolean write);
}
