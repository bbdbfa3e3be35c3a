package io.promgate.tsdb.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one door through which the store opens files for writing (WAL segments and checkpoints, block
 * chunks, index, meta and tombstones), so that tests can make a directory tree behave like a full disk.
 *
 * <p>Faults are registered per directory rather than per {@code Storage} instance: block and WAL writers
 * are static helpers deep below the store, and threading an instance through all of them would change a
 * dozen signatures for the benefit of tests only. Tests use unique temporary directories, so registrations
 * of tests running in parallel never meet. With nothing registered, an open costs one empty-map check.
 */
public final class WritableFiles {
  private static final Map<Path, DiskQuota> FAULTS = new ConcurrentHashMap<>();

  private WritableFiles() {
  }

  /** {@link FileChannel#open}, through the quota registered for a directory above {@code file}, if any. */
  public static FileChannel open(Path file, OpenOption... options) throws IOException {
    FileChannel ch = FileChannel.open(file, options);
    if (FAULTS.isEmpty()) {
      return ch;
    }
    Path abs = file.toAbsolutePath().normalize();
    for (Map.Entry<Path, DiskQuota> e : FAULTS.entrySet()) {
      if (abs.startsWith(e.getKey())) {
        return new QuotaChannel(ch, e.getValue());
      }
    }
    return ch;
  }

  /** Makes every file later opened for writing under {@code root} count against {@code quota} (tests). */
  public static void injectFaults(Path root, DiskQuota quota) {
    FAULTS.put(root.toAbsolutePath().normalize(), quota);
  }

  public static void clearFaults(Path root) {
    FAULTS.remove(root.toAbsolutePath().normalize());
  }
}
