package io.promgate.tsdb;

import io.promgate.model.StorageException;

/** The store cannot accept writes right now (WAL I/O error, disk full, closing): senders should retry (503). */
public final class StorageUnavailableException extends StorageException {
  public StorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
