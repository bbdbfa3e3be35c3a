package io.promgate.tenant;

/** Where a request's tenant came from; explain and logs show it. */
public enum TenantSource {
  PATH, HEADER, THANOS_HEADER, DEFAULT
}
