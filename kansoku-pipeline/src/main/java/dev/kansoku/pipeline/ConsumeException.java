package dev.kansoku.pipeline;

import java.time.Duration;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * Data was not accepted. Retryable versus permanent is part of the type, so a receiver maps it to
 * its protocol's error in one place (gRPC status, HTTP code) and an exporter's retry loop knows
 * whether to try again.
 */
public final class ConsumeException extends Exception {
  /** Why the data was refused; receivers map each reason to their protocol's status. */
  public enum Reason {
    /** The data is malformed: sending it again cannot succeed. */
    INVALID,
    /** Memory or queue capacity is exhausted; the sender should back off and retry. */
    OVERLOADED,
    /** A downstream part is unavailable (shutting down, endpoint down); retry later. */
    UNAVAILABLE,
    /** Any other permanent failure. */
    PERMANENT
  }

  private final Reason reason;
  @Nullable private final Duration retryAfter;

  private ConsumeException(Reason reason, String message, @Nullable Duration retryAfter, @Nullable Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.retryAfter = retryAfter;
  }

  public static ConsumeException invalid(String message) {
    return new ConsumeException(Reason.INVALID, message, null, null);
  }

  public static ConsumeException overloaded(String message, Duration retryAfter) {
    return new ConsumeException(Reason.OVERLOADED, message, retryAfter, null);
  }

  public static ConsumeException unavailable(String message, @Nullable Duration retryAfter, @Nullable Throwable cause) {
    return new ConsumeException(Reason.UNAVAILABLE, message, retryAfter, cause);
  }

  public static ConsumeException permanent(String message, @Nullable Throwable cause) {
    return new ConsumeException(Reason.PERMANENT, message, null, cause);
  }

  public Reason reason() {
    return reason;
  }

  public boolean retryable() {
    return reason == Reason.OVERLOADED || reason == Reason.UNAVAILABLE;
  }

  /** The delay the sender should wait before retrying, when the refusing part knows one. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
