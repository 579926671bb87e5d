package dev.kansoku.prometheus.remotewrite;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * OTLP metrics as Prometheus remote-write series, as the collector's pkg/translator/prometheusremotewrite
 * does: gauges, cumulative sums (monotonic ones as counters), cumulative histograms as {@code _bucket}
 * (cumulative counts, {@code le} up to {@code +Inf}), {@code _sum} and {@code _count}, summaries as
 * quantiles, {@code _sum} and {@code _count}; a {@code target_info} series per resource. Delta sums and
 * histograms, and exponential histograms (native histograms), are dropped and counted.
 *
 * <p>Labels: the data point's attributes (sanitized; keys that collide after sanitizing join their
 * values with ';'), {@code job} from service.namespace/service.name, {@code instance} from
 * service.instance.id, the external labels unless the data has them, otel_scope_name and
 * otel_scope_version, then {@code le}/{@code quantile} and {@code __name__}. A point flagged
 * "no recorded value" becomes Prometheus's stale marker.
 */
final class RemoteWriteTranslator {
  /** Prometheus's staleness marker: a NaN that PromQL reads as "series ended". */
  static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);
  private static final int NO_RECORDED_VALUE = 1;
  private static final Set<String> SERVICE_KEYS = Set.of("service.name", "service.namespace", "service.instance.id");

  /** What the translation settings are; external label names are sanitized once, here. */
  record Settings(String namespace, boolean suffixes, Map<String, String> externalLabels, boolean resourceToTelemetry,
      boolean excludeServiceAttributes, boolean targetInfo, boolean scopeLabels, boolean metadata) {
    Settings {
      Map<String, String> sanitized = new TreeMap<>();
      externalLabels.forEach((k, v) -> sanitized.put(PrometheusNames.labelName(k), v));
      externalLabels = Collections.unmodifiableMap(sanitized);
    }

    static Settings of(PrometheusRemoteWriteConfig c) {
      return new Settings(c.namespace, c.suffixes(), c.externalLabels, c.resourceToTelemetryConversion.enabled,
          c.resourceToTelemetryConversion.excludeServiceAttributes, c.targetInfo.enabled, !c.disableScopeInfo,
          c.sendMetadata);
    }
  }

  /** The series and metadata of one OTLP request, and the data points that have no Prometheus form. */
  record Result(List<TimeSeries> series, List<MetricMetadata> metadata, int samples, int droppedPoints,
      List<String> droppedMetrics) {}

  private final Settings settings;

  RemoteWriteTranslator(Settings settings) {
    this.settings = settings;
  }

  Result translate(ExportMetricsServiceRequest request) {
    Map<List<Label>, TimeSeries> series = new LinkedHashMap<>();
    List<MetricMetadata> metadata = new ArrayList<>();
    int[] counts = new int[2]; // samples, dropped points
    List<String> dropped = new ArrayList<>();
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      Map<String, AnyValue> resource = attributes(rm.getResource().getAttributesList());
      long newest = 0;
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        Scope scope = new Scope(sm.getScope().getName(), sm.getScope().getVersion());
        for (Metric m : sm.getMetricsList()) {
          newest = Math.max(newest, newestTimestamp(m));
          String name = PrometheusNames.metricName(m, settings.namespace(), settings.suffixes());
          if (settings.metadata()) {
            metadata.add(new MetricMetadata(type(m), name, m.getDescription(), m.getUnit()));
          }
          int points = pointCount(m);
          if (!supported(m)) {
            counts[1] += points;
            dropped.add(m.getName() + " (" + m.getDataCase() + temporality(m) + ")");
            continue;
          }
          Sink sink = new Sink(series, resource, scope, counts);
          switch (m.getDataCase()) {
            case GAUGE -> m.getGauge().getDataPointsList().forEach(p -> sink.number(name, p));
            case SUM -> m.getSum().getDataPointsList().forEach(p -> sink.number(name, p));
            case HISTOGRAM -> m.getHistogram().getDataPointsList().forEach(p -> sink.histogram(name, p));
            case SUMMARY -> m.getSummary().getDataPointsList().forEach(p -> sink.summary(name, p));
            default -> throw new IllegalStateException("unreachable: " + m.getDataCase());
          }
        }
      }
      if (settings.targetInfo() && newest != 0) {
        targetInfo(series, resource, newest, counts);
      }
    }
    return new Result(List.copyOf(series.values()), metadata, counts[0], counts[1], dropped);
  }

  private record Scope(String name, String version) {}

  /** Adds the samples of one metric's points to the series map. */
  private final class Sink {
    private final Map<List<Label>, TimeSeries> series;
    private final Map<String, AnyValue> resource;
    private final Scope scope;
    private final int[] counts;

    Sink(Map<List<Label>, TimeSeries> series, Map<String, AnyValue> resource, Scope scope, int[] counts) {
      this.series = series;
      this.resource = resource;
      this.scope = scope;
      this.counts = counts;
    }

    void number(String name, NumberDataPoint p) {
      double v = p.hasAsInt() ? p.getAsInt() : p.getAsDouble();
      Map<String, String> base = base(p.getAttributesList());
      add(base, name, null, null, p.getTimeUnixNano(), stale(p.getFlags()) ? STALE_NAN : v);
    }

    void histogram(String name, HistogramDataPoint p) {
      Map<String, String> base = base(p.getAttributesList());
      boolean stale = stale(p.getFlags());
      long t = p.getTimeUnixNano();
      if (p.hasSum()) {
        add(base, name + "_sum", null, null, t, stale ? STALE_NAN : p.getSum());
      }
      add(base, name + "_count", null, null, t, stale ? STALE_NAN : p.getCount());
      long cumulative = 0;
      int n = Math.min(p.getExplicitBoundsCount(), p.getBucketCountsCount());
      for (int i = 0; i < n; i++) {
        cumulative += p.getBucketCounts(i);
        add(base, name + "_bucket", "le", format(p.getExplicitBounds(i)), t, stale ? STALE_NAN : cumulative);
      }
      add(base, name + "_bucket", "le", "+Inf", t, stale ? STALE_NAN : p.getCount());
    }

    void summary(String name, SummaryDataPoint p) {
      Map<String, String> base = base(p.getAttributesList());
      boolean stale = stale(p.getFlags());
      long t = p.getTimeUnixNano();
      add(base, name + "_sum", null, null, t, stale ? STALE_NAN : p.getSum());
      add(base, name + "_count", null, null, t, stale ? STALE_NAN : p.getCount());
      for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
        add(base, name, "quantile", format(q.getQuantile()), t, stale ? STALE_NAN : q.getValue());
      }
    }

    private Map<String, String> base(List<KeyValue> pointAttributes) {
      Map<String, AnyValue> attrs = attributes(pointAttributes);
      if (settings.resourceToTelemetry()) {
        // The collector's resourcetotelemetry copies resource attributes over the point's own.
        resource.forEach((k, v) -> {
          if (!settings.excludeServiceAttributes() || !SERVICE_KEYS.contains(k)) {
            attrs.put(k, v);
          }
        });
      }
      Map<String, String> labels = labels(attrs, resource, Set.of());
      if (settings.scopeLabels()) {
        if (!scope.name().isEmpty()) {
          labels.put("otel_scope_name", scope.name());
        }
        if (!scope.version().isEmpty()) {
          labels.put("otel_scope_version", scope.version());
        }
      }
      return labels;
    }

    private void add(Map<String, String> base, String name, String extraName, String extraValue, long timeNanos,
        double value) {
      List<Label> labels = new ArrayList<>(base.size() + 2);
      base.forEach((k, v) -> {
        if (!k.equals(extraName) && !k.equals("__name__")) {
          labels.add(new Label(k, v));
        }
      });
      if (extraName != null) {
        labels.add(new Label(extraName, extraValue));
      }
      labels.add(new Label("__name__", name));
      Collections.sort(labels);
      series.computeIfAbsent(labels, TimeSeries::new).add(timeNanos / 1_000_000, value);
      counts[0]++;
    }
  }

  /**
   * target_info: the resource's attributes other than those that make job and instance, when there
   * are such attributes and the resource has a job or an instance; value 1 at the resource's newest
   * timestamp.
   */
  private void targetInfo(Map<List<Label>, TimeSeries> series, Map<String, AnyValue> resource, long newestNanos,
      int[] counts) {
    if (resource.keySet().stream().allMatch(SERVICE_KEYS::contains)) {
      return;
    }
    Map<String, String> labels = labels(resource, resource, SERVICE_KEYS);
    if (!labels.containsKey("job") && !labels.containsKey("instance")) {
      return;
    }
    String name = settings.namespace().isEmpty() ? "target_info" : settings.namespace() + "_target_info";
    List<Label> list = new ArrayList<>(labels.size() + 1);
    labels.forEach((k, v) -> list.add(new Label(k, v)));
    list.removeIf(l -> l.name().equals("__name__"));
    list.add(new Label("__name__", name));
    Collections.sort(list);
    series.computeIfAbsent(list, TimeSeries::new).add(newestNanos / 1_000_000, 1);
    counts[0]++;
  }

  /** The collector's createAttributes: sanitized attributes, then job, instance and external labels. */
  private Map<String, String> labels(Map<String, AnyValue> attrs, Map<String, AnyValue> resource, Set<String> ignore) {
    Map<String, String> out = new TreeMap<>();
    // By original key, so values of keys that collide after sanitizing join in a stable order.
    for (Map.Entry<String, AnyValue> e : new TreeMap<>(attrs).entrySet()) {
      if (ignore.contains(e.getKey())) {
        continue;
      }
      String key = PrometheusNames.labelName(e.getKey());
      if (key.isEmpty()) {
        continue;
      }
      String value = asString(e.getValue());
      out.merge(key, value, (old, v) -> old.equals(v) ? old : old + ";" + v);
    }
    AnyValue service = resource.get("service.name");
    if (service != null) {
      AnyValue ns = resource.get("service.namespace");
      out.put("job", ns == null ? asString(service) : asString(ns) + "/" + asString(service));
    }
    AnyValue instance = resource.get("service.instance.id");
    if (instance != null) {
      out.put("instance", asString(instance));
    }
    settings.externalLabels().forEach(out::putIfAbsent);
    return out;
  }

  private static Map<String, AnyValue> attributes(List<KeyValue> list) {
    Map<String, AnyValue> map = new LinkedHashMap<>(list.size() * 2);
    for (KeyValue kv : list) {
      map.put(kv.getKey(), kv.getValue());
    }
    return map;
  }

  private static boolean stale(int flags) {
    return (flags & NO_RECORDED_VALUE) != 0;
  }

  private static boolean supported(Metric m) {
    return switch (m.getDataCase()) {
      case GAUGE, SUMMARY -> true;
      case SUM -> m.getSum().getAggregationTemporality() == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
      case HISTOGRAM -> m.getHistogram().getAggregationTemporality()
          == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
      default -> false;
    };
  }

  private static String temporality(Metric m) {
    return switch (m.getDataCase()) {
      case SUM -> ", " + m.getSum().getAggregationTemporality();
      case HISTOGRAM -> ", " + m.getHistogram().getAggregationTemporality();
      case EXPONENTIAL_HISTOGRAM -> ", " + m.getExponentialHistogram().getAggregationTemporality();
      default -> "";
    };
  }

  private static MetricMetadata.Type type(Metric m) {
    return switch (m.getDataCase()) {
      case GAUGE -> MetricMetadata.Type.GAUGE;
      case SUM -> m.getSum().getIsMonotonic() ? MetricMetadata.Type.COUNTER : MetricMetadata.Type.GAUGE;
      case HISTOGRAM, EXPONENTIAL_HISTOGRAM -> MetricMetadata.Type.HISTOGRAM;
      case SUMMARY -> MetricMetadata.Type.SUMMARY;
      default -> MetricMetadata.Type.UNKNOWN;
    };
  }

  private static int pointCount(Metric m) {
    return switch (m.getDataCase()) {
      case GAUGE -> m.getGauge().getDataPointsCount();
      case SUM -> m.getSum().getDataPointsCount();
      case HISTOGRAM -> m.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
      case SUMMARY -> m.getSummary().getDataPointsCount();
      default -> 0;
    };
  }

  private static long newestTimestamp(Metric m) {
    long t = 0;
    switch (m.getDataCase()) {
      case GAUGE -> t = m.getGauge().getDataPointsList().stream().mapToLong(NumberDataPoint::getTimeUnixNano).max()
          .orElse(0);
      case SUM -> t = m.getSum().getDataPointsList().stream().mapToLong(NumberDataPoint::getTimeUnixNano).max()
          .orElse(0);
      case HISTOGRAM -> t = m.getHistogram().getDataPointsList().stream().mapToLong(HistogramDataPoint::getTimeUnixNano)
          .max().orElse(0);
      case EXPONENTIAL_HISTOGRAM -> t = m.getExponentialHistogram().getDataPointsList().stream()
          .mapToLong(p -> p.getTimeUnixNano()).max().orElse(0);
      case SUMMARY -> t = m.getSummary().getDataPointsList().stream().mapToLong(SummaryDataPoint::getTimeUnixNano)
          .max().orElse(0);
      default -> { }
    }
    return t;
  }

  /** Go's strconv.FormatFloat(v, 'f', -1, 64), which the collector uses for le and quantile. */
  static String format(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return "0";
    }
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }

  /** pcommon.Value.AsString: strings as they are, numbers as Go prints them, bytes as base64, lists as JSON. */
  static String asString(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> format(v.getDoubleValue());
      case BYTES_VALUE -> Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
      case ARRAY_VALUE, KVLIST_VALUE -> Json.write(v);
      default -> "";
    };
  }
}
