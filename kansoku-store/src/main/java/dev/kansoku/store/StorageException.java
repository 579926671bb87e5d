package dev.kansoku.store;

import javax.annotation.Nullable;

/**
 * A store could not do what was asked (disk full, cluster down, closed); the message says which.
 * {@link #retryable()} tells whether the same request may succeed later (overload, an unreachable
 * cluster) or never will (a record the backend's schema refuses), so callers can retry or give up;
 * {@link #overloaded()} that the store is working but behind, so senders should back off (a receiver
 * answers 429 / RESOURCE_EXHAUSTED rather than 503 / UNAVAILABLE).
 */
public final class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final boolean retryable;
  private final boolean overloaded;

  public StorageException(String message) {
    this(message, null, true);
  }

  public StorageException(String message, @Nullable Throwable cause) {
    this(message, cause, true);
  }

  public StorageException(String message, @Nullable Throwable cause, boolean retryable) {
    this(message, cause, retryable, false);
  }

  private StorageException(String message, @Nullable Throwable cause, boolean retryable, boolean overloaded) {
    super(message, cause);
    this.retryable = retryable;
    this.overloaded = overloaded;
  }

  /** The store is behind (its backlog is full): retry after a while. */
  public static StorageException overloaded(String message, @Nullable Throwable cause) {
    return new StorageException(message, cause, true, true);
  }

  public boolean retryable() {
    return retryable;
  }

  public boolean overloaded() {
    return overloaded;
  }
}
