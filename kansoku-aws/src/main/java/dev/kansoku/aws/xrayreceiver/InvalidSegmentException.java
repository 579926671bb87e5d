package dev.kansoku.aws.xrayreceiver;

/**
 * A datagram or segment document that cannot become spans; sending it again cannot succeed. The
 * message names the bad field by its path in the document ({@code subsegments[0].id: ...}).
 */
public final class InvalidSegmentException extends Exception {
  InvalidSegmentException(String message) {
    super(message);
  }

  InvalidSegmentException(String message, Throwable cause) {
    super(message, cause);
  }
}
