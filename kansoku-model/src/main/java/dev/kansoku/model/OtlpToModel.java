package dev.kansoku.model;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import javax.annotation.Nullable;

/**
 * Converts the pipeline's OTLP export requests into model records.
 *
 * <ul>
 *   <li>Service: the resource's {@code service.name}, else {@code unknown_service} (as the SDKs default).
 *   <li>Log group: the resource's {@code aws.log.group.names} (first name; arrays or {@code &}-joined
 *       strings as ADOT sends them), else the service name. Log stream: {@code aws.log.stream.names},
 *       else {@code service.instance.id}, else {@code host.name}, else {@code default}.
 *   <li>Metric namespace: {@code service.namespace/service.name} when a service namespace is set,
 *       else the service name, which is what ADOT's awsemf exporter does (the seed's {@code dice-server}).
 *       Dimensions: the data point's attributes as strings.
 *   <li>Attributes: OTLP arrays become JSON-like text {@code ["a","b"]}; maps are flattened to
 *       dotted keys ({@code k.sub}); bytes become hex.
 * </ul>
 * An item that violates the model (a zero trace id, end before start, …) is rejected alone and
 * counted in the result (spans, log records, metric data points, as OTLP counts them); the rest of
 * the batch converts. What is rejected is decided by {@link OtlpRules}, which receivers apply too.
 * Cumulative metrics are stored as increases when the caller passes a {@link CumulativeDeltas} batch.
 * Stateless (that state is the caller's), thread-safe.
 */
public final class OtlpToModel {
  static final String UNKNOWN_SERVICE = "unknown_service";
  /** OTLP DataPointFlags.FLAG_NO_RECORDED_VALUE. */
  private static final int NO_RECORDED_VALUE = 1;

  private OtlpToModel() {}

  /** Converted items plus the items that were rejected, with the first reason for the log. */
  public record Converted<T>(List<T> items, int rejected, @Nullable String firstError) {
    public Converted {
      items = List.copyOf(items);
    }
  }

