package dev.kansoku.awsapi.logs;

import com.linecorp.armeria.common.HttpStatus;
import dev.kansoku.pipeline.ConsumeException;

/** A CloudWatch Logs error: its awsJson {@code __type} and message; 400 unless a fault. */
final class LogsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final String type;
  final HttpStatus status;

  LogsException(String type, String message) {
    this(HttpStatus.BAD_REQUEST, type, message);
  }

  LogsException(HttpStatus status, String type, String message) {
    super(message, null, false, false);
    this.type = type;
    this.status = status;
  }

  static LogsException invalid(String message) {
    return new LogsException("InvalidParameterException", message);
  }

  static LogsException notFound(String message) {
    return new LogsException("ResourceNotFoundException", message);
  }

  /** A fault that is not the caller's: CloudWatch Logs' ServiceUnavailableException (500). */
  static LogsException unavailable(String message) {
    return new LogsException(HttpStatus.INTERNAL_SERVER_ERROR, "ServiceUnavailableException", message);
  }

  /**
   * The pipeline refused the events: for now (memory_limiter, a store that is flushing) as
   * ThrottlingException, which the SDKs and the awslogs driver retry; for good as a fault.
   */
  static LogsException refused(ConsumeException e) {
    if (e.retryable()) {
      return new LogsException("ThrottlingException", e.getMessage());
    }
    return e.reason() == ConsumeException.Reason.INVALID ? invalid(e.getMessage()) : unavailable(e.getMessage());
  }
}
