package io.promgate.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

class ExtentGridTest {
  /** Every evaluation time is in exactly one slot, slots are step-aligned and tile the time line. */
  @Property(tries = 300)
  void everyTimeBelongsToExactlyOneSlot(@ForAll @LongRange(min = 1, max = 7_200_000) long step,
      @ForAll @LongRange(min = 0, max = 7_199_999) long phaseSeed, @ForAll @LongRange(min = 60_000, max = 172_800_000) long extent,
      @ForAll @LongRange(min = -1_000_000, max = 1_000_000) long k) {
    long phase = phaseSeed % step;
    ExtentGrid g = ExtentGrid.of(step, phase, extent);
    long t = phase + k * step;
    long slot = g.slotOf(t);
    assertThat(g.slotFirst(slot)).isLessThanOrEqualTo(t);
    assertThat(g.slotLast(slot)).isGreaterThanOrEqualTo(t);
    assertThat(g.slotLast(slot) + step).isEqualTo(g.slotFirst(slot + 1));
    assertThat(Math.floorMod(g.slotFirst(slot) - phase, step)).isZero();
    assertThat(g.slotLast(slot) - g.slotFirst(slot)).isLessThan(Math.max(extent, step));
    assertThat(g.floor(t + step - 1)).isEqualTo(t);
  }
}
