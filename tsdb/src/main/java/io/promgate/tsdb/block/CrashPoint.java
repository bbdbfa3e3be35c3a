package io.promgate.tsdb.block;

/**
 * Deterministic crash points for tests: when system property {@code promgate.crashpoint} names a step, the
 * JVM halts there as abruptly as kill -9 would (no shutdown hooks, no flushing), so child-JVM tests can
 * check recovery from exactly that moment. Costs one property read per step otherwise.
 *
 * <p>Steps: {@code after-block-tmp-written}, {@code before-block-rename}, {@code after-block-rename}
 * (block durable, head and WAL not yet truncated), {@code after-wal-checkpoint} (checkpoint written, old
 * segments not yet deleted), {@code compaction-after-rename} (merged block durable, sources not deleted),
 * {@code compaction-after-first-delete} (some sources deleted).
 */
public final class CrashPoint {
  public static final String PROPERTY = "promgate.crashpoint";

  private CrashPoint() {
  }

  public static void hit(String step) {
    if (step.equals(System.getProperty(PROPERTY))) {
      System.out.flush();
      System.err.println("crash point " + step + ": halting");
      Runtime.getRuntime().halt(137);
    }
  }
}
