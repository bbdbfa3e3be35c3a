package io.promgate.tsdb.objstore;

import io.promgate.tsdb.block.BlockFormatException;
import io.promgate.tsdb.block.ChunkSource;
import java.nio.ByteBuffer;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * Chunks of a block in the bucket, fetched with ranged GETs. Refs that are close together in a segment
 * are coalesced into one request (a gap of up to {@value #MAX_GAP} bytes is read rather than paying another
 * round trip), and the last chunk of a range is read with {@value #MAX_CHUNK} bytes of slack because its
 * length is only known once read: Thanos' store gateway does the same.
 */
final class S3ChunkSource implements ChunkSource {
  static final int MAX_GAP = 512 << 10;
  static final int MAX_CHUNK = 16 << 10;

  private final S3Client s3;
  private final String bucket;
  private final String ulid;
  private final List<String> segmentNames;
  private final long[] segmentSizes;
  private final long size;

  S3ChunkSource(S3Client s3, String bucket, String ulid, List<String> segmentNames, long[] segmentSizes) {
    this.s3 = s3;
    this.bucket = bucket;
    this.ulid = ulid;
    this.segmentNames = segmentNames;
    this.segmentSizes = segmentSizes;
    long s = 0;
    for (long x : segmentSizes) {
      s += x;
    }
    this.size = s;
  }

  @Override
  public byte[][] read(long[] refs) {
    byte[][] out = new byte[refs.length][];
    int i = 0;
    while (i < refs.length) {
      int seg = (int) (refs[i] >>> 32);
      if (seg >= segmentNames.size()) {
        throw new BlockFormatException(ulid + ": chunk ref " + refs[i] + " points to missing segment " + (seg + 1));
      }
      long start = refs[i] & 0xffffffffL;
      int j = i + 1;
      while (j < refs.length && (refs[j] >>> 32) == seg && (refs[j] & 0xffffffffL) - (refs[j - 1] & 0xffffffffL) <= MAX_GAP) {
        j++;
      }
      long end = Math.min(segmentSizes[seg], (refs[j - 1] & 0xffffffffL) + MAX_CHUNK);
      ByteBuffer b = get(segmentNames.get(seg), start, end);
      for (int k = i; k < j; k++) {
        int off = (int) ((refs[k] & 0xffffffffL) - start);
        try {
          out[k] = ChunkSource.decode(b, off, ulid + " chunk " + refs[k]);
        } catch (BlockFormatException | IndexOutOfBoundsException e) {
          // A chunk longer than the slack: read it alone, generously.
          long cs = refs[k] & 0xffffffffL;
          ByteBuffer one = get(segmentNames.get(seg), cs, Math.min(segmentSizes[seg], cs + 64L * MAX_CHUNK));
          out[k] = ChunkSource.decode(one, 0, ulid + " chunk " + refs[k]);
        }
      }
      i = j;
    }
    return out;
  }

  private ByteBuffer get(String segment, long from, long toExclusive) {
    byte[] data = s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(ulid + "/chunks/" + segment)
        .range("bytes=" + from + "-" + (toExclusive - 1)).build()).asByteArray();
    return ByteBuffer.wrap(data);
  }

  @Override
  public long sizeBytes() {
    return size;
  }
}
