package io.promgate.gateway.cache;

/**
 * Step-aligned extent slots of one (step, phase): evaluation times are {@code phase + k * step}, and slot
 * {@code i} holds the {@code n = max(1, extent / step)} times {@code k} in {@code [i*n, (i+1)*n)}. Every
 * evaluation time belongs to exactly one slot (a time on a slot boundary starts the next slot), and a
 * slot's sub-request asks for exactly its own times, also when the step does not divide the extent.
 */
record ExtentGrid(long stepMs, long phaseMs, long perSlot) {
  static ExtentGrid of(long stepMs, long phaseMs, long extentMs) {
    return new ExtentGrid(stepMs, phaseMs, Math.max(1, extentMs / stepMs));
  }

  long slotOf(long t) {
    return Math.floorDiv(Math.floorDiv(t - phaseMs, stepMs), perSlot);
  }

  long slotFirst(long slot) {
    return phaseMs + slot * perSlot * stepMs;
  }

  long slotLast(long slot) {
    return phaseMs + ((slot + 1) * perSlot - 1) * stepMs;
  }

  /** The last evaluation time at or before {@code t}. */
  long floor(long t) {
    return phaseMs + Math.floorDiv(t - phaseMs, stepMs) * stepMs;
  }
}
