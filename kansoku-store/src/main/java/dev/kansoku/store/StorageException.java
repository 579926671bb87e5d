package dev.kansoku.store;

/** A store could not do what was asked (disk full, cluster down, closed); the message says which. */
public final class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
