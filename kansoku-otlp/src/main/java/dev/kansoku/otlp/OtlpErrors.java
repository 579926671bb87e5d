package dev.kansoku.otlp;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.common.HttpStatus;
import dev.kansoku.pipeline.ConsumeException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;

/**
 * The one place where a refused export becomes the protocol's error, as the OTLP specification
 * asks: malformed data is INVALID_ARGUMENT / 400 (do not retry); overload is RESOURCE_EXHAUSTED with
 * RetryInfo / 429 with Retry-After; an unavailable pipeline is UNAVAILABLE / 503 (retry).
 */
final class OtlpErrors {
  private OtlpErrors() {}

  static Code grpcCode(ConsumeException e) {
    switch (e.reason()) {
      case INVALID: return Code.INVALID_ARGUMENT;
      case OVERLOADED: return Code.RESOURCE_EXHAUSTED;
      case UNAVAILABLE: return Code.UNAVAILABLE;
      default: return Code.INTERNAL;
    }
  }

  static StatusRuntimeException grpc(ConsumeException e) {
    return StatusProto.toStatusRuntimeException(status(grpcCode(e), e));
  }

  /** The google.rpc.Status both transports put in their error bodies, with RetryInfo when known. */
  static com.google.rpc.Status status(Code code, ConsumeException e) {
    com.google.rpc.Status.Builder s = com.google.rpc.Status.newBuilder()
        .setCode(code.getNumber())
        .setMessage(e.getMessage() == null ? code.name() : e.getMessage());
    e.retryAfter().ifPresent(d -> s.addDetails(Any.pack(RetryInfo.newBuilder()
        .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()))
        .build())));
    return s.build();
  }

  static HttpStatus http(ConsumeException e) {
    switch (e.reason()) {
      case INVALID: return HttpStatus.BAD_REQUEST;
      case OVERLOADED: return HttpStatus.TOO_MANY_REQUESTS;
      case UNAVAILABLE: return HttpStatus.SERVICE_UNAVAILABLE;
      default: return HttpStatus.INTERNAL_SERVER_ERROR;
    }
  }

  /** Whole seconds for a Retry-After header, rounded up so a client never retries early. */
  static long retryAfterSeconds(Duration d) {
    return Math.max(1, (d.toMillis() + 999) / 1000);
  }
}
