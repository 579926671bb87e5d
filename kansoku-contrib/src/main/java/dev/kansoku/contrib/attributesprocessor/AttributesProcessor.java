package dev.kansoku.contrib.attributesprocessor;

import dev.kansoku.contrib.attraction.Actions;
import dev.kansoku.contrib.filterconfig.PropertiesMatcher;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Processor;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import javax.annotation.Nullable;

/**
 * Applies the actions to the attributes of the selected spans, log records or metric data points (of
 * every point type) and passes the batch on. OTLP messages are immutable: only what changed is
 * rebuilt, and a batch the actions leave alone goes on as the same object. Thread-safe.
 */
final class AttributesProcessor<T> implements Processor<T> {
  /** Every data point of a selected metric. */
  private static final Predicate<Object> ALL = x -> true;

  private final Actions actions;
  @Nullable private final PropertiesMatcher include;
  @Nullable private final PropertiesMatcher exclude;
  private final UnaryOperator<T> rewrite;
  private final DataConsumer<T> next;

  @SuppressWarnings("unchecked")
  AttributesProcessor(Signal<T> signal, Actions actions, @Nullable PropertiesMatcher include,
      @Nullable PropertiesMatcher exclude, DataConsumer<T> next) {
    this.actions = actions;
    this.include = include;
    this.exclude = exclude;
    this.next = next;
    UnaryOperator<?> op;
    if (signal == Signal.TRACES) {
      op = (UnaryOperator<ExportTraceServiceRequest>) this::traces;
    } else if (signal == Signal.METRICS) {
      op = (UnaryOperator<ExportMetricsServiceRequest>) this::metrics;
    } else {
      op = (UnaryOperator<ExportLogsServiceRequest>) this::logs;
    }
    this.rewrite = (UnaryOperator<T>) op;
  }

  @Override
  public void consume(T data) throws ConsumeException {
    next.consume(rewrite.apply(data));
  }

  /** The items with the actions applied to those selected, or null when none changed. */
  @Nullable
  private <E> List<E> apply(List<E> items, Predicate<? super E> selected, Function<E, List<KeyValue>> attributes,
      BiFunction<E, List<KeyValue>, E> withAttributes) {
    List<E> out = null;
    for (int i = 0; i < items.size(); i++) {
      E item = items.get(i);
      if (!selected.test(item)) {
        continue;
      }
      List<KeyValue> before = attributes.apply(item);
      List<KeyValue> after = actions.apply(before);
      if (after != before) {
        out = out == null ? new ArrayList<>(items) : out;
        out.set(i, withAttributes.apply(item, after));
      }
    }
    return out;
  }

  private ExportTraceServiceRequest traces(ExportTraceServiceRequest req) {
    ExportTraceServiceRequest.Builder b = null;
    for (int i = 0; i < req.getResourceSpansCount(); i++) {
      ResourceSpans rs = req.getResourceSpans(i);
      Resource resource = rs.getResource();
      ResourceSpans.Builder rsb = null;
      for (int j = 0; j < rs.getScopeSpansCount(); j++) {
        ScopeSpans ss = rs.getScopeSpans(j);
        List<Span> spans = apply(ss.getSpansList(),
            span -> (include == null || include.matchesSpan(resource, ss.getScope(), span))
                && (exclude == null || !exclude.matchesSpan(resource, ss.getScope(), span)),
            Span::getAttributesList, (span, attrs) -> span.toBuilder().clearAttributes().addAllAttributes(attrs).build());
        if (spans != null) {
          rsb = rsb == null ? rs.toBuilder() : rsb;
          rsb.setScopeSpans(j, ss.toBuilder().clearSpans().addAllSpans(spans));
        }
      }
      if (rsb != null) {
        b = b == null ? req.toBuilder() : b;
        b.setResourceSpans(i, rsb);
      }
    }
    return b == null ? req : b.build();
  }

  private ExportLogsServiceRequest logs(ExportLogsServiceRequest req) {
    ExportLogsServiceRequest.Builder b = null;
    for (int i = 0; i < req.getResourceLogsCount(); i++) {
      ResourceLogs rl = req.getResourceLogs(i);
      Resource resource = rl.getResource();
      ResourceLogs.Builder rlb = null;
      for (int j = 0; j < rl.getScopeLogsCount(); j++) {
        ScopeLogs sl = rl.getScopeLogs(j);
        List<LogRecord> records = apply(sl.getLogRecordsList(),
            lr -> (include == null || include.matchesLog(resource, sl.getScope(), lr))
                && (exclude == null || !exclude.matchesLog(resource, sl.getScope(), lr)),
            LogRecord::getAttributesList, (lr, attrs) -> lr.toBuilder().clearAttributes().addAllAttributes(attrs).build());
        if (records != null) {
          rlb = rlb == null ? rl.toBuilder() : rlb;
          rlb.setScopeLogs(j, sl.toBuilder().clearLogRecords().addAllLogRecords(records));
        }
      }
      if (rlb != null) {
        b = b == null ? req.toBuilder() : b;
        b.setResourceLogs(i, rlb);
      }
    }
    return b == null ? req : b.build();
  }

