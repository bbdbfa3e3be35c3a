package io.promgate.tsdb.wal;

import io.promgate.tsdb.io.WritableFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A segmented write-ahead log with group commit.
 *
 * <p>Writers call {@link #write} (a plain write into the current segment, under this object's monitor) and
 * then {@link #sync} with the position it returned; the future completes once an fsync covering that
 * position finished. One flusher thread per WAL does the fsyncs: while one runs, later writes pile up and
 * the next fsync covers them all, so N concurrent writers pay for far fewer than N fsyncs, and nobody is
 * acknowledged before the disk has their bytes.
 *
 * <p>Positions are byte counts since this WAL was opened, across segments. A segment is closed (after its
 * own fsync) when the next write would take it past the segment size; a write larger than a segment gets a
 * segment to itself. After a failed write that cannot be undone, or a failed fsync, the WAL refuses all
 * further writes: an fsync error may have lost dirty pages, so later acknowledgements could be lies.
 *
 * <p>Writers may {@link #announce} an append they are about to make (a request being decoded, an append
 * waiting for the tenant's lock). When the flusher finds waiters while announced appends are still on their
 * way, it waits for them, at most {@code promgate.wal.groupCommitWaitMicros} (2000 by default), so that one
 * fsync covers them too. Without this, concurrent senders that were acknowledged together and came back
 * together split up: the first one's sync starts an fsync at once, and the others, a millisecond later, wait
 * for that one and then their own (about 1.5 fsyncs per request instead of 1; measured on the 4-sender
 * ingest benchmark, fsyncs of 20-30 ms). A lone writer never waits: nothing else is announced.
 *
 * <p>Alternatives rejected: fsync per write (simple, but one disk flush per request caps throughput at the
 * disk's flush rate) and a timer-based flush (adds latency even to a lone writer).
 */
public final class Wal implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Wal.class);
  public static final long DEFAULT_SEGMENT_BYTES = 128L << 20;

  private final Path dir;
  private final long segmentBytes;
  private final Object syncLock = new Object();
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private final Thread flusher;
  private final AtomicLong fsyncs = new AtomicLong();
  private FileChannel channel;
  private int segment;
  private long segmentSize;
  private long written;
  private long synced;
  private IOException failure;
  private boolean closing;
  private int repairs;
  private int announced;
  private static final long GROUP_WAIT_NANOS = Long.getLong("promgate.wal.groupCommitWaitMicros", 2000) * 1000;

  private record Waiter(long pos, CompletableFuture<Void> future) {
  }

  private Wal(Path dir, long segmentBytes, int segment, long segmentSize) throws IOException {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
    this.segment = segment;
    this.segmentSize = segmentSize;
    this.channel = WritableFiles.open(segmentPath(segment), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    channel.position(segmentSize);
    syncDir();
    flusher = new Thread(this::flushLoop, "wal-sync-" + dir.toAbsolutePath().getParent().getFileName());
    flusher.setDaemon(true);
    flusher.start();
  }

  /** {@link #open(Path, Path, long, WalVisitor)} with {@code quarantine/} next to {@code dir}. */
  public static Wal open(Path dir, long segmentBytes, WalVisitor visitor) throws IOException {
    return open(dir, dir.toAbsolutePath().resolveSibling("quarantine"), segmentBytes, visitor);
  }

  /**
   * Replays the WAL in {@code dir} into the visitor, repairing a torn or corrupt tail, then opens it. A
   * corrupt checkpoint is moved to {@code quarantine} (see {@link WalCheckpoint#replayLatest}).
   */
  public static Wal open(Path dir, Path quarantine, long segmentBytes, WalVisitor visitor) throws IOException {
    Files.createDirectories(dir);
    WalCheckpoint.Start start = WalCheckpoint.replayLatest(dir, quarantine, visitor);
    int first = start.first();
    List<Integer> segments = segments(dir);
    int last = first;
    long lastSize = 0;
    boolean ended = false;
    int repairs = start.corruptions();
    for (int i = 0; i < segments.size(); i++) {
      int seg = segments.get(i);
      if (i > 0 && seg != segments.get(i - 1) + 1) {
        LOG.warn("WAL {}: segment {} is missing; dropping {} later segment(s)", dir, name(segments.get(i - 1) + 1),
            segments.size() - i);
        deleteFrom(dir, segments, i);
        repairs++;
        break;
      }
      Path p = dir.resolve(name(seg));
      WalReader.Result r = WalReader.read(p, visitor);
      long size = Files.size(p);
      last = seg;
      lastSize = r.good();
      ended = r.ended();
      boolean more = i + 1 < segments.size();
      if (r.good() < size) {
        LOG.warn("WAL {}: corrupt or torn record at offset {} of segment {} ({} bytes); truncating it there{}",
            dir, r.good(), name(seg), size, more ? " and deleting " + (segments.size() - i - 1)
                + " later segment(s)" : "");
        try (FileChannel ch = WritableFiles.open(p, StandardOpenOption.WRITE)) {
          ch.truncate(r.good());
          ch.force(true);
        }
        deleteFrom(dir, segments, i + 1);
        repairs++;
        break;
      }
      if (more && !ended) {
        // Closed segments end with a segment-end record; without it this one lost its tail, and what
        // follows would replay with a hole in the middle.
        LOG.warn("WAL {}: segment {} ends without its end record (truncated?); deleting {} later segment(s)",
            dir, name(seg), segments.size() - i - 1);
        deleteFrom(dir, segments, i + 1);
        repairs++;
        break;
      }
    }
    if (ended) {
      last++; // never append after an end record
      lastSize = 0;
    }
    Wal wal = new Wal(dir, segmentBytes, last, lastSize);
    wal.repairs = repairs;
    return wal;
  }

  /** Corrupt or torn places that {@link #open} cut off (a torn tail after a crash counts too). */
  public int corruptionsRepaired() {
    return repairs;
  }

  private static void deleteFrom(Path dir, List<Integer> segments, int from) throws IOException {
    for (int j = from; j < segments.size(); j++) {
      Files.delete(dir.resolve(name(segments.get(j))));
    }
  }

  static List<Integer> segments(Path dir) throws IOException {
    List<Integer> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{8}")).sorted()
          .forEach(n -> out.add(Integer.parseInt(n)));
    }
    return out;
  }

  static String name(int segment) {
    return String.format("%08d", segment);
  }

  private Path segmentPath(int seg) {
    return dir.resolve(name(seg));
  }

  /**
   * Appends framed records (from {@link WalRecords#encode}); returns the position to pass to {@link #sync}.
   *
   * @throws IOException when the write failed or the WAL is no longer usable; nothing of the records counts
   *     as written then
   */
  public synchronized long write(byte[] frames) throws IOException {
    if (failure != null) {
      throw new IOException("write-ahead log unusable after an earlier error: " + failure.getMessage(), failure);
    }
    if (closing) {
      throw new IOException("write-ahead log is closing");
    }
    if (frames.length == 0) {
      return written;
    }
    if (channel == null) {
      openSegment(); // an earlier rollover closed the last segment but could not create this one
    } else if (segmentSize > 0 && segmentSize + frames.length > segmentBytes) {
      rollover();
    }
    writeUndoable(frames);
    segmentSize += frames.length;
    written += frames.length;
    return written;
  }

  /**
   * Writes all of {@code bytes} at the end of the current segment, or nothing: a failed write (a full disk
   * fails after writing the part that fits) is cut off again, so the segment still ends in a whole record
   * and the WAL stays usable once there is space. Only when the cut fails too is the WAL given up.
   */
  private void writeUndoable(byte[] bytes) throws IOException {
    long start = channel.position();
    try {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        channel.write(b);
      }
    } catch (IOException e) {
      try {
        channel.truncate(start);
        channel.position(start);
      } catch (IOException undo) {
        e.addSuppressed(undo);
        failure = e; // a partial record we cannot remove would hide every later record from replay
      }
      throw e;
    }
  }

  private void rollover() throws IOException {
    byte[] end = WalRecords.segmentEnd();
    writeUndoable(end);
    written += end.length;
    segmentSize += end.length;
    synchronized (syncLock) {
      try {
        channel.force(false);
      } catch (IOException e) {
        failure = e; // see the class comment: after a failed fsync nothing written since is trustworthy
        throw e;
      }
      fsyncs.incrementAndGet();
      channel.close();
    }
    synced = written;
    segment++;
    segmentSize = 0;
    channel = null;
    openSegment();
    notifyAll();
  }

  /**
   * Creates the segment {@link #segment}. On failure (e.g. no space for the directory entry) the WAL stays
   * without an open segment and the next write tries again; a leftover empty or partial file of that
   * failed attempt holds nothing acknowledged and is truncated.
   */
  private void openSegment() throws IOException {
    FileChannel ch = WritableFiles.open(segmentPath(segment), StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    try {
      syncDir();
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    channel = ch;
  }

  private void syncDir() throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  /**
   * Says an append is on its way (its {@link #write} and {@link #sync} follow soon); must be matched by one
   * {@link #withdraw}, whatever happens to the append.
   */
  public synchronized void announce() {
    announced++;
  }

  public synchronized void withdraw() {
    announced--;
    if (announced <= 0) {
      notifyAll(); // a flusher holding back for announced appends need not wait any longer
    }
  }

  /** Completes once everything up to {@code pos} is on disk; fails when the fsync fails. */
  public synchronized CompletableFuture<Void> sync(long pos) {
    if (failure != null) {
      return CompletableFuture.failedFuture(failure);
    }
    if (pos <= synced) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> f = new CompletableFuture<>();
    waiters.add(new Waiter(pos, f));
    notifyAll();
    return f;
  }

  private void flushLoop() {
    while (true) {
      FileChannel ch;
      long target;
      synchronized (this) {
        while (waiters.isEmpty() && !closing) {
          try {
            wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        if (waiters.isEmpty()) {
          return;
        }
        if (announced > 0 && GROUP_WAIT_NANOS > 0) {
          long deadline = System.nanoTime() + GROUP_WAIT_NANOS;
          long left;
          while (announced > 0 && !closing && (left = deadline - System.nanoTime()) > 0) {
            try {
              wait(left / 1_000_000, (int) (left % 1_000_000));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
          }
        }
        ch = channel;
        target = written;
      }
      IOException err = null;
      synchronized (syncLock) {
        try {
          if (ch != null && ch.isOpen()) { // else a rollover closed it, after forcing it
            ch.force(false);
            fsyncs.incrementAndGet();
          }
        } catch (IOException e) {
          err = e;
        }
      }
      List<Waiter> done = new ArrayList<>();
      synchronized (this) {
        if (err != null) {
          LOG.error("WAL {}: fsync failed; refusing further writes", dir, err);
          failure = err;
          done.addAll(waiters);
          waiters.clear();
        } else {
          synced = Math.max(synced, target);
          while (!waiters.isEmpty() && waiters.peek().pos() <= synced) {
            done.add(waiters.poll());
          }
        }
      }
      // Completed outside the monitor: dependants run on this thread and must not hold our locks.
      for (Waiter w : done) {
        if (err != null) {
          w.future().completeExceptionally(err);
        } else {
          w.future().complete(null);
        }
      }
    }
  }

  /**
   * Closes the current segment if it holds anything and starts the next one; returns the number of the
   * segment now being written, so that every earlier segment is closed (for checkpoints).
   */
  public synchronized int roll() throws IOException {
    if (failure != null) {
      throw new IOException("write-ahead log unusable after an earlier error: " + failure.getMessage(), failure);
    }
    if (segmentSize > 0) {
      rollover();
    }
    return segment;
  }

  /** Closed segments before {@code seg}, oldest first. */
  public List<Path> segmentsBefore(int seg) throws IOException {
    List<Path> out = new ArrayList<>();
    for (int s : segments(dir)) {
      if (s < seg) {
        out.add(segmentPath(s));
      }
    }
    return out;
  }

  /** Number of fsyncs so far (for tests and metrics: group commit makes it much smaller than #syncs). */
  public long fsyncCount() {
    return fsyncs.get();
  }

  public Path dir() {
    return dir;
  }

  /** Waits for pending syncs, then closes. Later writes fail. */
  @Override
  public void close() throws IOException {
    synchronized (this) {
      if (closing) {
        return;
      }
      closing = true;
      notifyAll();
    }
    try {
      flusher.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Waiter> left;
    synchronized (this) {
      synchronized (syncLock) {
        if (channel != null && channel.isOpen()) {
          channel.force(false);
          channel.close();
        }
      }
      // Everything written is durable now; later syncs complete at once (pos <= synced). Waiters that
      // arrived after the flusher stopped are released here, so no append hangs across a shutdown.
      synced = written;
      left = new ArrayList<>(waiters);
      waiters.clear();
    }
    for (Waiter w : left) {
      w.future().complete(null);
    }
  }
}
