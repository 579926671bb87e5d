package dev.kansoku.contrib.ottl;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.annotation.Nullable;

/**
 * The OTTL contexts the filter processor evaluates conditions in, with the paths and enum symbols
 * Kansoku resolves in each. A path may start with its own context's name ({@code span.name} in the
 * span context) and with {@code resource.} or {@code instrumentation_scope.} everywhere; the span
 * event context also reads its span ({@code span.name}), the data point context its metric
 * ({@code metric.name}).
 *
 * <p>Values are what OTTL's getters return: String, Long (ints, enums, timestamps), Double, Boolean,
 * ByteString, an {@link AnyValue} for map and list attributes, null when absent.
 */
public enum OttlContext {
  RESOURCE("resource"),
  SPAN("span"),
  SPANEVENT("spanevent"),
  METRIC("metric"),
  DATAPOINT("datapoint"),
  LOG("log");

  private static final Map<String, Long> SPAN_ENUMS = new HashMap<>();
  private static final Map<String, Long> METRIC_ENUMS = new HashMap<>();
  private static final Map<String, Long> LOG_ENUMS = new HashMap<>();

  static {
    String[] kinds = {"UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"};
    for (int i = 0; i < kinds.length; i++) {
      SPAN_ENUMS.put("SPAN_KIND_" + kinds[i], (long) i);
    }
    SPAN_ENUMS.put("STATUS_CODE_UNSET", 0L);
    SPAN_ENUMS.put("STATUS_CODE_OK", 1L);
    SPAN_ENUMS.put("STATUS_CODE_ERROR", 2L);
    String[] types = {"NONE", "GAUGE", "SUM", "HISTOGRAM", "EXPONENTIAL_HISTOGRAM", "SUMMARY"};
    for (int i = 0; i < types.length; i++) {
      METRIC_ENUMS.put("METRIC_DATA_TYPE_" + types[i], (long) i);
    }
    METRIC_ENUMS.put("AGGREGATION_TEMPORALITY_UNSPECIFIED", 0L);
    METRIC_ENUMS.put("AGGREGATION_TEMPORALITY_DELTA", 1L);
    METRIC_ENUMS.put("AGGREGATION_TEMPORALITY_CUMULATIVE", 2L);
    LOG_ENUMS.put("SEVERITY_NUMBER_UNSPECIFIED", 0L);
    String[] levels = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"};
    for (int i = 0; i < levels.length; i++) {
      for (int j = 0; j < 4; j++) {
        LOG_ENUMS.put("SEVERITY_NUMBER_" + levels[i] + (j == 0 ? "" : Integer.toString(j + 1)), (long) (i * 4 + j + 1));
      }
    }
  }

  private final String prefix;

  OttlContext(String prefix) {
    this.prefix = prefix;
  }

  /** The context's name as paths and the filter processor's keys write it: span, spanevent, log … */
  public String prefix() {
    return prefix;
  }

  /** The value of an enum symbol of this context, or null when it has none of that name. */
  @Nullable
  Long enumValue(String symbol) {
    return switch (this) {
      case SPAN, SPANEVENT -> SPAN_ENUMS.get(symbol);
      case METRIC, DATAPOINT -> METRIC_ENUMS.get(symbol);
      case LOG -> LOG_ENUMS.get(symbol);
      case RESOURCE -> null;
    };
  }

  /**
   * The getter of a path: dotted names and, for attributes, one key.
   *
   * @throws IllegalArgumentException naming the path when this context has no such path
   */
  Function<OttlItem, Object> path(List<String> names, @Nullable String key) {
    List<String> n = names.size() > 1 && names.get(0).equals(prefix) ? names.subList(1, names.size()) : names;
    Function<OttlItem, Object> g = resolve(n, key);
    if (g == null) {
      throw new IllegalArgumentException("\"" + String.join(".", names) + (key == null ? "" : "[\"" + key + "\"]")
          + "\" is not a path of the " + prefix + " context that Kansoku reads (supported: " + supported() + ")");
    }
    return g;
  }

  private String supported() {
    String common = "resource.attributes[\"key\"], instrumentation_scope.name, instrumentation_scope.version";
    return switch (this) {
      case RESOURCE -> "attributes[\"key\"], dropped_attributes_count";
      case SPAN -> "name, kind, status.code, status.message, attributes[\"key\"], trace_state, start_time_unix_nano,"
          + " end_time_unix_nano, trace_id, span_id, parent_span_id (and .string), " + common;
      case SPANEVENT -> "name, attributes[\"key\"], time_unix_nano, span.<span path>, " + common;
      case METRIC -> "name, description, unit, type, aggregation_temporality, is_monotonic, " + common;
      case DATAPOINT -> "attributes[\"key\"], value_double, value_int, count, sum, start_time_unix_nano,"
          + " time_unix_nano, flags, metric.<metric path>, " + common;
      case LOG -> "body, severity_number, severity_text, attributes[\"key\"], event_name, time_unix_nano,"
          + " observed_time_unix_nano, flags, trace_id, span_id (and .string), " + common;
    };
  }

