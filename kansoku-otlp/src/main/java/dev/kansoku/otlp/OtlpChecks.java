package dev.kansoku.otlp;

import com.google.protobuf.ByteString;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.function.Function;

/**
 * Checks what protobuf parsing cannot: trace ids of 16 bytes and span ids of 8, as OTLP requires.
 * Data with a wrong-length id is refused whole, with the position of the first bad id, before any
 * of it enters a pipeline.
 */
final class OtlpChecks {
  private OtlpChecks() {}

  static <T> void validate(Signal<T> signal, T data) throws ConsumeException {
    String problem;
    if (signal == Signal.TRACES) {
      problem = traces((ExportTraceServiceRequest) data);
    } else if (signal == Signal.LOGS) {
      problem = logs((ExportLogsServiceRequest) data);
    } else {
      problem = metrics((ExportMetricsServiceRequest) data);
    }
    if (problem != null) {
      throw ConsumeException.invalid(problem);
    }
  }

  private static String traces(ExportTraceServiceRequest req) {
    List<ResourceSpans> rss = req.getResourceSpansList();
    for (int r = 0; r < rss.size(); r++) {
      List<ScopeSpans> sss = rss.get(r).getScopeSpansList();
      for (int s = 0; s < sss.size(); s++) {
        List<Span> spans = sss.get(s).getSpansList();
        for (int i = 0; i < spans.size(); i++) {
          Span span = spans.get(i);
          // The common case costs three length checks; the path is only spelled out for a bad span.
          if (span.getTraceId().size() == 16 && span.getSpanId().size() == 8
              && (span.getParentSpanId().isEmpty() || span.getParentSpanId().size() == 8) && span.getLinksCount() == 0) {
            continue;
          }
          String at = "resource_spans[" + r + "].scope_spans[" + s + "].spans[" + i + "]";
          String p = id(at + ".trace_id", span.getTraceId(), 16, false);
          if (p == null) {
            p = id(at + ".span_id", span.getSpanId(), 8, false);
          }
          if (p == null) {
            p = id(at + ".parent_span_id", span.getParentSpanId(), 8, true);
          }
          for (int l = 0; p == null && l < span.getLinksCount(); l++) {
            p = id(at + ".links[" + l + "].trace_id", span.getLinks(l).getTraceId(), 16, false);
            if (p == null) {
              p = id(at + ".links[" + l + "].span_id", span.getLinks(l).getSpanId(), 8, false);
            }
          }
          if (p != null) {
            return p;
          }
        }
      }
    }
    return null;
  }

  private static String logs(ExportLogsServiceRequest req) {
    List<ResourceLogs> rls = req.getResourceLogsList();
    for (int r = 0; r < rls.size(); r++) {
      List<ScopeLogs> sls = rls.get(r).getScopeLogsList();
      for (int s = 0; s < sls.size(); s++) {
        List<LogRecord> records = sls.get(s).getLogRecordsList();
        for (int i = 0; i < records.size(); i++) {
          LogRecord record = records.get(i);
          if ((record.getTraceId().isEmpty() || record.getTraceId().size() == 16)
              && (record.getSpanId().isEmpty() || record.getSpanId().size() == 8)) {
            continue;
          }
          String at = "resource_logs[" + r + "].scope_logs[" + s + "].log_records[" + i + "]";
          String p = id(at + ".trace_id", records.get(i).getTraceId(), 16, true);
          if (p == null) {
            p = id(at + ".span_id", records.get(i).getSpanId(), 8, true);
          }
          if (p != null) {
            return p;
          }
        }
      }
    }
    return null;
  }

  private static String metrics(ExportMetricsServiceRequest req) {
    List<ResourceMetrics> rms = req.getResourceMetricsList();
    for (int r = 0; r < rms.size(); r++) {
      List<ScopeMetrics> sms = rms.get(r).getScopeMetricsList();
      for (int s = 0; s < sms.size(); s++) {
        List<Metric> metrics = sms.get(s).getMetricsList();
        for (int i = 0; i < metrics.size(); i++) {
          String p = exemplars("resource_metrics[" + r + "].scope_metrics[" + s + "].metrics[" + i + "]",
              metrics.get(i));
          if (p != null) {
            return p;
          }
        }
      }
    }
    return null;
  }

  private static String exemplars(String at, Metric m) {
    switch (m.getDataCase()) {
      case GAUGE: return exemplars(at, m.getGauge().getDataPointsList(), NumberDataPoint::getExemplarsList);
      case SUM: return exemplars(at, m.getSum().getDataPointsList(), NumberDataPoint::getExemplarsList);
      case HISTOGRAM:
        return exemplars(at, m.getHistogram().getDataPointsList(), HistogramDataPoint::getExemplarsList);
      case EXPONENTIAL_HISTOGRAM:
        return exemplars(at, m.getExponentialHistogram().getDataPointsList(),
            ExponentialHistogramDataPoint::getExemplarsList);
      default: return null;
    }
  }

  private static <P> String exemplars(String at, List<P> points, Function<P, List<Exemplar>> exemplarsOf) {
    for (P point : points) {
      String p = exemplars(at, exemplarsOf.apply(point));
      if (p != null) {
        return p;
      }
    }
    return null;
  }

  private static String exemplars(String at, List<Exemplar> exemplars) {
    for (Exemplar e : exemplars) {
      String p = id(at + ".exemplars.trace_id", e.getTraceId(), 16, true);
      if (p == null) {
        p = id(at + ".exemplars.span_id", e.getSpanId(), 8, true);
      }
      if (p != null) {
        return p;
      }
    }
    return null;
  }

  private static String id(String at, ByteString id, int length, boolean mayBeEmpty) {
    if (id.size() == length || mayBeEmpty && id.isEmpty()) {
      return null;
    }
    return at + ": " + id.size() + " bytes (expected: " + length + (mayBeEmpty ? " or none" : "") + ")";
  }
}
