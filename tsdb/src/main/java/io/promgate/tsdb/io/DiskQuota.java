package io.promgate.tsdb.io;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulated disk for {@link WritableFiles}: writes beyond the free bytes fail the way a full Linux disk
 * fails them (the part that fits is written, then {@code IOException: No space left on device}), truncation
 * gives space back, and fsyncs can be made to fail. Free space can be changed at any time, so a test can
 * fill the disk and free it again while the store runs.
 */
public final class DiskQuota {
  private final AtomicLong free;
  private volatile boolean failFsync;

  private DiskQuota(long free) {
    this.free = new AtomicLong(free);
  }

  public static DiskQuota withFreeBytes(long bytes) {
    return new DiskQuota(bytes);
  }

  public static DiskQuota unlimited() {
    return new DiskQuota(Long.MAX_VALUE / 2);
  }

  public void setFreeBytes(long bytes) {
    free.set(bytes);
  }

  public long freeBytes() {
    return free.get();
  }

  public void failFsync(boolean fail) {
    failFsync = fail;
  }

  /** Reserves up to {@code want} bytes; returns how many may be written (0 when full). */
  int reserve(int want) {
    while (true) {
      long f = free.get();
      int take = (int) Math.min(want, Math.max(0, f));
      if (free.compareAndSet(f, f - take)) {
        return take;
      }
    }
  }

  void release(long bytes) {
    free.addAndGet(bytes);
  }

  void checkFsync() throws IOException {
    if (failFsync) {
      throw new IOException("Input/output error (injected fsync failure)");
    }
  }

  static IOException noSpace() {
    return new IOException("No space left on device");
  }
}
