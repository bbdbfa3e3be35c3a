package io.promgate.gateway.store;

import io.promgate.gateway.LocalStore;
import io.promgate.model.Queryable;
import io.promgate.storeapi.TenantQueryables;
import io.promgate.tsdb.MetricMetadata;
import io.promgate.tsdb.Storage;
import io.promgate.tsdb.block.Block;
import io.promgate.tsdb.block.BlockMeta;
import io.promgate.tsdb.head.Head;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tsdb {@link Storage} seen by its two readers: the HTTP read path ({@link LocalStore}, through
 * federation's {@code local} backend) and the gRPC StoreAPI server ({@link TenantQueryables}). Time bounds
 * cover the head, the persisted blocks and the bucket's blocks, so Thanos' Info-based pruning never hides old data.
 */
final class LocalStoreAdapter implements LocalStore, TenantQueryables {
  private final Storage storage;

  LocalStoreAdapter(Storage storage) {
    this.storage = storage;
  }

  @Override
  public Queryable queryable(String tenant) {
    return storage.queryable(tenant);
  }

  @Override
  public Queryable forTenant(String tenant) {
    return storage.queryable(tenant);
  }

  @Override
  public Set<String> tenants() {
    return storage.tenants();
  }

  @Override
  public long minTime(String tenant) {
    long min = storage.head(tenant).map(Head::minTime).orElse(Long.MAX_VALUE);
    List<Block> blocks = storage.blocks(tenant);
    for (Block b : blocks) {
      min = Math.min(min, b.meta().minTime());
    }
    for (BlockMeta m : storage.bucketBlocks(tenant)) {
      min = Math.min(min, m.minTime());
    }
    return min;
  }

  @Override
  public long maxTime(String tenant) {
    long max = storage.head(tenant).map(Head::maxTime).orElse(Long.MIN_VALUE);
    for (Block b : storage.blocks(tenant)) {
      // Block maxTime is exclusive in Prometheus' format; the newest sample is at most maxTime - 1.
      max = Math.max(max, b.meta().maxTime() - 1);
    }
    for (BlockMeta m : storage.bucketBlocks(tenant)) {
      max = Math.max(max, m.maxTime() - 1);
    }
    return max;
  }

  @Override
  public JsonObject metricMetadata(String tenant, String metric, int limit) {
    JsonObject out = new JsonObject();
    for (Map.Entry<String, List<MetricMetadata>> e : storage.metadata(tenant, metric, limit).entrySet()) {
      JsonArray list = new JsonArray();
      for (MetricMetadata m : e.getValue()) {
        list.add(new JsonObject().put("type", m.type()).put("help", m.help()).put("unit", m.unit()));
      }
      out.put(e.getKey(), list);
    }
    return out;
  }
}
