package dev.kansoku.pipeline.builtin;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import dev.kansoku.model.OtlpRules;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Exporter;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs what it receives, for trying out a pipeline: a count per batch (basic), one line per span,
 * data point or log record (normal), or every field (detailed).
 */
final class DebugExporter implements Exporter {
  private static final Logger log = LoggerFactory.getLogger("dev.kansoku.debug");
  private static final HexFormat HEX = HexFormat.of();

  private final String id;
  private final String verbosity;
  private final Consumer<String> out;

  DebugExporter(String id, String verbosity) {
    this(id, verbosity, log::info);
  }

  DebugExporter(String id, String verbosity, Consumer<String> out) {
    this.id = id;
    this.verbosity = verbosity;
    this.out = out;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> DataConsumer<T> consumer(Signal<T> signal) {
    return data -> {
      out.accept(id + " " + signal.name() + ": " + signal.count(data) + " " + signal.itemName());
      if (verbosity.equals("detailed")) {
        out.accept(TextFormat.printer().emittingSingleLine(false).printToString((Message) data));
      } else if (verbosity.equals("normal")) {
        if (signal == Signal.TRACES) {
          traces((ExportTraceServiceRequest) data);
        } else if (signal == Signal.METRICS) {
          metrics((ExportMetricsServiceRequest) data);
        } else {
          logs((ExportLogsServiceRequest) data);
        }
      }
    };
  }

  private void traces(ExportTraceServiceRequest req) {
    for (ResourceSpans rs : req.getResourceSpansList()) {
      String service = serviceName(rs.getResource());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          out.accept(service + " " + s.getName() + " trace_id=" + hex(s.getTraceId()) + " span_id=" + hex(s.getSpanId())
              + " kind=" + s.getKind().name().replace("SPAN_KIND_", "") + " duration="
              + (s.getEndTimeUnixNano() - s.getStartTimeUnixNano()) / 1000 + "us status="
              + s.getStatus().getCode().name().replace("STATUS_CODE_", "") + attributes(s.getAttributesList()));
        }
      }
    }
  }

  private void metrics(ExportMetricsServiceRequest req) {
    for (ResourceMetrics rm : req.getResourceMetricsList()) {
      String service = serviceName(rm.getResource());
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          out.accept(service + " " + m.getName() + " " + m.getDataCase().name().toLowerCase() + " unit="
              + m.getUnit() + " points=" + OtlpRules.dataPoints(m));
        }
      }
    }
  }

  private void logs(ExportLogsServiceRequest req) {
    for (ResourceLogs rl : req.getResourceLogsList()) {
      String service = serviceName(rl.getResource());
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        for (LogRecord r : sl.getLogRecordsList()) {
          out.accept(service + " " + (r.getSeverityText().isEmpty() ? r.getSeverityNumber().name() : r.getSeverityText())
              + " " + value(r.getBody()) + (r.getTraceId().isEmpty() ? "" : " trace_id=" + hex(r.getTraceId()))
              + attributes(r.getAttributesList()));
        }
      }
    }
  }

  private static String serviceName(Resource r) {
    for (KeyValue kv : r.getAttributesList()) {
      if (kv.getKey().equals("service.name")) {
        return value(kv.getValue());
      }
    }
    return "(unknown service)";
  }

  private static String attributes(List<KeyValue> attrs) {
    StringBuilder sb = new StringBuilder();
    for (KeyValue kv : attrs) {
      sb.append(' ').append(kv.getKey()).append('=').append(value(kv.getValue()));
    }
    return sb.toString();
  }

  private static String value(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE: return v.getStringValue();
      case BOOL_VALUE: return String.valueOf(v.getBoolValue());
      case INT_VALUE: return String.valueOf(v.getIntValue());
      case DOUBLE_VALUE: return String.valueOf(v.getDoubleValue());
      case BYTES_VALUE: return hex(v.getBytesValue());
      case VALUE_NOT_SET: return "";
      default: return TextFormat.printer().shortDebugString(v);
    }
  }

  private static String hex(ByteString b) {
    return HEX.formatHex(b.toByteArray());
  }
}
