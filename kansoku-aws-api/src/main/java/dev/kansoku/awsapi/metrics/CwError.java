package dev.kansoku.awsapi.metrics;

import dev.kansoku.pipeline.ConsumeException;

/**
 * A CloudWatch error as every protocol reports it: the awsQuery code ({@code InvalidParameterValue}),
 * which awsQuery replies and the {@code x-amzn-query-error} header carry, and the modeled shape name
 * ({@code InvalidParameterValueException}), which JSON and CBOR bodies carry in {@code __type}. The
 * two differ for CloudWatch because the service is awsQueryCompatible.
 */
final class CwError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final String code;
  final String shape;

  private CwError(int status, String code, String shape, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.shape = shape;
  }

  boolean sender() {
    return status < 500;
  }

  static CwError invalidValue(String message) {
    return new CwError(400, "InvalidParameterValue", "InvalidParameterValueException", message);
  }

  /** AWS's wording for a bad value: names the value and the parameter. */
  static CwError invalidValue(Object value, String param) {
    return invalidValue("The value " + value + " for parameter " + param + " is invalid.");
  }

  static CwError missing(String param) {
    return new CwError(400, "MissingParameter", "MissingRequiredParameterException",
        "The parameter " + param + " is required.");
  }

  static CwError combination(String message) {
    return new CwError(400, "InvalidParameterCombination", "InvalidParameterCombinationException", message);
  }

  static CwError invalidNextToken(String token) {
    return new CwError(400, "InvalidNextToken", "InvalidNextToken", "The NextToken " + token + " is invalid.");
  }

  static CwError invalidAction(String action) {
    return new CwError(400, "InvalidAction", "InvalidAction",
        "The action " + action + " is not valid for this web service.");
  }

  /** A body that is not JSON/CBOR at all; botocore and the SDK treat it as a client error. */
  static CwError serialization(String message) {
    return new CwError(400, "SerializationException", "SerializationException", message);
  }

  static CwError internal(String message) {
    return new CwError(500, "InternalServiceError", "InternalServiceFault", message);
  }

  /**
   * The pipeline refused the data: for now (memory_limiter, a store that is flushing) as AWS's
   * throttling error, {@code Throttling} in awsQuery (the code every SDK and the CLI retry), for good
   * as a fault.
   */
  static CwError refused(ConsumeException e) {
    if (e.retryable()) {
      return new CwError(400, "Throttling", "ThrottlingException", e.getMessage());
    }
    return e.reason() == ConsumeException.Reason.INVALID ? invalidValue(e.getMessage()) : internal(e.getMessage());
  }

  /** Kansoku cannot take the request as configured (AWS's common error ServiceUnavailable, 503). */
  static CwError unavailable(String message) {
    return new CwError(503, "ServiceUnavailable", "ServiceUnavailable", message);
  }
}
