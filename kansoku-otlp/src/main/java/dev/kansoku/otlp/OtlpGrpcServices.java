package dev.kansoku.otlp;

import com.google.rpc.Code;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.RateLimitedLog;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.model.OtlpRules;
import com.google.protobuf.InvalidProtocolBufferException;
import com.linecorp.armeria.common.grpc.GrpcExceptionHandlerFunction;
import io.grpc.BindableService;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OTLP/gRPC services, one per signal that has a pipeline (a signal without one answers
 * UNIMPLEMENTED). Each call runs on a blocking-task thread: the pipeline may block for backpressure,
 * and the reply is sent only after the pipeline accepted the data. Items the store would not keep
 * are dropped first and reported in {@code partial_success}.
 */
final class OtlpGrpcServices {
  private static final Logger log = LoggerFactory.getLogger(OtlpGrpcServices.class);

  private OtlpGrpcServices() {}

  static List<BindableService> create(String receiverId, Consumers consumers) {
    RateLimitedLog refusals = new RateLimitedLog(log, 10, TimeUnit.SECONDS);
    List<BindableService> services = new ArrayList<>();
    consumers.get(Signal.TRACES).ifPresent(next -> services.add(new TraceServiceGrpc.TraceServiceImplBase() {
      @Override
      public void export(ExportTraceServiceRequest req, StreamObserver<ExportTraceServiceResponse> out) {
        handle(receiverId, refusals, Signal.TRACES, next, req, out);
      }
    }));
    consumers.get(Signal.METRICS).ifPresent(next -> services.add(new MetricsServiceGrpc.MetricsServiceImplBase() {
      @Override
      public void export(ExportMetricsServiceRequest req, StreamObserver<ExportMetricsServiceResponse> out) {
        handle(receiverId, refusals, Signal.METRICS, next, req, out);
      }
    }));
    consumers.get(Signal.LOGS).ifPresent(next -> services.add(new LogsServiceGrpc.LogsServiceImplBase() {
      @Override
      public void export(ExportLogsServiceRequest req, StreamObserver<ExportLogsServiceResponse> out) {
        handle(receiverId, refusals, Signal.LOGS, next, req, out);
      }
    }));
    return services;
  }

  @SuppressWarnings("unchecked")
  private static <T, R> void handle(String receiverId, RateLimitedLog refusals, Signal<T> signal,
      DataConsumer<T> next, T req, StreamObserver<R> out) {
    R ok;
    try {
      OtlpChecks.validate(signal, req);
      OtlpRules.Filtered<T> kept = OtlpPartial.filter(signal, req);
      if (kept.rejected() == 0 || !OtlpPartial.nothingLeft(signal, kept.request())) {
        next.consume(kept.request());
      }
      ok = (R) OtlpPartial.response(signal, kept);
    } catch (ConsumeException e) {
      if (OtlpErrors.grpcCode(e) != Code.INVALID_ARGUMENT) {
        refusals.warn("otlp receiver {} (grpc {}): refused: {}", receiverId, signal.name(), e.getMessage());
      }
      out.onError(OtlpErrors.grpc(e));
      return;
    } catch (RuntimeException e) {
      log.error("otlp receiver {} (grpc {}): pipeline failed", receiverId, signal.name(), e);
      out.onError(OtlpErrors.grpc(ConsumeException.permanent("internal error: " + e, e)));
      return;
    }
    out.onNext(ok);
    out.onCompleted();
  }

  /**
   * Armeria answers a message that is not valid protobuf with INTERNAL ("Invalid protobuf byte
   * sequence"); the OTLP specification and the collector answer INVALID_ARGUMENT, which tells the
   * sender not to retry.
   */
  static GrpcExceptionHandlerFunction exceptionHandler() {
    RateLimitedLog unexpected = new RateLimitedLog(log, 10, TimeUnit.SECONDS);
    return (ctx, status, cause, metadata) -> {
      for (Throwable t = cause; t != null; t = t.getCause()) {
        if (t instanceof InvalidProtocolBufferException) {
          return Status.INVALID_ARGUMENT.withDescription("cannot parse the request as OTLP protobuf: "
              + t.getMessage()).withCause(cause);
        }
      }
      if (status.getCode() == Status.Code.UNKNOWN || status.getCode() == Status.Code.INTERNAL) {
        // What nothing of ours answered is said, so an UNKNOWN a sender sees can be traced here.
        unexpected.warn("otlp receiver (grpc): unexpected failure answering {}: {}", ctx.path(), cause.toString(),
            cause);
      }
      return null; // Armeria's own mapping
    };
  }
}
