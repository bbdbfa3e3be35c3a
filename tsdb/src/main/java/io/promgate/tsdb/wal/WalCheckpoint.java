package io.promgate.tsdb.wal;

import io.promgate.tsdb.io.WritableFiles;
import io.promgate.model.Labels;
import io.promgate.tsdb.MetricMetadata;
import io.promgate.tsdb.block.CrashPoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * WAL truncation after blocks are durable, in the spirit of Prometheus' {@code wlog.Checkpoint}: the
 * leading segments whose samples all lie before the persisted watermark are dropped, and a checkpoint file
 * {@code checkpoint.<N>} (same record format) keeps what later segments still need from them: the series
 * records of live series (and metadata). Replay reads the newest checkpoint first, then segments >= N.
 *
 * <p>Crash safety: the checkpoint is written to a temporary file, fsynced and renamed before any segment is
 * deleted; segments below the newest checkpoint are ignored and deleted at the next open. Samples before
 * the watermark that remain in kept segments are skipped at replay by the head's minValidTime, so nothing
 * is counted twice.
 */
public final class WalCheckpoint {
  private static final String PREFIX = "checkpoint.";

  private WalCheckpoint() {
  }

  /** Frames holding series records for (labels, ref) pairs and metadata, in WAL record format. */
  public static final class Builder {
    private final List<Labels> labels = new ArrayList<>();
    private final List<Integer> refs = new ArrayList<>();
    private final List<MetricMetadata> metadata = new ArrayList<>();

    public void series(Labels l, int ref) {
      labels.add(l);
      refs.add(ref);
    }

    public void metadata(MetricMetadata m) {
      metadata.add(m);
    }

    byte[] encode() {
      WalRecords.Out out = new WalRecords.Out(64 + labels.size() * 64);
      for (int from = 0; from < labels.size(); from += 1000) { // records of bounded size
        int to = Math.min(labels.size(), from + 1000);
        int start = out.begin(WalRecords.SERIES);
        out.uvarint(to - from);
        for (int i = from; i < to; i++) {
          out.uvarint(refs.get(i));
          Labels l = labels.get(i);
          out.uvarint(l.size());
          for (int j = 0; j < l.size(); j++) {
            out.string(l.name(j));
            out.string(l.value(j));
          }
        }
        out.end(start);
      }
      if (!metadata.isEmpty()) {
        int start = out.begin(WalRecords.METADATA);
        out.uvarint(metadata.size());
        for (MetricMetadata m : metadata) {
          out.string(m.metricFamily());
          out.string(m.type());
          out.string(m.help());
          out.string(m.unit());
        }
        out.end(start);
      }
      return out.toByteArray();
    }
  }

  /**
   * The first segment to keep: the oldest closed segment (before {@code current}) holding a sample at or
   * after {@code watermark}, or {@code current} when none does.
   */
  public static int firstNeeded(Wal wal, int current, long watermark) throws IOException {
    for (Path seg : wal.segmentsBefore(current)) {
      long[] max = {Long.MIN_VALUE};
      WalReader.replay(seg, new WalVisitor() {
        @Override
        public void series(int ref, Labels labels) {
        }

        @Override
        public void sample(int ref, long t, double v) {
          max[0] = Math.max(max[0], t);
        }

        @Override
        public void metadata(MetricMetadata m) {
        }
      });
      if (max[0] >= watermark) {
        return Integer.parseInt(seg.getFileName().toString());
      }
    }
    return current;
  }

  /** Writes {@code checkpoint.<keepFrom>} durably, then deletes older segments and checkpoints. */
  public static void write(Wal wal, int keepFrom, Builder content) throws IOException {
    Path dir = wal.dir();
    Path tmp = dir.resolve(PREFIX + Wal.name(keepFrom) + ".tmp");
    Path fin = dir.resolve(PREFIX + Wal.name(keepFrom));
    try (FileChannel ch = WritableFiles.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(content.encode());
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    Files.move(tmp, fin, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    fsyncDir(dir);
    CrashPoint.hit("after-wal-checkpoint");
    deleteBefore(dir, keepFrom);
  }

  /** Replays the newest checkpoint (if any) and returns the first segment number that counts. */
  static int replayLatest(Path dir, WalVisitor visitor) throws IOException {
    int newest = -1;
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        String n = p.getFileName().toString();
        if (n.startsWith(PREFIX) && n.endsWith(".tmp")) {
          Files.deleteIfExists(p);
        } else if (n.matches("checkpoint\\.\\d{8}")) {
          newest = Math.max(newest, Integer.parseInt(n.substring(PREFIX.length())));
        }
      }
    }
    if (newest < 0) {
      return 0;
    }
    Path cp = dir.resolve(PREFIX + Wal.name(newest));
    long good = WalReader.replay(cp, visitor);
    if (good != Files.size(cp)) {
      throw new IOException("WAL checkpoint " + cp + " is corrupt at offset " + good);
    }
    deleteBefore(dir, newest);
    return newest;
  }

  private static void deleteBefore(Path dir, int keepFrom) throws IOException {
    boolean deleted = false;
    for (int seg : Wal.segments(dir)) {
      if (seg < keepFrom) {
        Files.deleteIfExists(dir.resolve(Wal.name(seg)));
        deleted = true;
      }
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        String n = p.getFileName().toString();
        if (n.matches("checkpoint\\.\\d{8}") && Integer.parseInt(n.substring(PREFIX.length())) < keepFrom) {
          Files.deleteIfExists(p);
          deleted = true;
        }
      }
    }
    if (deleted) {
      fsyncDir(dir);
    }
  }

  private static void fsyncDir(Path dir) throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }
}
