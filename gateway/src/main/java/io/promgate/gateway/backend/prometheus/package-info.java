/**
 * A Prometheus-compatible HTTP API as a federation backend: remote read (streamed XOR chunks, else
 * SAMPLES), the instant-query fallback for backends without remote read, and metadata calls. Whole-query
 * pass-through lives in {@link io.promgate.gateway.backend.PrometheusProxyBackend}.
 */
package io.promgate.gateway.backend.prometheus;
