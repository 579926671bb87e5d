package dev.kansoku.store;

/**
 * A store could not do what was asked (disk full, cluster down, closed); the message says which.
 * {@link #retryable()} tells whether the same request may succeed later (overload, an unreachable
 * cluster) or never will (a record the backend's schema refuses), so callers can retry or give up.
 */
public final class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final boolean retryable;

  public StorageException(String message) {
    this(message, null, true);
  }

  public StorageException(String message, Throwable cause) {
    this(message, cause, true);
  }

  public StorageException(String message, Throwable cause, boolean retryable) {
    super(message, cause);
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }
}
