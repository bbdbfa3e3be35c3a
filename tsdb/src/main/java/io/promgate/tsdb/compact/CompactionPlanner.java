package io.promgate.tsdb.compact;

import io.promgate.tsdb.block.BlockMeta;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which blocks to merge next, following Prometheus' {@code LeveledCompactor.Plan}: blocks sorted by
 * minTime, the newest block left out (it was just cut; leaving it gives backups a full block range), then
 * for each larger range (3x, 9x, 27x the block range) the first aligned range holding more than one block
 * that is either complete (its blocks span the whole range) or entirely before the newest block. Pure
 * function of the metas, so tests need no disk.
 */
public final class CompactionPlanner {
  private CompactionPlanner() {
  }

  /** Blocks to compact into one, or an empty list. */
  public static List<BlockMeta> plan(List<BlockMeta> blocks, long[] ranges) {
    if (ranges.length < 2 || blocks.size() < 2) {
      return List.of();
    }
    List<BlockMeta> ds = new ArrayList<>(blocks);
    ds.sort(Comparator.comparingLong(BlockMeta::minTime));
    ds.remove(ds.size() - 1);
    if (ds.isEmpty()) {
      return List.of();
    }
    long highTime = ds.get(ds.size() - 1).minTime();
    for (int r = 1; r < ranges.length; r++) {
      long iv = ranges[r];
      for (List<BlockMeta> p : splitByRange(ds, iv)) {
        long mint = p.get(0).minTime();
        long maxt = p.get(p.size() - 1).maxTime();
        if (p.size() > 1 && (maxt - mint == iv || maxt <= highTime)) {
          return p;
        }
      }
    }
    return List.of();
  }

  /** Groups consecutive blocks that fit in the same range-aligned window; blocks that fit none are skipped. */
  static List<List<BlockMeta>> splitByRange(List<BlockMeta> ds, long tr) {
    List<List<BlockMeta>> out = new ArrayList<>();
    for (int i = 0; i < ds.size(); ) {
      BlockMeta m = ds.get(i);
      long t0 = Math.floorDiv(m.minTime(), tr) * tr;
      if (m.maxTime() > t0 + tr) {
        i++;
        continue;
      }
      List<BlockMeta> group = new ArrayList<>();
      while (i < ds.size()) {
        BlockMeta b = ds.get(i);
        if (b.minTime() < t0 || b.maxTime() > t0 + tr) {
          break;
        }
        group.add(b);
        i++;
      }
      out.add(group);
    }
    return out;
  }
}
