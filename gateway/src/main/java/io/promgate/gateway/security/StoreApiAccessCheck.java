package io.promgate.gateway.security;

import io.promgate.routing.config.PromgateConfig;
import io.promgate.storeapi.StoreApiAccess;
import io.promgate.tenant.CredentialAccessPolicy;

/**
 * The StoreAPI side of {@code tenancy.require-auth}: a gRPC call's {@code authorization} metadata is
 * checked against the same credentials as HTTP requests, and must grant read on the call's tenant. Pass
 * {@link #of} to {@code StoreApiServer.start(vertx, stores, config, access)}.
 */
public final class StoreApiAccessCheck implements StoreApiAccess {
  private final CredentialAccessPolicy policy;

  private StoreApiAccessCheck(CredentialAccessPolicy policy) {
    this.policy = policy;
  }

  /** {@link StoreApiAccess#OPEN} unless {@code require-auth: true}. */
  public static StoreApiAccess of(PromgateConfig.Tenancy tenancy) {
    return tenancy.requireAuth() ? new StoreApiAccessCheck(AccessPolicies.credentials(tenancy)) : StoreApiAccess.OPEN;
  }

  @Override
  public void check(String authorization, String tenant) {
    CredentialAccessPolicy.Authenticated a = policy.authenticate(authorization);
    if (a.rejection() != null) {
      throw new Denied(true, a.rejection().message());
    }
    if (!a.credential().mayRead(tenant)) {
      throw new Denied(false, "credential \"" + a.credential().name() + "\" may not read tenant \"" + tenant + "\"");
    }
  }
}
