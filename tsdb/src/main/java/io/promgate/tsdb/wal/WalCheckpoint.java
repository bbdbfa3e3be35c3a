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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger LOG = LoggerFactory.getLogger(WalCheckpoint.class);
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

  /**
   * Where replay starts: the first segment that counts, and how many corrupt checkpoints were moved aside
   * on the way there.
   */
  record Start(int first, int corruptions) {
  }

  /**
   * Replays the newest checkpoint (if any) and returns the first segment number that counts.
   *
   * <p>A corrupt checkpoint (a record failing its CRC or not decoding, a torn end, an unreadable file) is
   * moved to {@code quarantine} (the tenant's {@code quarantine/} dir, next to corrupt blocks) and the store
   * starts anyway, like Prometheus repairs a corrupt WAL instead of refusing to start. What that means for
   * acknowledged data:
   *
   * <ul>
   *   <li>A checkpoint holds no samples, only the series records (ref → labels) and metadata of live series
   *       created in the segments it replaced; the samples of those segments were all before the block
   *       watermark, i.e. they are in blocks. So the checkpoint itself loses no samples.
   *   <li>But the segments after it ({@code >= N}) refer to those series by ref only. Their samples (the
   *       acknowledged ones not yet in a block) can be attributed only if the series record survives. When
   *       the state the checkpoint replaced is still complete on disk (a crash between writing checkpoint N
   *       and deleting what it replaced: the older checkpoint, if any, and every segment from it up to N-1,
   *       all intact), we fall back to that and lose nothing.
   *   <li>Otherwise the records before the damage are kept (each passed its CRC, so they are what was
   *       written) and so are all series created after the checkpoint; samples of series whose record was
   *       only in the damaged part cannot be attributed to any labels and are skipped (the replay counts
   *       and logs them). They are lost locally; that is the part that cannot be recovered, short of an
   *       operator repairing the quarantined file. Later samples of those series are accepted again as new
   *       series once their targets send them.
   *   <li>Leftover segments and checkpoints before N of an incomplete older state go to quarantine too:
   *       their data is either in blocks or cannot be replayed in order.
   * </ul>
   */
  static Start replayLatest(Path dir, Path quarantine, WalVisitor visitor) throws IOException {
    List<Integer> checkpoints = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        String n = p.getFileName().toString();
        if (n.startsWith(PREFIX) && n.endsWith(".tmp")) {
          Files.deleteIfExists(p);
        } else if (n.matches("checkpoint\\.\\d{8}")) {
          checkpoints.add(Integer.parseInt(n.substring(PREFIX.length())));
        }
      }
    }
    checkpoints.sort(null);
    int corruptions = 0;
    while (!checkpoints.isEmpty()) {
      int newest = checkpoints.remove(checkpoints.size() - 1);
      Path cp = dir.resolve(PREFIX + Wal.name(newest));
      Buffered b = Buffered.read(cp);
      if (b.error == null) {
        b.replay(visitor);
        deleteBefore(dir, newest);
        return new Start(newest, corruptions);
      }
      corruptions++;
      int older = checkpoints.isEmpty() ? -1 : checkpoints.get(checkpoints.size() - 1);
      boolean fallback = olderStateComplete(dir, older < 0 ? 0 : older, newest);
      Path moved = moveAside(dir, cp, quarantine);
      if (fallback) {
        LOG.error("WAL {}: checkpoint {} is corrupt ({}); moved it to {}; the state it replaced is still"
            + " complete, replaying that instead", dir, cp.getFileName(), b.error, moved);
        continue;
      }
      LOG.error("WAL {}: checkpoint {} is corrupt ({}); moved it to {}; replaying the {} bytes before the"
          + " damage and the segments after it. Samples of series whose record was in the damaged part are"
          + " skipped", dir, cp.getFileName(), b.error, moved, b.good);
      b.replay(visitor);
      // The good prefix becomes checkpoint N again: the next start must find these series records too.
      rewritePrefix(dir, moved, cp, b.good);
      for (int seg : Wal.segments(dir)) {
        if (seg < newest) {
          moveAside(dir, dir.resolve(Wal.name(seg)), quarantine);
        }
      }
      for (int c : checkpoints) {
        moveAside(dir, dir.resolve(PREFIX + Wal.name(c)), quarantine);
      }
      return new Start(newest, corruptions);
    }
    // No checkpoint (left): segments count from 0, or from where a dropped corrupt checkpoint fell back to.
    return new Start(0, corruptions);
  }

  /** Whether the older checkpoint {@code from} (or segment 0 when none) and segments from..to-1 are intact. */
  private static boolean olderStateComplete(Path dir, int from, int to) throws IOException {
    List<Integer> segs = Wal.segments(dir);
    for (int s = from; s < to; s++) {
      if (!segs.contains(s)) {
        return false;
      }
      Path p = dir.resolve(Wal.name(s));
      try {
        WalReader.Result r = WalReader.read(p, NOOP);
        if (!r.ended() || r.good() != Files.size(p)) {
          return false; // closed segments end in their end record; repairing one would cut off the rest
        }
      } catch (IOException e) {
        return false;
      }
    }
    Path older = dir.resolve(PREFIX + Wal.name(from));
    return !Files.exists(older) || Buffered.read(older).error == null;
  }

  private static void rewritePrefix(Path dir, Path from, Path to, long length) throws IOException {
    Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
    try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
        FileChannel out = WritableFiles.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      long done = 0;
      while (done < length) {
        done += in.transferTo(done, length - done, out);
      }
      out.force(true);
    }
    Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE);
    fsyncDir(dir);
  }

  private static Path moveAside(Path dir, Path file, Path quarantine) throws IOException {
    Files.createDirectories(quarantine);
    String base = "wal-" + file.getFileName();
    Path target = quarantine.resolve(base);
    if (Files.exists(target)) {
      target = quarantine.resolve(base + "." + System.currentTimeMillis());
    }
    Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
    fsyncDir(dir);
    fsyncDir(quarantine);
    return target;
  }

  private static final WalVisitor NOOP = new WalVisitor() {
    @Override
    public void series(int ref, Labels labels) {
    }

    @Override
    public void sample(int ref, long t, double v) {
    }

    @Override
    public void metadata(MetricMetadata m) {
    }
  };

  /**
   * A checkpoint's good records, held back until we know whether the file is intact: a corrupt one may be
   * replaced by the older state, which must not see a mix of both.
   */
  private static final class Buffered implements WalVisitor {
    private final List<Object> records = new ArrayList<>();
    private long good;
    private String error;

    private record Series(int ref, Labels labels) {
    }

    static Buffered read(Path cp) {
      Buffered b = new Buffered();
      try {
        WalReader.Result r = WalReader.read(cp, b);
        b.good = r.good();
        long size = Files.size(cp);
        if (r.ended() || r.good() != size) { // checkpoints have no segment-end record
          b.error = "bad record at offset " + r.good() + " of " + size + " bytes";
        }
      } catch (IOException | RuntimeException e) {
        b.error = e.toString();
      }
      return b;
    }

    @Override
    public void series(int ref, Labels labels) {
      records.add(new Series(ref, labels));
    }

    @Override
    public void sample(int ref, long t, double v) {
      // checkpoints hold none; a decodable sample record in one is ignored like any replayed stale sample
    }

    @Override
    public void metadata(MetricMetadata m) {
      records.add(m);
    }

    void replay(WalVisitor v) {
      for (Object o : records) {
        if (o instanceof Series s) {
          v.series(s.ref(), s.labels());
        } else {
          v.metadata((MetricMetadata) o);
        }
      }
    }
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
