package io.promgate.tsdb.compact;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.tsdb.block.BlockMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The planner and retention rules on metas alone (cases after Prometheus' compact_test.go TestLeveledCompactor_plan). */
class CompactionPlannerTest {
  static final long[] RANGES = {20, 60, 180, 540};

  static BlockMeta m(String id, long min, long max) {
    return new BlockMeta(id, min, max, 0, 0, 0, 1, List.of(id), List.of(), Map.of());
  }

  static List<String> plan(BlockMeta... ms) {
    return CompactionPlanner.plan(List.of(ms), RANGES).stream().map(BlockMeta::ulid).toList();
  }

  @Test
  void followsPrometheusLeveledPlan() {
    assertThat(plan()).isEmpty();
    assertThat(plan(m("1", 0, 20))).isEmpty();
    assertThat(plan(m("1", 0, 20), m("2", 20, 40))).as("newest block is left alone").isEmpty();
    assertThat(plan(m("1", 0, 20), m("2", 20, 40), m("3", 40, 60))).as("range not complete, nothing before newest")
        .isEmpty();
    assertThat(plan(m("1", 0, 20), m("2", 20, 40), m("3", 40, 60), m("4", 60, 80))).containsExactly("1", "2", "3");
    assertThat(plan(m("1", 0, 60), m("4", 60, 80), m("5", 80, 100), m("6", 100, 120), m("7", 120, 140)))
        .containsExactly("4", "5", "6");
    assertThat(plan(m("1", 0, 60), m("2", 60, 120), m("3", 120, 180), m("4", 180, 200)))
        .as("next level").containsExactly("1", "2", "3");
    assertThat(plan(m("1", 0, 20), m("3", 40, 60), m("4", 60, 80))).as("gap in a range before the newest block")
        .containsExactly("1", "3");
    assertThat(plan(m("1", 0, 20), m("2", 20, 40), m("5", 120, 140))).as("highTime is the second-newest's minTime")
        .isEmpty();
    assertThat(plan(m("1", 0, 20), m("2", 20, 40), m("5", 120, 140), m("6", 140, 160)))
        .as("incomplete range entirely before the newest (considered) block").containsExactly("1", "2");
    assertThat(plan(m("1", 0, 540), m("2", 540, 560), m("3", 560, 580))).isEmpty();
  }

  @Test
  void retentionByTimeAndSize() {
    List<BlockMeta> bs = new ArrayList<>(List.of(m("a", 0, 100), m("b", 100, 200), m("c", 200, 300)));
    assertThat(RetentionPolicy.expired(bs, 0, 150, 0, 0, x -> 10)).as("newest block is the reference")
        .containsExactly("a");
    assertThat(RetentionPolicy.expired(bs, 451, 150, 0, 0, x -> 10)).as("the clock is the reference")
        .containsExactlyInAnyOrder("a", "b", "c");
    assertThat(RetentionPolicy.expired(bs, 449, 150, 0, 0, x -> 10)).containsExactlyInAnyOrder("a", "b");
    assertThat(RetentionPolicy.expired(bs, 0, 0, 25, 0, x -> 10)).as("size: oldest go first").containsExactly("a");
    assertThat(RetentionPolicy.expired(bs, 0, 0, 25, 6, x -> 10)).as("WAL counts")
        .isEqualTo(Set.of("a", "b"));
    assertThat(RetentionPolicy.expired(bs, 0, 0, 0, 0, x -> 10)).isEmpty();
  }
}
