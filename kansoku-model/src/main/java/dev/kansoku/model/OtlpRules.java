package dev.kansoku.model;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.annotation.Nullable;

/**
 * The model's rules for one OTLP item, checked on the protobuf without building a record: the one
 * judgement shared by {@link OtlpToModel} (which skips what fails them) and by receivers, which drop
 * the same items before the pipeline and tell the sender in OTLP's {@code partial_success}. So no
 * item is accepted by a receiver and then silently left out of the store.
 *
 * <p>Each check returns null for an item the model accepts, else the reason in OTLP field names.
 * Stateless, thread-safe; a batch with nothing to reject costs a few comparisons per item and no
 * allocation.
 */
public final class OtlpRules {
  private OtlpRules() {}

  /** A request with the rejected items removed, how many items were removed and the first reason. */
  public record Filtered<T>(T request, int rejected, @Nullable String firstError) {
    public Filtered {
      requireNonNull(request, "request");
    }
  }

  // ---- spans

  /** Null when {@link OtlpToModel#spans} stores the span. */
  @Nullable
  public static String span(Span s) {
    String p = traceId(s.getTraceId(), "trace_id");
    if (p != null) {
      return p;
    }
    ByteString spanId = s.getSpanId();
    if (spanId.size() != 8 || allZero(spanId)) {
      return spanId.size() == 0 || spanId.size() == 8 ? "span_id: missing or all zeros"
          : "span_id: " + spanId.size() + " bytes (expected: 8)";
    }
    ByteString parent = s.getParentSpanId();
    if (!parent.isEmpty() && parent.size() != 8) {
      return "parent_span_id: " + parent.size() + " bytes (expected: 8 or none)";
    }
    if (parent.equals(spanId)) {
      return "parent_span_id: the span's own id";
    }
    if (s.getEndTimeUnixNano() < s.getStartTimeUnixNano()) {
      // Compared as signed longs, as the record does: times past 2262 are not real span times.
      return "end_time_unix_nano " + s.getEndTimeUnixNano() + " is before start_time_unix_nano "
          + s.getStartTimeUnixNano();
    }
    for (int i = 0; i < s.getLinksCount(); i++) {
      Span.Link l = s.getLinks(i);
      ByteString linked = l.getSpanId();
      if (linked.isEmpty() || linked.size() == 8 && allZero(linked)) {
        continue; // a link without a span id is dropped from the record, not the span
      }
      if (linked.size() != 8) {
        return "links[" + i + "].span_id: " + linked.size() + " bytes (expected: 8)";
      }
      p = traceId(l.getTraceId(), "links[" + i + "].trace_id");
      if (p != null) {
        return p;
      }
    }
    return null;
  }

  @Nullable
  private static String traceId(ByteString id, String field) {
    if (id.size() != 16) {
      return field + ": " + id.size() + " bytes (expected: 16)";
    }
    return allZero(id) ? field + ": all zeros (W3C calls that invalid)" : null;
  }