  @Nullable
  private Function<OttlItem, Object> resolve(List<String> n, @Nullable String key) {
    String head = n.get(0);
    List<String> rest = n.subList(1, n.size());
    if (this != RESOURCE && head.equals("resource") && !rest.isEmpty()) {
      return RESOURCE.resolve(rest, key);
    }
    if (head.equals("instrumentation_scope")) {
      return scopePath(rest, key);
    }
    return switch (this) {
      case RESOURCE -> n.equals(List.of("attributes")) && key != null ? i -> attribute(i.resource().getAttributesList(), key)
          : key == null && n.equals(List.of("dropped_attributes_count"))
              ? i -> (long) i.resource().getDroppedAttributesCount() : null;
      case SPAN -> spanPath(n, key);
      case SPANEVENT -> head.equals("span") && !rest.isEmpty() ? spanPath(rest, key) : eventPath(n, key);
      case METRIC -> key == null ? metricPath(n) : null;
      case DATAPOINT -> head.equals("metric") && !rest.isEmpty() && key == null ? metricPath(rest) : pointPath(n, key);
      case LOG -> logPath(n, key);
    };
  }

  @Nullable
  private static Function<OttlItem, Object> scopePath(List<String> n, @Nullable String key) {
    if (n.equals(List.of("attributes")) && key != null) {
      return i -> attribute(i.scope().getAttributesList(), key);
    }
    if (key != null || n.size() != 1) {
      return null;
    }
    return switch (n.get(0)) {
      case "name" -> i -> i.scope().getName();
      case "version" -> i -> i.scope().getVersion();
      default -> null;
    };
  }

  @Nullable
  private static Function<OttlItem, Object> spanPath(List<String> n, @Nullable String key) {
    if (n.equals(List.of("attributes")) && key != null) {
      return i -> attribute(i.span().getAttributesList(), key);
    }
    if (key != null) {
      return null;
    }
    return switch (String.join(".", n)) {
      case "name" -> i -> i.span().getName();
      case "kind" -> i -> (long) i.span().getKindValue();
      case "status.code" -> i -> (long) i.span().getStatus().getCodeValue();
      case "status.message" -> i -> i.span().getStatus().getMessage();
      case "trace_state" -> i -> i.span().getTraceState();
      case "start_time_unix_nano" -> i -> i.span().getStartTimeUnixNano();
      case "end_time_unix_nano" -> i -> i.span().getEndTimeUnixNano();
      case "trace_id" -> i -> i.span().getTraceId();
      case "span_id" -> i -> i.span().getSpanId();
      case "parent_span_id" -> i -> i.span().getParentSpanId();
      case "trace_id.string" -> i -> hex(i.span().getTraceId());
      case "span_id.string" -> i -> hex(i.span().getSpanId());
      case "parent_span_id.string" -> i -> hex(i.span().getParentSpanId());
      default -> null;
    };
  }

  @Nullable
  private static Function<OttlItem, Object> eventPath(List<String> n, @Nullable String key) {
    if (n.equals(List.of("attributes")) && key != null) {
      return i -> attribute(i.event().getAttributesList(), key);
    }
    if (key != null) {
      return null;
    }
    return switch (String.join(".", n)) {
      case "name" -> i -> i.event().getName();
      case "time_unix_nano" -> i -> i.event().getTimeUnixNano();
      default -> null;
    };
  }

  @Nullable
  private static Function<OttlItem, Object> metricPath(List<String> n) {
    return switch (String.join(".", n)) {
      case "name" -> i -> i.metric().getName();
      case "description" -> i -> i.metric().getDescription();
      case "unit" -> i -> i.metric().getUnit();
      case "type" -> i -> (long) metricType(i.metric());
      case "aggregation_temporality" -> i -> (long) temporality(i.metric());
      case "is_monotonic" -> i -> i.metric().hasSum() && i.metric().getSum().getIsMonotonic();
      default -> null;
    };
  }

  @Nullable
  private static Function<OttlItem, Object> pointPath(List<String> n, @Nullable String key) {
    if (n.equals(List.of("attributes")) && key != null) {
      return i -> attribute(pointAttributes(i.point()), key);
    }
    if (key != null) {
      return null;
    }
    return switch (String.join(".", n)) {
      case "value_double" -> i -> i.point() instanceof NumberDataPoint p ? p.getAsDouble() : null;
      case "value_int" -> i -> i.point() instanceof NumberDataPoint p ? p.getAsInt() : null;
      case "count" -> i -> i.point() instanceof HistogramDataPoint p ? (Object) p.getCount()
          : i.point() instanceof ExponentialHistogramDataPoint p ? (Object) p.getCount()
          : i.point() instanceof SummaryDataPoint p ? (Object) p.getCount() : null;
      case "sum" -> i -> i.point() instanceof HistogramDataPoint p ? (Object) p.getSum()
          : i.point() instanceof ExponentialHistogramDataPoint p ? (Object) p.getSum()
          : i.point() instanceof SummaryDataPoint p ? (Object) p.getSum() : null;
      case "start_time_unix_nano" -> i -> pointTime(i.point(), true);
      case "time_unix_nano" -> i -> pointTime(i.point(), false);
      case "flags" -> i -> pointFlags(i.point());
      default -> null;
    };
  }