  public static Converted<SpanRecord> spans(ExportTraceServiceRequest request) {
    requireNonNull(request, "request");
    List<SpanRecord> out = new ArrayList<>();
    Rejects rejects = new Rejects();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      Map<String, Object> resource = attributes(rs.getResource().getAttributesList());
      String service = service(resource);
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          String problem = OtlpRules.span(s);
          if (problem != null) {
            rejects.add(problem);
            continue;
          }
          try {
            SpanRecord.Builder b = SpanRecord.builder()
                .traceId(TraceId.fromBytes(s.getTraceId().toByteArray()))
                .spanId(requireSpanId(s.getSpanId().toByteArray()))
                .parentSpanId(SpanId.fromBytesOrNull(s.getParentSpanId().toByteArray()))
                .serviceName(service)
                .name(s.getName())
                .kind(SpanKind.fromOtlp(s.getKindValue()))
                .startNanos(s.getStartTimeUnixNano())
                .endNanos(s.getEndTimeUnixNano())
                .status(StatusCode.fromOtlp(s.getStatus().getCodeValue()), s.getStatus().getMessage())
                .attributes(attributes(s.getAttributesList()))
                .resourceAttributes(resource)
                .scope(ss.getScope().getName(), ss.getScope().getVersion());
            for (Span.Event e : s.getEventsList()) {
              b.addEvent(new SpanEvent(e.getTimeUnixNano(), e.getName(), attributes(e.getAttributesList())));
            }
            for (Span.Link l : s.getLinksList()) {
              SpanId linked = SpanId.fromBytesOrNull(l.getSpanId().toByteArray());
              if (linked != null) {
                b.addLink(new SpanLink(TraceId.fromBytes(l.getTraceId().toByteArray()), linked,
                    attributes(l.getAttributesList())));
              }
            }
            out.add(b.build());
          } catch (IllegalArgumentException e) {
            rejects.add(e);
          }
        }
      }
    }
    return new Converted<>(out, rejects.count, rejects.first);
  }

  public static Converted<LogRecord> logs(ExportLogsServiceRequest request) {
    requireNonNull(request, "request");
    List<LogRecord> out = new ArrayList<>();
    Rejects rejects = new Rejects();
    for (ResourceLogs rl : request.getResourceLogsList()) {
      Resource r = rl.getResource();
      Map<String, Object> resource = attributes(r.getAttributesList());
      String service = service(resource);
      String group = firstName(r, "aws.log.group.names");
      String stream = firstName(r, "aws.log.stream.names");
      if (stream == null) {
        stream = Attributes.string(resource, "service.instance.id");
      }
      if (stream == null) {
        stream = Attributes.string(resource, "host.name");
      }
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        for (io.opentelemetry.proto.logs.v1.LogRecord l : sl.getLogRecordsList()) {
          String problem = OtlpRules.log(l);
          if (problem != null) {
            rejects.add(problem);
            continue;
          }
          try {
            TraceId traceId = OtlpRules.hasTraceId(l) ? TraceId.fromBytes(l.getTraceId().toByteArray()) : null;
            out.add(LogRecord.builder()
                .timeNanos(l.getTimeUnixNano())
                .observedTimeNanos(l.getObservedTimeUnixNano())
                .logGroup(group != null ? group : service)
                .logStream(stream != null ? stream : "default")
                .serviceName(service)
                .severity(l.getSeverityText(), l.getSeverityNumberValue())
                .body(text(l.getBody()))
                .attributes(attributes(l.getAttributesList()))
                .resourceAttributes(resource)
                .traceId(traceId)
                .spanId(traceId == null ? null : SpanId.fromBytesOrNull(l.getSpanId().toByteArray()))
                .build());
          } catch (IllegalArgumentException e) {
            rejects.add(e);
          }
        }
      }
    }
    return new Converted<>(out, rejects.count, rejects.first);
  }

  /** Every point as the sender aggregated it: cumulative totals stay totals. */
  public static Converted<MetricPoint> metrics(ExportMetricsServiceRequest request) {
    return metrics(request, null);
  }

  /**
   * Cumulative sums, histograms and exponential histograms, and summaries from a Prometheus receiver
   * (resource attribute {@code receiver: prometheus}, as awsemf decides), become the increase since the
   * series' previous point, remembered in {@code deltas}' state; points that are only a baseline
   * are left out. Without {@code deltas} this is {@link #metrics(ExportMetricsServiceRequest)}.
   */
  public static Converted<MetricPoint> metrics(ExportMetricsServiceRequest request,
      @Nullable CumulativeDeltas.Batch deltas) {
    requireNonNull(request, "request");
    List<MetricPoint> out = new ArrayList<>();
    Rejects rejects = new Rejects();
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      Map<String, Object> resource = attributes(rm.getResource().getAttributesList());
      String service = service(resource);
      String serviceNamespace = Attributes.string(resource, "service.namespace");
      String ns = serviceNamespace == null || serviceNamespace.isEmpty() ? service : serviceNamespace + "/" + service;
      byte[] resourceDigest = deltas == null ? null : CumulativeDeltas.resourceDigest(rm.getResource());
      boolean prometheus = "prometheus".equals(Attributes.string(resource, "receiver"));
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          String problem = OtlpRules.metric(m);
          if (problem != null) {
            rejects.add(OtlpRules.dataPoints(m), problem);
            continue;
          }
          Series series = deltas == null || !CumulativeDeltas.cumulative(m, prometheus) ? null
              : new Series(deltas, resourceDigest, sm, m);
          convert(ns, m, series, out, rejects);
        }
      }
    }
    return new Converted<>(out, rejects.count, rejects.first);
  }

  /** The cumulative metric a point belongs to, for its series key. */
  private record Series(CumulativeDeltas.Batch deltas, byte[] resourceDigest, ScopeMetrics scope, Metric metric) {
    @Nullable
    MetricPoint delta(List<KeyValue> attributes, long startNanos, MetricPoint point) {
      return deltas.delta(CumulativeDeltas.key(resourceDigest, scope.getScope(), metric, attributes), startNanos,
          point);
    }
  }

  /**
   * Adds the metric's points to {@code out}; a point that fails the rules is counted and skipped alone.
   * A point flagged "no recorded value" (a stale marker) carries nothing to store and is skipped.
   */
  private static void convert(String ns, Metric m, @Nullable Series series, List<MetricPoint> out, Rejects rejects) {
    String name = m.getName();
    String unit = m.getUnit();
    switch (m.getDataCase()) {
      case GAUGE -> {
        for (NumberDataPoint p : m.getGauge().getDataPointsList()) {
          add(out, rejects, p.getFlags(), null, null, () -> MetricPoint.value(ns, name, unit,
              dimensions(p.getAttributesList()), p.getTimeUnixNano(), MetricKind.GAUGE, number(p)));
        }
      }
      case SUM -> {
        for (NumberDataPoint p : m.getSum().getDataPointsList()) {
          if (series != null && Double.isNaN(number(p))) {
            continue; // a NaN total (a Prometheus stale marker) cannot be subtracted; awsemf drops it too
          }
          add(out, rejects, p.getFlags(), null, delta(series, p.getAttributesList(), p.getStartTimeUnixNano()),
              () -> MetricPoint.value(ns, name, unit, dimensions(p.getAttributesList()), p.getTimeUnixNano(),
                  MetricKind.SUM, number(p)));
        }
      }
      case HISTOGRAM -> {
        for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
          add(out, rejects, p.getFlags(), OtlpRules.point(p), delta(series, p.getAttributesList(),
              p.getStartTimeUnixNano()), () -> MetricPoint.histogram(ns, name, unit,
              dimensions(p.getAttributesList()), p.getTimeUnixNano(), p.getCount(), p.getSum(),
              p.hasMin() ? p.getMin() : Double.NaN, p.hasMax() ? p.getMax() : Double.NaN, p.getExplicitBoundsList(),
              p.getBucketCountsList()));
        }
      }
      case EXPONENTIAL_HISTOGRAM -> {
        for (ExponentialHistogramDataPoint p : m.getExponentialHistogram().getDataPointsList()) {
          add(out, rejects, p.getFlags(), OtlpRules.point(p), delta(series, p.getAttributesList(),
              p.getStartTimeUnixNano()), () -> exponential(ns, name, unit, p));
        }
      }
      case SUMMARY -> {
        for (SummaryDataPoint p : m.getSummary().getDataPointsList()) {
          List<Quantile> qs = new ArrayList<>();
          for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
            qs.add(new Quantile(q.getQuantile(), q.getValue()));
          }
          add(out, rejects, p.getFlags(), OtlpRules.point(p), delta(series, p.getAttributesList(),
              p.getStartTimeUnixNano()), () -> MetricPoint.summary(ns, name, unit,
              dimensions(p.getAttributesList()), p.getTimeUnixNano(), p.getCount(), p.getSum(), qs));
        }
      }
      default -> rejects.add(0, "metric " + name + ": no data"); // OtlpRules.metric said so already
    }
  }

  @Nullable
  private static UnaryOperator<MetricPoint> delta(@Nullable Series series, List<KeyValue> attributes, long startNanos) {
    return series == null ? null : point -> series.delta(attributes, startNanos, point);
  }

  private static void add(List<MetricPoint> out, Rejects rejects, int flags, @Nullable String problem,
      @Nullable UnaryOperator<MetricPoint> delta, Supplier<MetricPoint> point) {
    if ((flags & NO_RECORDED_VALUE) != 0) {
      return;
    }
    if (problem != null) {
      rejects.add(problem);
      return;
    }
    try {
      MetricPoint p = point.get();
      if (delta != null) {
        p = delta.apply(p);
      }
      if (p != null) {
        out.add(p);
      }
    } catch (IllegalArgumentException e) {
      rejects.add(e);
    }
  }

  /**
   * Explicit bounds from the exponential scale: positive bucket i spans (base^(offset+i), base^(offset+i+1)].
   * Zero and negative counts go to the first bucket (≤ 0); latency and size histograms have none.
   */
  private static MetricPoint exponential(String ns, String name, String unit, ExponentialHistogramDataPoint p) {
    List<Long> positive = p.getPositive().getBucketCountsList();
    List<Double> bounds = OtlpRules.exponentialBounds(p);
    List<Long> counts = new ArrayList<>();
    long nonPositive = p.getZeroCount();
    for (long c : p.getNegative().getBucketCountsList()) {
      nonPositive += c;
    }
    counts.add(nonPositive);
    if (!positive.isEmpty()) {
      counts.add(0L);
    }
    counts.addAll(positive);
    counts.add(0L);
    return MetricPoint.histogram(ns, name, unit, dimensions(p.getAttributesList()), p.getTimeUnixNano(), p.getCount(),
        p.getSum(), p.hasMin() ? p.getMin() : Double.NaN, p.hasMax() ? p.getMax() : Double.NaN, bounds, counts);
  }

  private static double number(NumberDataPoint p) {
    return p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : p.getAsDouble();
  }

  private static SpanId requireSpanId(byte[] bytes) {
    SpanId id = SpanId.fromBytesOrNull(bytes);
    if (id == null) {
      throw new IllegalArgumentException("span_id: missing or all zeros");
    }
    return id;
  }

  private static String service(Map<String, Object> resource) {
    String s = Attributes.string(resource, "service.name");
    return s == null || s.isEmpty() ? UNKNOWN_SERVICE : s;
  }

  @Nullable
  private static String firstName(Resource r, String key) {
    for (KeyValue kv : r.getAttributesList()) {
      if (!kv.getKey().equals(key)) {
        continue;
      }
      AnyValue v = kv.getValue();
      if (v.hasArrayValue() && v.getArrayValue().getValuesCount() > 0) {
        String s = v.getArrayValue().getValues(0).getStringValue();
        return s.isEmpty() ? null : s;
      }
      if (v.hasStringValue() && !v.getStringValue().isEmpty()) {
        String s = v.getStringValue();
        int amp = s.indexOf('&');
        return amp < 0 ? s : s.substring(0, amp);
      }
    }
    return null;
  }

  /** Flattened attributes; see the class comment. */
  static Map<String, Object> attributes(List<KeyValue> kvs) {
    if (kvs.isEmpty()) {
      return AttributeMap.EMPTY;
    }
    AttributeMap.Builder out = AttributeMap.builder(kvs.size());
    for (KeyValue kv : kvs) {
      flatten(kv.getKey(), kv.getValue(), out);
    }
    return out.build();
  }

  private static void flatten(String key, AnyValue v, AttributeMap.Builder out) {
    switch (v.getValueCase()) {
      case STRING_VALUE -> out.put(key, v.getStringValue());
      case BOOL_VALUE -> out.put(key, v.getBoolValue());
      case INT_VALUE -> out.put(key, v.getIntValue());
      case DOUBLE_VALUE -> out.put(key, v.getDoubleValue());
      case KVLIST_VALUE -> {
        for (KeyValue kv : v.getKvlistValue().getValuesList()) {
          flatten(key + "." + kv.getKey(), kv.getValue(), out);
        }
      }
      case ARRAY_VALUE, BYTES_VALUE -> out.put(key, text(v));
      default -> { } // an empty AnyValue carries nothing to keep
    }
  }

  /** A log body or attribute as text: strings as they are, other values JSON-like. */
  static String text(AnyValue v) {
    if (v.getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
      return v.getStringValue();
    }
    StringBuilder sb = new StringBuilder();
    json(v, sb);
    return sb.toString();
  }

  private static void json(AnyValue v, StringBuilder sb) {
    switch (v.getValueCase()) {
      case STRING_VALUE -> quote(v.getStringValue(), sb);
      case BOOL_VALUE -> sb.append(v.getBoolValue());
      case INT_VALUE -> sb.append(v.getIntValue());
      case DOUBLE_VALUE -> sb.append(v.getDoubleValue());
      case BYTES_VALUE -> {
        sb.append('"');
        for (byte b : v.getBytesValue().toByteArray()) {
          Hex.append(sb, b & 0xff, 2);
        }
        sb.append('"');
      }
      case ARRAY_VALUE -> {
        sb.append('[');
        List<AnyValue> values = v.getArrayValue().getValuesList();
        for (int i = 0; i < values.size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          json(values.get(i), sb);
        }
        sb.append(']');
      }
      case KVLIST_VALUE -> {
        sb.append('{');
        Map<String, AnyValue> ordered = new LinkedHashMap<>();
        for (KeyValue kv : v.getKvlistValue().getValuesList()) {
          ordered.put(kv.getKey(), kv.getValue());
        }
        boolean first = true;
        for (Map.Entry<String, AnyValue> e : ordered.entrySet()) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          quote(e.getKey(), sb);
          sb.append(':');
          json(e.getValue(), sb);
        }
        sb.append('}');
      }
      default -> sb.append("null");
    }
  }

  private static void quote(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  private static Map<String, String> dimensions(List<KeyValue> kvs) {
    if (kvs.isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new TreeMap<>();
    attributes(kvs).forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }

  /** Not thread-safe; one per conversion. */
  private static final class Rejects {
    int count;
    String first;

    void add(IllegalArgumentException e) {
      add(e.getMessage());
    }

    void add(String reason) {
      add(1, reason);
    }

    void add(int items, String reason) {
      if (first == null) {
        first = reason;
      }
      count += items;
    }
  }
}
