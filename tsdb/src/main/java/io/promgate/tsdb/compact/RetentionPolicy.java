package io.promgate.tsdb.compact;

import io.promgate.tsdb.block.BlockMeta;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Which whole blocks retention removes, as Prometheus' {@code beyondTimeRetention} and
 * {@code beyondSizeRetention}, with one difference: the time reference is the later of "now" (the injected
 * clock) and the newest block's maxTime. Prometheus measures from the newest block only, so a tenant that
 * stopped writing would keep its data forever; Thanos' compactor measures from now.
 */
public final class RetentionPolicy {
  private RetentionPolicy() {
  }

  /**
   * @param nowMillis the clock's now
   * @param retentionMillis 0 for no time retention
   * @param maxBytes 0 for no size retention
   * @param otherBytes bytes that count against maxBytes besides blocks (WAL)
   * @param size bytes of a block
   */
  public static Set<String> expired(List<BlockMeta> blocks, long nowMillis, long retentionMillis, long maxBytes,
      long otherBytes, ToLongFunction<BlockMeta> size) {
    Set<String> out = new LinkedHashSet<>();
    if (blocks.isEmpty()) {
      return out;
    }
    List<BlockMeta> newestFirst = new ArrayList<>(blocks);
    newestFirst.sort(Comparator.comparingLong(BlockMeta::maxTime).reversed());
    if (retentionMillis > 0) {
      long ref = Math.max(nowMillis, newestFirst.get(0).maxTime());
      for (BlockMeta b : newestFirst) {
        if (b.maxTime() <= ref - retentionMillis) {
          out.add(b.ulid());
        }
      }
    }
    if (maxBytes > 0) {
      long sum = otherBytes;
      for (BlockMeta b : newestFirst) {
        sum += size.applyAsLong(b);
        if (sum > maxBytes) {
          out.add(b.ulid());
        }
      }
    }
    return out;
  }
}
