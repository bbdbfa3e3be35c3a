package io.promgate.gateway.store;

import io.promgate.gateway.metrics.SelfMetrics;
import io.promgate.tsdb.Storage;

/**
 * The bundled store's figures on {@code /metrics}: only values the store keeps anyway (series count, block
 * count, fsyncs), read at scrape time, so exposing them costs nothing on the write path.
 */
final class StoreMetrics implements SelfMetrics.MetricsSource {
  private final Storage storage;

  StoreMetrics(Storage storage) {
    this.storage = storage;
  }

  @Override
  public void writeTo(StringBuilder out) {
    out.append("# HELP promgate_store_head_series Series in the in-memory head of the bundled store.\n")
        .append("# TYPE promgate_store_head_series gauge\n");
    for (String t : storage.tenants()) {
      storage.head(t).ifPresent(h -> out.append("promgate_store_head_series{tenant=\"").append(escape(t))
          .append("\"} ").append(h.numSeries()).append('\n'));
    }
    out.append("# HELP promgate_store_blocks Persisted blocks of the bundled store.\n")
        .append("# TYPE promgate_store_blocks gauge\n");
    for (String t : storage.tenants()) {
      out.append("promgate_store_blocks{tenant=\"").append(escape(t)).append("\"} ")
          .append(storage.blocks(t).size()).append('\n');
    }
    out.append("# HELP promgate_store_samples_accepted_total Samples accepted since start (WAL replay not counted).\n")
        .append("# TYPE promgate_store_samples_accepted_total counter\n");
    for (String t : storage.tenants()) {
      out.append("promgate_store_samples_accepted_total{tenant=\"").append(escape(t)).append("\"} ")
          .append(storage.acceptedSamples(t)).append('\n');
    }
    headTime(out, "min", "Oldest");
    headTime(out, "max", "Newest");
    out.append("# HELP promgate_store_wal_fsyncs_total WAL fsyncs (group commit: many writes share one).\n")
        .append("# TYPE promgate_store_wal_fsyncs_total counter\n")
        .append("promgate_store_wal_fsyncs_total ").append(storage.fsyncCount()).append('\n');
    out.append("# HELP promgate_tsdb_quarantined_blocks_total Corrupt blocks moved to <tenant>/quarantine/ at start.\n")
        .append("# TYPE promgate_tsdb_quarantined_blocks_total counter\n")
        .append("promgate_tsdb_quarantined_blocks_total ").append(storage.quarantinedBlocks()).append('\n');
    out.append("# HELP promgate_wal_corruptions_total Corrupt or torn WAL places cut off, and corrupt WAL checkpoints moved to <tenant>/quarantine/, at start.\n")
        .append("# TYPE promgate_wal_corruptions_total counter\n")
        .append("promgate_wal_corruptions_total ").append(storage.walCorruptions()).append('\n');
    out.append("# HELP promgate_store_write_failures_total Writes refused with 503 because the store could not "
            + "write (e.g. disk full).\n")
        .append("# TYPE promgate_store_write_failures_total counter\n")
        .append("promgate_store_write_failures_total ").append(storage.writeFailures()).append('\n');
  }

  private void headTime(StringBuilder out, String which, String what) {
    String name = "promgate_store_head_" + which + "_time_seconds";
    out.append("# HELP ").append(name).append(' ').append(what).append(" sample time in the head, in seconds.\n")
        .append("# TYPE ").append(name).append(" gauge\n");
    for (String t : storage.tenants()) {
      storage.head(t).filter(h -> h.numSeries() > 0).ifPresent(h -> {
        long ms = which.equals("min") ? h.minTime() : h.maxTime();
        out.append(name).append("{tenant=\"").append(escape(t)).append("\"} ").append(io.promgate.promql.engine.ValueFormat.formatTimestamp(ms)).append('\n');
      });
    }
  }

  private static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