  @Nullable
  private static Function<OttlItem, Object> logPath(List<String> n, @Nullable String key) {
    if (n.equals(List.of("attributes")) && key != null) {
      return i -> attribute(i.log().getAttributesList(), key);
    }
    if (key != null) {
      return null;
    }
    return switch (String.join(".", n)) {
      case "body" -> i -> raw(i.log().getBody());
      case "severity_number" -> i -> (long) i.log().getSeverityNumberValue();
      case "severity_text" -> i -> i.log().getSeverityText();
      case "event_name" -> i -> i.log().getEventName();
      case "time_unix_nano" -> i -> i.log().getTimeUnixNano();
      case "observed_time_unix_nano" -> i -> i.log().getObservedTimeUnixNano();
      case "flags" -> i -> (long) i.log().getFlags();
      case "trace_id" -> i -> i.log().getTraceId();
      case "span_id" -> i -> i.log().getSpanId();
      case "trace_id.string" -> i -> hex(i.log().getTraceId());
      case "span_id.string" -> i -> hex(i.log().getSpanId());
      default -> null;
    };
  }

  /** The first attribute named {@code key}, as OTTL reads it; null when there is none. */
  @Nullable
  private static Object attribute(List<KeyValue> attrs, String key) {
    for (KeyValue kv : attrs) {
      if (kv.getKey().equals(key)) {
        return raw(kv.getValue());
      }
    }
    return null;
  }

  @Nullable
  static Object raw(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> v.getBoolValue();
      case INT_VALUE -> v.getIntValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case BYTES_VALUE -> v.getBytesValue();
      case ARRAY_VALUE, KVLIST_VALUE -> v;
      case VALUE_NOT_SET, STRING_VALUE_STRINDEX -> null;
    };
  }

  /** An empty id reads as "", as pdata's empty TraceID/SpanID strings. */
  private static String hex(ByteString id) {
    return id.isEmpty() ? "" : HexFormat.of().formatHex(id.toByteArray());
  }

  /** pdata's MetricType numbering, which OTTL's METRIC_DATA_TYPE_* symbols use. */
  private static int metricType(Metric m) {
    return switch (m.getDataCase()) {
      case GAUGE -> 1;
      case SUM -> 2;
      case HISTOGRAM -> 3;
      case EXPONENTIAL_HISTOGRAM -> 4;
      case SUMMARY -> 5;
      case DATA_NOT_SET -> 0;
    };
  }

  private static int temporality(Metric m) {
    return switch (m.getDataCase()) {
      case SUM -> m.getSum().getAggregationTemporalityValue();
      case HISTOGRAM -> m.getHistogram().getAggregationTemporalityValue();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getAggregationTemporalityValue();
      default -> 0;
    };
  }

  private static List<KeyValue> pointAttributes(Object point) {
    if (point instanceof NumberDataPoint p) {
      return p.getAttributesList();
    }
    if (point instanceof HistogramDataPoint p) {
      return p.getAttributesList();
    }
    if (point instanceof ExponentialHistogramDataPoint p) {
      return p.getAttributesList();
    }
    return ((SummaryDataPoint) point).getAttributesList();
  }

  private static long pointTime(Object point, boolean start) {
    if (point instanceof NumberDataPoint p) {
      return start ? p.getStartTimeUnixNano() : p.getTimeUnixNano();
    }
    if (point instanceof HistogramDataPoint p) {
      return start ? p.getStartTimeUnixNano() : p.getTimeUnixNano();
    }
    if (point instanceof ExponentialHistogramDataPoint p) {
      return start ? p.getStartTimeUnixNano() : p.getTimeUnixNano();
    }
    SummaryDataPoint p = (SummaryDataPoint) point;
    return start ? p.getStartTimeUnixNano() : p.getTimeUnixNano();
  }

  private static long pointFlags(Object point) {
    if (point instanceof NumberDataPoint p) {
      return p.getFlags();
    }
    if (point instanceof HistogramDataPoint p) {
      return p.getFlags();
    }
    if (point instanceof ExponentialHistogramDataPoint p) {
      return p.getFlags();
    }
    return ((SummaryDataPoint) point).getFlags();
  }
}
