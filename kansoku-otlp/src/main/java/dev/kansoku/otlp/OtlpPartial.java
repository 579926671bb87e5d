package dev.kansoku.otlp;

import com.google.protobuf.Message;
import dev.kansoku.model.OtlpRules;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

/**
 * Drops the items the store would not keep ({@link OtlpRules}, the model's own rules) before they
 * enter a pipeline, and builds the answer that tells the sender, as the OTLP specification asks:
 * {@code partial_success} with {@code rejected_spans} / {@code rejected_data_points} /
 * {@code rejected_log_records} and an {@code error_message}. Nothing is dropped silently.
 */
final class OtlpPartial {
  private OtlpPartial() {}

  @SuppressWarnings("unchecked")
  static <T> OtlpRules.Filtered<T> filter(Signal<T> signal, T data) {
    if (signal == Signal.TRACES) {
      return (OtlpRules.Filtered<T>) OtlpRules.traces((ExportTraceServiceRequest) data);
    }
    if (signal == Signal.LOGS) {
      return (OtlpRules.Filtered<T>) OtlpRules.logs((ExportLogsServiceRequest) data);
    }
    return (OtlpRules.Filtered<T>) OtlpRules.metrics((ExportMetricsServiceRequest) data);
  }

  /** The success answer: the empty response, or one carrying {@code partial_success}. */
  static Message response(Signal<?> signal, OtlpRules.Filtered<?> f) {
    if (f.firstError() == null) {
      return empty(signal);
    }
    String message = f.rejected() + " " + signal.itemName() + " rejected (not stored); the first: " + f.firstError();
    if (signal == Signal.TRACES) {
      return ExportTraceServiceResponse.newBuilder().setPartialSuccess(ExportTracePartialSuccess.newBuilder()
          .setRejectedSpans(f.rejected()).setErrorMessage(message)).build();
    }
    if (signal == Signal.LOGS) {
      return ExportLogsServiceResponse.newBuilder().setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
          .setRejectedLogRecords(f.rejected()).setErrorMessage(message)).build();
    }
    return ExportMetricsServiceResponse.newBuilder().setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
        .setRejectedDataPoints(f.rejected()).setErrorMessage(message)).build();
  }

  static Message empty(Signal<?> signal) {
    if (signal == Signal.TRACES) {
      return ExportTraceServiceResponse.getDefaultInstance();
    }
    if (signal == Signal.LOGS) {
      return ExportLogsServiceResponse.getDefaultInstance();
    }
    return ExportMetricsServiceResponse.getDefaultInstance();
  }

  /** True when nothing is left to hand to the pipeline. */
  static boolean nothingLeft(Signal<?> signal, Object data) {
    if (signal == Signal.TRACES) {
      return ((ExportTraceServiceRequest) data).getResourceSpansCount() == 0;
    }
    if (signal == Signal.LOGS) {
      return ((ExportLogsServiceRequest) data).getResourceLogsCount() == 0;
    }
    return ((ExportMetricsServiceRequest) data).getResourceMetricsCount() == 0;
  }
}
