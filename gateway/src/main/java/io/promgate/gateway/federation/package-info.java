/**
 * Federation: one Prometheus API over several backends (DESIGN.md, "Read path").
 *
 * <pre>
 * FederationPlugin ── builds per backend: BackendStore (prometheus | storeapi | local) + BackendGuard
 *                  └─ installs FederatedBackend (QueryBackend)
 * FederatedBackend ── parse → SelectorRanges → TimeRangePlanner (routing.plan)
 *                  ├─ one prometheus backend without external labels serves it all → pass-through
 *                  └─ FederatedQueryable.prefetch (all selects at once, joined) → Prefetched
 *                       → Engine on a worker thread → ResultJson
 * MetadataFederation ── series / labels / label values / metadata, same planning and identity rules
 * </pre>
 *
 * <p>Never here: evaluation on the event loop, I/O during evaluation (the engine only sees
 * {@link io.promgate.gateway.federation.Prefetched}), or a backend reached for a tenant whose route does
 * not name it.
 */
package io.promgate.gateway.federation;
