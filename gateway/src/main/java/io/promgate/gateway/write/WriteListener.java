package io.promgate.gateway.write;

/**
 * Told after samples are durably stored, with the time span they cover, so that whatever holds answers
 * derived from older data (the results cache) can drop them. Called on the write's context; must not block.
 */
@FunctionalInterface
public interface WriteListener {
  WriteListener NONE = (tenant, mint, maxt) -> { };

  void written(String tenant, long mint, long maxt);
}
