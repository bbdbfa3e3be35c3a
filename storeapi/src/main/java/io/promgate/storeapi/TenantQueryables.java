package io.promgate.storeapi;

import io.promgate.model.Queryable;
import java.util.Set;

/**
 * The per-tenant stores the StoreAPI server exposes. The gateway adapts the bundled tsdb to it; tests use an
 * in-memory implementation. Every method may block (disk), so the server calls them off the event loop.
 */
public interface TenantQueryables {
  /** The store of one tenant; an empty store for an unknown tenant, never null. */
  Queryable forTenant(String tenant);

  /** Tenants that currently hold data (advertised in all-tenants mode). */
  Set<String> tenants();

  /** Oldest timestamp (ms) the tenant may hold; {@link Long#MAX_VALUE} when it holds nothing. */
  long minTime(String tenant);

  /** Newest timestamp (ms) the tenant may hold; {@link Long#MIN_VALUE} when it holds nothing. */
  long maxTime(String tenant);
}
