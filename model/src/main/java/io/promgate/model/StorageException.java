package io.promgate.model;

/** A store could not answer. The HTTP edge maps it to {@code unavailable} or {@code internal}. */
public class StorageException extends RuntimeException {
  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
