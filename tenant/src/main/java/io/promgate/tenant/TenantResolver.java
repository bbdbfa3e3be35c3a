package io.promgate.tenant;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;

/**
 * Who is asking (DESIGN.md, "Tenants"): a {@code /tenant/<id>/} path prefix wins and overwrites any tenant
 * header; then {@code X-Scope-OrgID}; then {@code THANOS-TENANT}; then the configured default; with no
 * default the request is refused with 401. After the tenant prefix an optional {@code /prometheus} prefix
 * (Mimir-style URLs) is removed too. Pure logic: headers come in through a lookup function so the HTTP
 * layer decides how they are stored.
 */
public final class TenantResolver {
  public static final String ORG_ID_HEADER = "X-Scope-OrgID";
  public static final String THANOS_TENANT_HEADER = "THANOS-TENANT";
  private static final String TENANT_PREFIX = "/tenant/";
  private static final String PROMETHEUS_PREFIX = "/prometheus";

  private final Optional<TenantSet> defaultTenant;
  private final AccessPolicy policy;

  public TenantResolver(Optional<String> defaultTenant, AccessPolicy policy) {
    this.defaultTenant = defaultTenant.map(TenantIds::parse);
    this.policy = policy;
  }

  public TenantResolution resolve(String path, Function<String, String> headers, boolean write) {
    TenantResolution r = resolveIdentity(path, headers);
    if (r instanceof TenantResolution.Resolved ok) {
      TenantResolution.Rejected denied = policy.check(ok.tenants(), headers, write);
      if (denied != null) {
        return denied;
      }
    }
    return r;
  }

  /** The access policy, for callers that check it apart from {@link #resolveIdentity} (off the event loop). */
  public AccessPolicy policy() {
    return policy;
  }

  /**
   * Who the request names, without asking the {@link AccessPolicy}: for callers that must run a slow check
   * elsewhere ({@link AccessPolicy#mayBlock}) or that learn only from the API path whether it is a write.
   */
  public TenantResolution resolveIdentity(String path, Function<String, String> headers) {
    try {
      if (path.startsWith(TENANT_PREFIX)) {
        int end = path.indexOf('/', TENANT_PREFIX.length());
        String raw = end < 0 ? path.substring(TENANT_PREFIX.length()) : path.substring(TENANT_PREFIX.length(), end);
        String rest = end < 0 ? "/" : path.substring(end);
        String id = raw.indexOf('%') >= 0 ? URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8) : raw;
        return new TenantResolution.Resolved(TenantIds.parse(id), stripPrometheus(rest), TenantSource.PATH);
      }
      String apiPath = stripPrometheus(path);
      String h = headers.apply(ORG_ID_HEADER);
      if (h != null && !h.isEmpty()) {
        return new TenantResolution.Resolved(TenantIds.parse(h), apiPath, TenantSource.HEADER);
      }
      h = headers.apply(THANOS_TENANT_HEADER);
      if (h != null && !h.isEmpty()) {
        return new TenantResolution.Resolved(TenantIds.parse(h), apiPath, TenantSource.THANOS_HEADER);
      }
      if (defaultTenant.isPresent()) {
        return new TenantResolution.Resolved(defaultTenant.get(), apiPath, TenantSource.DEFAULT);
      }
      return new TenantResolution.Rejected(401, "unauthorized",
          "no tenant: use a /tenant/<id>/ URL or an " + ORG_ID_HEADER + " header");
    } catch (InvalidTenantException e) {
      return new TenantResolution.Rejected(400, "bad_data", e.getMessage());
    } catch (IllegalArgumentException e) {
      return new TenantResolution.Rejected(400, "bad_data", "bad tenant in path: " + e.getMessage());
    }
  }

  private static String stripPrometheus(String path) {
    if (path.startsWith(PROMETHEUS_PREFIX)) {
      if (path.length() == PROMETHEUS_PREFIX.length()) {
        return "/";
      }
      if (path.charAt(PROMETHEUS_PREFIX.length()) == '/') {
        return path.substring(PROMETHEUS_PREFIX.length());
      }
    }
    return path;
  }
}
