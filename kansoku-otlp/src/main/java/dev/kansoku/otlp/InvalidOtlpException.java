package dev.kansoku.otlp;

/**
 * An OTLP request body could not be decoded. The message names where ({@code
 * resourceSpans[0].scopeSpans[0].spans[3].traceId}) and what was expected, so a receiver can hand
 * it back to the sender unchanged as the reason for a 400 / INVALID_ARGUMENT.
 */
public final class InvalidOtlpException extends Exception {
  InvalidOtlpException(String message) {
    super(message);
  }

  InvalidOtlpException(String message, Throwable cause) {
    super(message, cause);
  }
}