  /** The request without the spans that fail {@link #span}; the same instance when none fails. */
  public static Filtered<ExportTraceServiceRequest> traces(ExportTraceServiceRequest req) {
    requireNonNull(req, "req");
    OtlpItems.Rejects rejects = new OtlpItems.Rejects(false);
    OtlpItems.eachSpan(req, rejects.of(OtlpRules::span, OtlpItems.SPANS));
    if (rejects.count == 0) {
      return new Filtered<>(req, 0, null);
    }
    ExportTraceServiceRequest.Builder out = ExportTraceServiceRequest.newBuilder();
    for (ResourceSpans rs : req.getResourceSpansList()) {
      ResourceSpans.Builder rb = rs.toBuilder().clearScopeSpans();
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        List<Span> kept = new ArrayList<>(ss.getSpansCount());
        for (Span span : ss.getSpansList()) {
          if (span(span) == null) {
            kept.add(span);
          }
        }
        if (!kept.isEmpty()) {
          rb.addScopeSpans(ss.toBuilder().clearSpans().addAllSpans(kept));
        }
      }
      if (rb.getScopeSpansCount() > 0) {
        out.addResourceSpans(rb);
      }
    }
    return new Filtered<>(out.build(), rejects.count, rejects.first);
  }

  // ---- logs

  /** Null when {@link OtlpToModel#logs} stores the record. */
  @Nullable
  public static String log(LogRecord l) {
    int severity = l.getSeverityNumberValue();
    if (severity < 0 || severity > 24) {
      return "severity_number: " + severity + " (expected: 0..24)";
    }
    // The span id is read only when the trace id is usable; otherwise both are dropped, not the record.
    if (hasTraceId(l)) {
      ByteString spanId = l.getSpanId();
      if (!spanId.isEmpty() && spanId.size() != 8) {
        return "span_id: " + spanId.size() + " bytes (expected: 8 or none)";
      }
    }
    return null;
  }

  /** True when the record's trace id is one the model keeps: 16 bytes, not all zeros. */
  static boolean hasTraceId(LogRecord l) {
    ByteString t = l.getTraceId();
    return t.size() == 16 && !allZero(t);
  }

  /** The request without the log records that fail {@link #log}; the same instance when none fails. */
  public static Filtered<ExportLogsServiceRequest> logs(ExportLogsServiceRequest req) {
    requireNonNull(req, "req");
    OtlpItems.Rejects rejects = new OtlpItems.Rejects(false);
    OtlpItems.eachLog(req, rejects.of(OtlpRules::log, OtlpItems.LOG_RECORDS));
    if (rejects.count == 0) {
      return new Filtered<>(req, 0, null);
    }
    ExportLogsServiceRequest.Builder out = ExportLogsServiceRequest.newBuilder();
    for (ResourceLogs rl : req.getResourceLogsList()) {
      ResourceLogs.Builder rb = rl.toBuilder().clearScopeLogs();
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        List<LogRecord> kept = new ArrayList<>(sl.getLogRecordsCount());
        for (LogRecord record : sl.getLogRecordsList()) {
          if (log(record) == null) {
            kept.add(record);
          }
        }
        if (!kept.isEmpty()) {
          rb.addScopeLogs(sl.toBuilder().clearLogRecords().addAllLogRecords(kept));
        }
      }
      if (rb.getScopeLogsCount() > 0) {
        out.addResourceLogs(rb);
      }
    }
    return new Filtered<>(out.build(), rejects.count, rejects.first);
  }

  // ---- metrics: OTLP counts data points, so the rules are per point, plus what rejects a whole metric

  /** Null when the metric as a whole can be stored (its points are then checked one by one). */
  @Nullable
  public static String metric(Metric m) {
    if (m.getName().isEmpty()) {
      return "name: empty";
    }
    if (m.getDataCase() == Metric.DataCase.DATA_NOT_SET) {
      return "metric " + m.getName() + ": no data";
    }
    return null;
  }

  /** Null when the histogram point can be stored. */
  @Nullable
  public static String point(HistogramDataPoint p) {
    if (p.getCount() < 0) {
      return "count: " + Long.toUnsignedString(p.getCount()) + " (expected: below 2^63)";
    }
    if (p.getBucketCountsCount() > 0 && p.getBucketCountsCount() != p.getExplicitBoundsCount() + 1) {
      return "bucket_counts: " + p.getBucketCountsCount() + " counts for " + p.getExplicitBoundsCount()
          + " explicit_bounds (expected: bounds + 1)";
    }
    return increasing(p.getExplicitBoundsList(), "explicit_bounds");
  }

  /** Null when the exponential histogram point can be stored (its buckets become explicit bounds). */
  @Nullable
  public static String point(ExponentialHistogramDataPoint p) {
    if (p.getCount() < 0) {
      return "count: " + Long.toUnsignedString(p.getCount()) + " (expected: below 2^63)";
    }
    return increasing(exponentialBounds(p), "scale " + p.getScale() + " and offset " + p.getPositive().getOffset()
        + ": bucket bounds");
  }

  /** Null when the summary point can be stored. */
  @Nullable
  public static String point(SummaryDataPoint p) {
    return p.getCount() < 0 ? "count: " + Long.toUnsignedString(p.getCount()) + " (expected: below 2^63)" : null;
  }

  /**
   * The explicit bounds an exponential histogram point becomes: 0, then base^(offset+i) for each
   * positive bucket edge; shared with the conversion so both judge the same numbers.
   */
  static List<Double> exponentialBounds(ExponentialHistogramDataPoint p) {
    double base = Math.pow(2, Math.pow(2, -p.getScale()));
    int offset = p.getPositive().getOffset();
    int buckets = p.getPositive().getBucketCountsCount();
    List<Double> bounds = new ArrayList<>(buckets + 2);
    bounds.add(0.0);
    if (buckets > 0) {
      bounds.add(Math.pow(base, offset));
    }
    for (int i = 0; i < buckets; i++) {
      bounds.add(Math.pow(base, offset + i + 1));
    }
    return bounds;
  }

  @Nullable
  private static String increasing(List<Double> bounds, String field) {
    for (int i = 1; i < bounds.size(); i++) {
      if (!(bounds.get(i) > bounds.get(i - 1))) {
        return field + ": not increasing at index " + i + " (" + bounds.get(i - 1) + ", " + bounds.get(i) + ")";
      }
    }
    return null;
  }

  /** How many data points the metric carries, as OTLP counts them for {@code rejected_data_points}. */
  public static int dataPoints(Metric m) {
    switch (m.getDataCase()) {
      case GAUGE: return m.getGauge().getDataPointsCount();
      case SUM: return m.getSum().getDataPointsCount();
      case HISTOGRAM: return m.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM: return m.getExponentialHistogram().getDataPointsCount();
      case SUMMARY: return m.getSummary().getDataPointsCount();
      default: return 0;
    }
  }

  /**
   * The request without the data points that fail the rules (and without metrics that fail
   * {@link #metric}, counted as all their points); the same instance when nothing fails. A metric
   * with no data has no point to count, but is still named in {@code firstError}.
   */
  public static Filtered<ExportMetricsServiceRequest> metrics(ExportMetricsServiceRequest req) {
    requireNonNull(req, "req");
    OtlpItems.Rejects rejects = new OtlpItems.Rejects(false);
    boolean[] any = {false};
    OtlpItems.eachMetric(req, (m, r, s, i) -> {
      String at = OtlpItems.METRICS.at(r, s, i);
      String p = metric(m);
      if (p != null) {
        any[0] = true;
        rejects.add(dataPoints(m), at + ": " + p);
      } else {
        any[0] |= badPoints(m, at, rejects) > 0;
      }
      return true;
    });
    if (!any[0]) {
      return new Filtered<>(req, 0, null);
    }
    ExportMetricsServiceRequest.Builder out = ExportMetricsServiceRequest.newBuilder();
    for (ResourceMetrics rm : req.getResourceMetricsList()) {
      ResourceMetrics.Builder rb = rm.toBuilder().clearScopeMetrics();
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        List<Metric> kept = new ArrayList<>(sm.getMetricsCount());
        for (Metric m : sm.getMetricsList()) {
          Metric k = metric(m) == null ? keptPoints(m) : null;
          if (k != null && dataPoints(k) > 0) {
            kept.add(k);
          }
        }
        if (!kept.isEmpty()) {
          rb.addScopeMetrics(sm.toBuilder().clearMetrics().addAllMetrics(kept));
        }
      }
      if (rb.getScopeMetricsCount() > 0) {
        out.addResourceMetrics(rb);
      }
    }
    return new Filtered<>(out.build(), rejects.count, rejects.first);
  }

  private static int badPoints(Metric m, String at, OtlpItems.Rejects rejects) {
    switch (m.getDataCase()) {
      case HISTOGRAM:
        return countBad(m.getHistogram().getDataPointsList(), OtlpRules::point, at + ".histogram", rejects);
      case EXPONENTIAL_HISTOGRAM:
        return countBad(m.getExponentialHistogram().getDataPointsList(), OtlpRules::point,
            at + ".exponential_histogram", rejects);
      case SUMMARY:
        return countBad(m.getSummary().getDataPointsList(), OtlpRules::point, at + ".summary", rejects);
      default:
        return 0; // gauge and sum points have nothing the model refuses
    }
  }

  private static <P> int countBad(List<P> points, Function<P, String> rule, String at, OtlpItems.Rejects rejects) {
    int bad = 0;
    for (int i = 0; i < points.size(); i++) {
      String p = rule.apply(points.get(i));
      if (p != null) {
        bad++;
        rejects.add(1, at + ".data_points[" + i + "]: " + p);
      }
    }
    return bad;
  }

  /** The metric with only the points that pass; the same instance when all do. */
  private static Metric keptPoints(Metric m) {
    switch (m.getDataCase()) {
      case HISTOGRAM: {
        List<HistogramDataPoint> kept = keep(m.getHistogram().getDataPointsList(), OtlpRules::point);
        return kept == null ? m : m.toBuilder().setHistogram(
            Histogram.newBuilder(m.getHistogram()).clearDataPoints().addAllDataPoints(kept)).build();
      }
      case EXPONENTIAL_HISTOGRAM: {
        List<ExponentialHistogramDataPoint> kept = keep(m.getExponentialHistogram().getDataPointsList(),
            OtlpRules::point);
        return kept == null ? m : m.toBuilder().setExponentialHistogram(ExponentialHistogram.newBuilder(
            m.getExponentialHistogram()).clearDataPoints().addAllDataPoints(kept)).build();
      }
      case SUMMARY: {
        List<SummaryDataPoint> kept = keep(m.getSummary().getDataPointsList(), OtlpRules::point);
        return kept == null ? m : m.toBuilder().setSummary(
            Summary.newBuilder(m.getSummary()).clearDataPoints().addAllDataPoints(kept)).build();
      }
      default:
        return m;
    }
  }

  /** The points that pass, or null when all do. */
  @Nullable
  private static <P> List<P> keep(List<P> points, Function<P, String> rule) {
    List<P> kept = null;
    for (int i = 0; i < points.size(); i++) {
      boolean ok = rule.apply(points.get(i)) == null;
      if (!ok && kept == null) {
        kept = new ArrayList<>(points.subList(0, i));
      } else if (ok && kept != null) {
        kept.add(points.get(i));
      }
    }
    return kept;
  }

  static boolean allZero(ByteString b) {
    for (int i = 0; i < b.size(); i++) {
      if (b.byteAt(i) != 0) {
        return false;
      }
    }
    return true;
  }
}
