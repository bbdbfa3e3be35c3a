package io.promgate.storeapi;

/**
 * Optional access check of StoreAPI calls (issue 12): given a call's {@code authorization} metadata and
 * the tenant it reads, says whether it may. The gateway passes its credential policy; {@link #OPEN} (the
 * default) lets everything through. Called on a worker thread, so it may block (bcrypt).
 *
 * <p>{@code tenant} is the {@code thanos-tenant} metadata, else the configured default tenant, else, in
 * all-tenants mode, {@code *}: reading every tenant at once needs a grant on {@code *}.
 */
@FunctionalInterface
public interface StoreApiAccess {
  StoreApiAccess OPEN = (authorization, tenant) -> { };

  /** Returns normally to allow; throws {@link Denied} to refuse. */
  void check(String authorization, String tenant) throws Denied;

  /** A refused call: {@code UNAUTHENTICATED} when the credentials are missing or wrong, else {@code PERMISSION_DENIED}. */
  final class Denied extends RuntimeException {
    private final boolean unauthenticated;

    public Denied(boolean unauthenticated, String message) {
      super(message, null, false, false);
      this.unauthenticated = unauthenticated;
    }

    public boolean unauthenticated() {
      return unauthenticated;
    }
  }
}
