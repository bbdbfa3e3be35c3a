package io.promgate.gateway.security;

import io.promgate.routing.config.PromgateConfig;
import io.promgate.routing.config.SecurityConfig;
import io.promgate.tenant.AccessPolicy;
import io.promgate.tenant.Credential;
import io.promgate.tenant.CredentialAccessPolicy;
import io.promgate.tenant.SecretHash;
import java.util.HashSet;
import java.util.List;

/**
 * Turns {@code tenancy} config into the {@link AccessPolicy} of the HTTP edge (and of the StoreAPI, via
 * {@link StoreApiAccessCheck}): {@link AccessPolicy#ALLOW_ALL} unless {@code require-auth: true}.
 */
public final class AccessPolicies {
  private AccessPolicies() {}

  public static AccessPolicy of(PromgateConfig.Tenancy tenancy) {
    return tenancy.requireAuth() ? credentials(tenancy) : AccessPolicy.ALLOW_ALL;
  }

  /** The credential policy even when auth is not required (e.g. for a StoreAPI that always checks). */
  public static CredentialAccessPolicy credentials(PromgateConfig.Tenancy tenancy) {
    List<Credential> creds = tenancy.credentials().stream().map(AccessPolicies::credential).toList();
    return new CredentialAccessPolicy(creds);
  }

  private static Credential credential(SecurityConfig.Credential c) {
    // The config loader has validated the hash format; parse again here so the tenant module owns it.
    return new Credential(c.name(), c.user(), SecretHash.parse(c.secretHash()), new HashSet<>(c.read()),
        new HashSet<>(c.write()));
  }
}