  private ExportMetricsServiceRequest metrics(ExportMetricsServiceRequest req) {
    ExportMetricsServiceRequest.Builder b = null;
    for (int i = 0; i < req.getResourceMetricsCount(); i++) {
      ResourceMetrics rm = req.getResourceMetrics(i);
      Resource resource = rm.getResource();
      ResourceMetrics.Builder rmb = null;
      for (int j = 0; j < rm.getScopeMetricsCount(); j++) {
        ScopeMetrics sm = rm.getScopeMetrics(j);
        List<Metric> metrics = null;
        for (int k = 0; k < sm.getMetricsCount(); k++) {
          Metric m = sm.getMetrics(k);
          if ((include != null && !include.matchesMetric(resource, m))
              || (exclude != null && exclude.matchesMetric(resource, m))) {
            continue;
          }
          Metric changed = points(m);
          if (changed != null) {
            metrics = metrics == null ? new ArrayList<>(sm.getMetricsList()) : metrics;
            metrics.set(k, changed);
          }
        }
        if (metrics != null) {
          rmb = rmb == null ? rm.toBuilder() : rmb;
          rmb.setScopeMetrics(j, sm.toBuilder().clearMetrics().addAllMetrics(metrics));
        }
      }
      if (rmb != null) {
        b = b == null ? req.toBuilder() : b;
        b.setResourceMetrics(i, rmb);
      }
    }
    return b == null ? req : b.build();
  }

  /** The metric with the actions applied to every data point, or null when none changed. */
  @Nullable
  private Metric points(Metric m) {
    switch (m.getDataCase()) {
      case GAUGE -> {
        List<NumberDataPoint> p = apply(m.getGauge().getDataPointsList(), ALL, NumberDataPoint::getAttributesList,
            (dp, attrs) -> dp.toBuilder().clearAttributes().addAllAttributes(attrs).build());
        return p == null ? null : m.toBuilder().setGauge(m.getGauge().toBuilder().clearDataPoints().addAllDataPoints(p))
            .build();
      }
      case SUM -> {
        List<NumberDataPoint> p = apply(m.getSum().getDataPointsList(), ALL, NumberDataPoint::getAttributesList,
            (dp, attrs) -> dp.toBuilder().clearAttributes().addAllAttributes(attrs).build());
        return p == null ? null : m.toBuilder().setSum(m.getSum().toBuilder().clearDataPoints().addAllDataPoints(p))
            .build();
      }
      case HISTOGRAM -> {
        List<HistogramDataPoint> p = apply(m.getHistogram().getDataPointsList(), ALL,
            HistogramDataPoint::getAttributesList,
            (dp, attrs) -> dp.toBuilder().clearAttributes().addAllAttributes(attrs).build());
        return p == null ? null : m.toBuilder().setHistogram(m.getHistogram().toBuilder().clearDataPoints()
            .addAllDataPoints(p)).build();
      }
      case EXPONENTIAL_HISTOGRAM -> {
        List<ExponentialHistogramDataPoint> p = apply(m.getExponentialHistogram().getDataPointsList(), ALL,
            ExponentialHistogramDataPoint::getAttributesList,
            (dp, attrs) -> dp.toBuilder().clearAttributes().addAllAttributes(attrs).build());
        return p == null ? null : m.toBuilder().setExponentialHistogram(m.getExponentialHistogram().toBuilder()
            .clearDataPoints().addAllDataPoints(p)).build();
      }
      case SUMMARY -> {
        List<SummaryDataPoint> p = apply(m.getSummary().getDataPointsList(), ALL, SummaryDataPoint::getAttributesList,
            (dp, attrs) -> dp.toBuilder().clearAttributes().addAllAttributes(attrs).build());
        return p == null ? null : m.toBuilder().setSummary(m.getSummary().toBuilder().clearDataPoints()
            .addAllDataPoints(p)).build();
      }
      default -> {
        return null;
      }
    }
  }
}
