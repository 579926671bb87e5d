package dev.kansoku.model;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.function.Function;
import javax.annotation.Nullable;

/**
 * The one walk over the items of each OTLP request type, with their positions in OTLP field names
 * ({@code resource_spans[0].scope_spans[1].spans[2]}), spelled only for an item a rule rejects. Used
 * by {@link OtlpRules}' filters and by receivers' whole-request checks ({@link #firstRejected}).
 * Stateless, thread-safe.
 */
public final class OtlpItems {
  private OtlpItems() {}

  /**
   * The first span that fails {@code rule}, as "resource_spans[r].scope_spans[s].spans[i]: reason";
   * null when none does. For checks that refuse a whole request.
   */
  @Nullable
  public static String firstRejected(ExportTraceServiceRequest req, Function<Span, String> rule) {
    Rejects rejects = new Rejects(true);
    eachSpan(req, rejects.of(rule, SPANS));
    return rejects.first;
  }

  /** As {@link #firstRejected(ExportTraceServiceRequest, Function)}, for log records. */
  @Nullable
  public static String firstRejected(ExportLogsServiceRequest req, Function<LogRecord, String> rule) {
    Rejects rejects = new Rejects(true);
    eachLog(req, rejects.of(rule, LOG_RECORDS));
    return rejects.first;
  }

  /** As {@link #firstRejected(ExportTraceServiceRequest, Function)}, for metrics. */
  @Nullable
  public static String firstRejected(ExportMetricsServiceRequest req, Function<Metric, String> rule) {
    Rejects rejects = new Rejects(true);
    eachMetric(req, rejects.of(rule, METRICS));
    return rejects.first;
  }

  /** Sees one item and its position (resource, scope and item index); false stops the walk. */
  interface Visitor<I> {
    boolean visit(I item, int r, int s, int i);
  }

  static void eachSpan(ExportTraceServiceRequest req, Visitor<Span> v) {
    List<ResourceSpans> rss = req.getResourceSpansList();
    for (int r = 0; r < rss.size(); r++) {
      List<ScopeSpans> sss = rss.get(r).getScopeSpansList();
      for (int s = 0; s < sss.size(); s++) {
        List<Span> spans = sss.get(s).getSpansList();
        for (int i = 0; i < spans.size(); i++) {
          if (!v.visit(spans.get(i), r, s, i)) {
            return;
          }
        }
      }
    }
  }

  static void eachLog(ExportLogsServiceRequest req, Visitor<LogRecord> v) {
    List<ResourceLogs> rls = req.getResourceLogsList();
    for (int r = 0; r < rls.size(); r++) {
      List<ScopeLogs> sls = rls.get(r).getScopeLogsList();
      for (int s = 0; s < sls.size(); s++) {
        List<LogRecord> records = sls.get(s).getLogRecordsList();
        for (int i = 0; i < records.size(); i++) {
          if (!v.visit(records.get(i), r, s, i)) {
            return;
          }
        }
      }
    }
  }

  static void eachMetric(ExportMetricsServiceRequest req, Visitor<Metric> v) {
    List<ResourceMetrics> rms = req.getResourceMetricsList();
    for (int r = 0; r < rms.size(); r++) {
      List<ScopeMetrics> sms = rms.get(r).getScopeMetricsList();
      for (int s = 0; s < sms.size(); s++) {
        List<Metric> metrics = sms.get(s).getMetricsList();
        for (int i = 0; i < metrics.size(); i++) {
          if (!v.visit(metrics.get(i), r, s, i)) {
            return;
          }
        }
      }
    }
  }

  /** The OTLP field names of an item's position, spelled only for an item that is rejected. */
  record Path(String resources, String scopes, String items) {
    String at(int r, int s, int i) {
      return resources + "[" + r + "]." + scopes + "[" + s + "]." + items + "[" + i + "]";
    }
  }

  static final Path SPANS = new Path("resource_spans", "scope_spans", "spans");
  static final Path LOG_RECORDS = new Path("resource_logs", "scope_logs", "log_records");
  static final Path METRICS = new Path("resource_metrics", "scope_metrics", "metrics");

  /** Counts rejected items and keeps the first reason, with the item's position. Not thread-safe. */
  static final class Rejects {
    private final boolean firstOnly;
    int count;
    String first;

    /** @param firstOnly stop the walk at the first rejected item */
    Rejects(boolean firstOnly) {
      this.firstOnly = firstOnly;
    }

    /** A visitor that applies {@code rule} to each item and records the items it rejects. */
    <I> Visitor<I> of(Function<I, String> rule, Path path) {
      return (item, r, s, i) -> {
        String p = rule.apply(item);
        if (p == null) {
          return true;
        }
        add(1, path.at(r, s, i) + ": " + p);
        return !firstOnly;
      };
    }

    void add(int items, String reason) {
      if (first == null) {
        first = reason;
      }
      count += items;
    }
  }
}
