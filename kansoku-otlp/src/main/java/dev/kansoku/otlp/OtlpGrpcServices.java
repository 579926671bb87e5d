package dev.kansoku.otlp;

import com.google.rpc.Code;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.RateLimitedLog;
import dev.kansoku.pipeline.Signal;
import io.grpc.BindableService;
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
 * and the reply is sent only after the pipeline accepted the data.
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
        handle(receiverId, refusals, Signal.TRACES, next, req, out, ExportTraceServiceResponse.getDefaultInstance());
      }
    }));
    consumers.get(Signal.METRICS).ifPresent(next -> services.add(new MetricsServiceGrpc.MetricsServiceImplBase() {
      @Override
      public void export(ExportMetricsServiceRequest req, StreamObserver<ExportMetricsServiceResponse> out) {
        handle(receiverId, refusals, Signal.METRICS, next, req, out,
            ExportMetricsServiceResponse.getDefaultInstance());
      }
    }));
    consumers.get(Signal.LOGS).ifPresent(next -> services.add(new LogsServiceGrpc.LogsServiceImplBase() {
      @Override
      public void export(ExportLogsServiceRequest req, StreamObserver<ExportLogsServiceResponse> out) {
        handle(receiverId, refusals, Signal.LOGS, next, req, out, ExportLogsServiceResponse.getDefaultInstance());
      }
    }));
    return services;
  }

  private static <T, R> void handle(String receiverId, RateLimitedLog refusals, Signal<T> signal,
      DataConsumer<T> next, T req, StreamObserver<R> out, R ok) {
    try {
      OtlpChecks.validate(signal, req);
      next.consume(req);
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
}
