package io.promgate.model.chunk;

import io.promgate.model.StorageException;

/** A chunk's bytes do not decode: truncated or not XOR-encoded. */
public final class ChunkFormatException extends StorageException {
  public ChunkFormatException(String message) {
    super(message);
  }
}
