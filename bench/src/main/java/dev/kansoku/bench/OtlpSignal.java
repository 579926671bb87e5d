package dev.kansoku.bench;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.kansoku.otlp.InvalidOtlpException;
import dev.kansoku.otlp.OtlpJson;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The three OTLP signals as the load generator needs them: where each is posted, how a request is
 * generated and parsed, and how many items the server's partial-success response rejected.
 */
enum OtlpSignal {
  TRACES(Signal.TRACES, "opentelemetry.proto.collector.trace.v1.TraceService"),
  LOGS(Signal.LOGS, "opentelemetry.proto.collector.logs.v1.LogsService"),
  METRICS(Signal.METRICS, "opentelemetry.proto.collector.metrics.v1.MetricsService");

  private final Signal<?> signal;
  private final String grpcService;

  OtlpSignal(Signal<?> signal, String grpcService) {
    this.signal = signal;
    this.grpcService = grpcService;
  }

  /** {@code traces}, {@code logs}, {@code metrics}. */
  String configName() {
    return signal.name();
  }

  /** {@code spans}, {@code log records}, {@code data points}. */
  String itemName() {
    return signal.itemName();
  }

  String grpcPath() {
    return "/" + grpcService + "/Export";
  }

  String httpPath() {
    return "/v1/" + signal.name();
  }

  Message generate(DiceTelemetry gen, int items) {
    return switch (this) {
      case TRACES -> gen.traces(items);
      case LOGS -> gen.logs(items);
      case METRICS -> gen.metrics(items);
    };
  }

  /** Parses an export request; what the parse benchmark times. */
  Message parse(byte[] bytes) throws InvalidProtocolBufferException {
    return switch (this) {
      case TRACES -> ExportTraceServiceRequest.parseFrom(bytes);
      case LOGS -> ExportLogsServiceRequest.parseFrom(bytes);
      case METRICS -> ExportMetricsServiceRequest.parseFrom(bytes);
    };
  }

  /** Parses an export request and returns its number of resources, so the parse cannot be optimised away. */
  int parseResources(byte[] bytes, int offset) throws IOException {
    // parseFrom(byte[]) reads through the same array-backed CodedInputStream.
    CodedInputStream in = CodedInputStream.newInstance(bytes, offset, bytes.length - offset);
    return switch (this) {
      case TRACES -> ExportTraceServiceRequest.parseFrom(in).getResourceSpansCount();
      case LOGS -> ExportLogsServiceRequest.parseFrom(in).getResourceLogsCount();
      case METRICS -> ExportMetricsServiceRequest.parseFrom(in).getResourceMetricsCount();
    };
  }

  /** Items in {@code request}, counted as the pipeline counts them. */
  int count(Message request) {
    return switch (this) {
      case TRACES -> Signal.TRACES.count((ExportTraceServiceRequest) request);
      case LOGS -> Signal.LOGS.count((ExportLogsServiceRequest) request);
      case METRICS -> Signal.METRICS.count((ExportMetricsServiceRequest) request);
    };
  }

  /** Items the server rejected, from a protobuf export response (partial success); 0 when empty. */
  long rejected(byte[] body, int offset) throws IOException {
    if (body.length <= offset) {
      return 0;
    }
    CodedInputStream in = CodedInputStream.newInstance(body, offset,
        body.length - offset);
    return switch (this) {
      case TRACES -> ExportTraceServiceResponse.parseFrom(in).getPartialSuccess().getRejectedSpans();
      case LOGS -> ExportLogsServiceResponse.parseFrom(in).getPartialSuccess().getRejectedLogRecords();
      case METRICS -> ExportMetricsServiceResponse.parseFrom(in).getPartialSuccess().getRejectedDataPoints();
    };
  }

  /** Items the server rejected, from an OTLP/JSON export response; 0 when empty. */
  long rejectedJson(byte[] body) throws InvalidOtlpException {
    if (new String(body, StandardCharsets.UTF_8).isBlank()) {
      return 0;
    }
    return switch (this) {
      case TRACES -> OtlpJson.parse(ExportTraceServiceResponse.class, body).getPartialSuccess().getRejectedSpans();
      case LOGS -> OtlpJson.parse(ExportLogsServiceResponse.class, body).getPartialSuccess().getRejectedLogRecords();
      case METRICS -> OtlpJson.parse(ExportMetricsServiceResponse.class, body).getPartialSuccess()
          .getRejectedDataPoints();
    };
  }

  static OtlpSignal byName(String name) {
    for (OtlpSignal s : values()) {
      if (s.configName().equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("--signal: " + name + " (expected: traces, logs, metrics or all)");
  }
}
