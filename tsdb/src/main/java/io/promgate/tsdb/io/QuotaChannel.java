package io.promgate.tsdb.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/** A FileChannel whose writes, truncations and fsyncs go through a {@link DiskQuota}. */
final class QuotaChannel extends FileChannel {
  private final FileChannel d;
  private final DiskQuota quota;

  QuotaChannel(FileChannel delegate, DiskQuota quota) {
    this.d = delegate;
    this.quota = quota;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    return limited(src, -1);
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    return limited(src, position);
  }

  /** Writes what fits; a write of which nothing fits fails, as write(2) does with ENOSPC. */
  private int limited(ByteBuffer src, long position) throws IOException {
    int want = src.remaining();
    if (want == 0) {
      return 0;
    }
    int take = quota.reserve(want);
    if (take == 0) {
      throw DiskQuota.noSpace();
    }
    ByteBuffer part = src.duplicate();
    part.limit(part.position() + take);
    int n = position < 0 ? d.write(part) : d.write(part, position);
    src.position(src.position() + n);
    quota.release(take - n);
    return n;
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    long total = 0;
    for (int i = offset; i < offset + length; i++) {
      while (srcs[i].hasRemaining()) {
        try {
          total += write(srcs[i]);
        } catch (IOException e) {
          if (total > 0) {
            return total;
          }
          throw e;
        }
      }
    }
    return total;
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    long before = d.size();
    d.truncate(size);
    if (size < before) {
      quota.release(before - size);
    }
    return this;
  }

  @Override
  public void force(boolean metaData) throws IOException {
    quota.checkFsync();
    d.force(metaData);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return d.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    return d.read(dsts, offset, length);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return d.read(dst, position);
  }

  @Override
  public long position() throws IOException {
    return d.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    d.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return d.size();
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    return d.transferTo(position, count, target);
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
    throw new UnsupportedOperationException("not used by the store");
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    return d.map(mode, position, size);
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return d.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return d.tryLock(position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    d.close();
  }
}
