package dev.kansoku.awsapi.logs;

import com.linecorp.armeria.common.HttpStatus;

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
}
