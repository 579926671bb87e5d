package dev.kansoku.otlp;

import com.google.protobuf.ByteString;
import dev.kansoku.model.OtlpItems;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.function.Function;
import javax.annotation.Nullable;

/**
 * Checks what protobuf parsing cannot: trace ids of 16 bytes and span ids of 8, as OTLP requires.
 * Data with a wrong-length id is refused whole, with the position of the first bad id, before any
 * of it enters a pipeline; the model's rules for single items ({@code OtlpRules}) come after.
 */
final class OtlpChecks {
  private OtlpChecks() {}

  static <T> void validate(Signal<T> signal, T data) throws ConsumeException {
    String problem;
    if (signal == Signal.TRACES) {
      problem = OtlpItems.firstRejected((ExportTraceServiceRequest) data, OtlpChecks::span);
    } else if (signal == Signal.LOGS) {
      problem = OtlpItems.firstRejected((ExportLogsServiceRequest) data, OtlpChecks::log);
    } else {
      problem = OtlpItems.firstRejected((ExportMetricsServiceRequest) data, OtlpChecks::exemplars);
    }
    if (problem != null) {
      throw ConsumeException.invalid(problem);
    }
  }

  @Nullable
  private static String span(Span span) {
    // The common case costs three length checks; the field is only spelled out for a bad span.
    if (span.getTraceId().size() == 16 && span.getSpanId().size() == 8
        && (span.getParentSpanId().isEmpty() || span.getParentSpanId().size() == 8) && span.getLinksCount() == 0) {
      return null;
    }
    String p = id("trace_id", span.getTraceId(), 16, false);
    if (p == null) {
      p = id("span_id", span.getSpanId(), 8, false);
    }
    if (p == null) {
      p = id("parent_span_id", span.getParentSpanId(), 8, true);
    }
    for (int l = 0; p == null && l < span.getLinksCount(); l++) {
      p = id("links[" + l + "].trace_id", span.getLinks(l).getTraceId(), 16, false);
      if (p == null) {
        p = id("links[" + l + "].span_id", span.getLinks(l).getSpanId(), 8, false);
      }
    }
    return p;
  }

  @Nullable
  private static String log(LogRecord record) {
    String p = id("trace_id", record.getTraceId(), 16, true);
    return p != null ? p : id("span_id", record.getSpanId(), 8, true);
  }

  @Nullable
  private static String exemplars(Metric m) {
    switch (m.getDataCase()) {
      case GAUGE: return exemplars(m.getGauge().getDataPointsList(), NumberDataPoint::getExemplarsList);
      case SUM: return exemplars(m.getSum().getDataPointsList(), NumberDataPoint::getExemplarsList);
      case HISTOGRAM: return exemplars(m.getHistogram().getDataPointsList(), HistogramDataPoint::getExemplarsList);
      case EXPONENTIAL_HISTOGRAM:
        return exemplars(m.getExponentialHistogram().getDataPointsList(),
            ExponentialHistogramDataPoint::getExemplarsList);
      default: return null;
    }
  }

  @Nullable
  private static <P> String exemplars(List<P> points, Function<P, List<Exemplar>> exemplarsOf) {
    for (P point : points) {
      for (Exemplar e : exemplarsOf.apply(point)) {
        String p = id("exemplars.trace_id", e.getTraceId(), 16, true);
        if (p == null) {
          p = id("exemplars.span_id", e.getSpanId(), 8, true);
        }
        if (p != null) {
          return p;
        }
      }
    }
    return null;
  }

  @Nullable
  private static String id(String field, ByteString id, int length, boolean mayBeEmpty) {
    if (id.size() == length || mayBeEmpty && id.isEmpty()) {
      return null;
    }
    return field + ": " + id.size() + " bytes (expected: " + length + (mayBeEmpty ? " or none" : "") + ")";
  }
}
