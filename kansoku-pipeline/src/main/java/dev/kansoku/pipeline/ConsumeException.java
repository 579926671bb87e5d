package dev.kansoku.pipeline;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * Data was not accepted. Retryable versus permanent is part of the type, so a receiver maps it to
 * its protocol's error in one place (gRPC status, HTTP code) and an exporter's retry loop knows
 * whether to try again. An exporter whose send delivered part of a batch says what is left with
 * {@link #partial}, so the retry loop resends only that part (the collector's
 * {@code consumererror.NewTraces} and friends).
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

  /** Sends, once, only the part of a batch that a failed send did not deliver. */
  @FunctionalInterface
  public interface Resend {
    void send() throws ConsumeException;
  }

  /**
   * What a send did not deliver: {@code items} of the batch's items (spans, data points, log
   * records), and how to send just those. A closure rather than a smaller batch because what is
   * left may only exist in the exporter's own form: awsemf's unsent PutLogEvents requests cannot be
   * rebuilt from metrics without counting cumulative values twice.
   */
  public record Unsent(int items, Resend resend) {
    public Unsent {
      if (items < 0) {
        throw new IllegalArgumentException("items: " + items + " (expected: >= 0)");
      }
      requireNonNull(resend, "resend");
    }
  }

  private final Reason reason;
  @Nullable private final Duration retryAfter;
  @Nullable private final Unsent unsent;

  private ConsumeException(Reason reason, String message, @Nullable Duration retryAfter, @Nullable Throwable cause) {
    this(reason, message, retryAfter, cause, null);
  }

  private ConsumeException(Reason reason, String message, @Nullable Duration retryAfter, @Nullable Throwable cause,
      @Nullable Unsent unsent) {
    super(message, cause);
    this.reason = reason;
    this.retryAfter = retryAfter;
    this.unsent = unsent;
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

  /**
   * {@code failure}, for only part of a batch: the rest was delivered. A retry loop resends only
   * the unsent part with {@code resend}; when it gives up, only {@code unsentItems} count as failed.
   */
  public static ConsumeException partial(ConsumeException failure, int unsentItems, Resend resend) {
    requireNonNull(failure, "failure");
    ConsumeException e = new ConsumeException(failure.reason, failure.getMessage(), failure.retryAfter,
        failure.getCause(), new Unsent(unsentItems, resend));
    e.setStackTrace(failure.getStackTrace());
    return e;
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

  /** The part of the batch that was not delivered, when the rest was (see {@link #partial}). */
  public Optional<Unsent> unsent() {
    return Optional.ofNullable(unsent);
  }
}
