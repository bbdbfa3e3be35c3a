package io.promgate.tsdb.block;

import io.promgate.model.StorageException;

/** A block file that is not what Prometheus' format says it should be (corrupt or not a block). */
public final class BlockFormatException extends StorageException {
  public BlockFormatException(String message) {
    super(message);
  }
}
