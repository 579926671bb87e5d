package dev.kansoku.aws.emf;

import static dev.kansoku.aws.emf.EmfLabels.stringAttr;
import static java.util.Objects.requireNonNull;

import dev.kansoku.aws.emf.AwsEmfExporterConfig.MetricDescriptor;
import dev.kansoku.aws.emf.EmfDataPoints.DataPoint;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP metrics → CloudWatch Embedded Metric Format log events, as ADOT's awsemf exporter writes them
 * (exporter/awsemfexporter: metric_translator.go, grouped_metric.go, datapoint.go). Data points with
 * the same namespace, timestamp, log group/stream, metric type and labels share one event; cumulative
 * sums (and Prometheus summaries) become deltas against the previous export. This class groups the
 * points; {@link EmfDataPoints} converts them, {@link EmfEventWriter} writes each group's JSON and
 * {@link EmfLabels} turns attributes into labels.
 *
 * <p>Where Go iterates a map (dimension names, metrics of an event, events of an export) the order is
 * random there; here it is fixed: label names sorted, metrics and events in arrival order.
 *
 * <p>Thread-safe: the delta caches are the only state and lock themselves. One instance per exporter,
 * so that the caches see every export.
 */
public final class EmfTranslator {
  private static final Logger log = LoggerFactory.getLogger(EmfTranslator.class);
  /** The label that carries the instrumentation scope's name. */
  static final String OTEL_LIB = "OTelLib";
  /** The resource's "receiver" when the metrics come from a Prometheus receiver. */
  static final String PROMETHEUS = "prometheus";
  /** What resource_to_telemetry_conversion's exclude_service_attributes leaves out. */
  private static final List<String> SERVICE_ATTRIBUTES = List.of("service.name", "service.namespace",
      "service.instance.id");

  enum Kind {
    GAUGE("gauge"), SUM("counter"), HISTOGRAM("histogram"), EXPONENTIAL_HISTOGRAM(""), SUMMARY("summary");

    /** prom_metric_type; the reference's table has no exponential histogram, so Go's zero value "". */
    final String promType;

    Kind(String promType) {
      this.promType = promType;
    }
  }

  // Copied from the configuration, which is mutable.
  private final String namespace;
  private final String logGroupName;
  private final String logStreamName;
  private final String defaultLogStream;
  private final boolean resourceToTelemetry;
  private final boolean excludeServiceAttributes;
  private final boolean eksFargate;
  private final Map<String, MetricDescriptor> descriptors;
  private final Clock clock;
  private final EmfDataPoints dataPoints;
  private final EmfEventWriter writer;

  private record GroupKey(String namespace, long timestampMs, String logGroup, String logStream, Kind kind,
      int batchIndex, Map<String, String> labels) {}

  /** One metric of a group: its value (see {@link EmfDataPoints#json}) and CloudWatch unit. */
  record MetricInfo(Object value, String unit) {}

  /** The data points that share one EMF event (the reference's grouped metric). */
  static final class Group {
    final Map<String, String> labels;
    final Map<String, MetricInfo> metrics = new LinkedHashMap<>();
    final String namespace;
    final long timestampMs;
    final String logGroup;
    final String logStream;
    final Kind kind;
    final String receiver;

    Group(Map<String, String> labels, String namespace, long timestampMs, String logGroup, String logStream, Kind kind,
        String receiver) {
      this.labels = labels;
      this.namespace = namespace;
      this.timestampMs = timestampMs;
      this.logGroup = logGroup;
      this.logStream = logStream;
      this.kind = kind;
      this.receiver = receiver;
    }
  }

  /** A translator on the system clock; the default log stream is otel-stream-&lt;random uuid&gt;. */
  public EmfTranslator(AwsEmfExporterConfig config) {
    this(config, Clock.systemUTC(), "otel-stream-" + UUID.randomUUID());
  }

  EmfTranslator(AwsEmfExporterConfig config, Clock clock, String defaultLogStream) {
    requireNonNull(config, "config");
    this.clock = requireNonNull(clock, "clock");
    this.defaultLogStream = requireNonNull(defaultLogStream, "defaultLogStream");
    this.namespace = config.namespace;
    this.logGroupName = config.logGroupName;
    this.logStreamName = config.logStreamName;
    this.resourceToTelemetry = config.resourceToTelemetryConversion.enabled;
    this.excludeServiceAttributes = config.resourceToTelemetryConversion.excludeServiceAttributes;
    this.eksFargate = config.eksFargateContainerInsightsEnabled;
    Map<String, MetricDescriptor> descs = new HashMap<>();
    for (MetricDescriptor d : config.metricDescriptors) {
      if (d.metricName.isEmpty()) {
        continue;
      }
      if (!AwsEmfExporterConfig.CLOUDWATCH_UNITS.contains(d.unit)) {
        log.warn("Dropped unsupported metric descriptor of {}: unit \"{}\"", d.metricName, d.unit);
        continue;
      }
      descs.put(d.metricName, d);
    }
    this.descriptors = Map.copyOf(descs);
    this.dataPoints = new EmfDataPoints(config.retainInitialValueOfDeltaMetric, config.detailedMetrics, clock);
    this.writer = new EmfEventWriter(config);
  }

  /** The EMF JSON of each event, in order. Updates the delta caches: call once per export. */
  public List<String> translate(ExportMetricsServiceRequest request) {
    requireNonNull(request, "request");
    List<EmfEvent> events = translateEvents(request);
    List<String> out = new ArrayList<>(events.size());
    for (EmfEvent e : events) {
      out.add(e.message());
    }
    return out;
  }

  List<EmfEvent> translateEvents(ExportMetricsServiceRequest request) {
    Map<GroupKey, Group> groups = new LinkedHashMap<>();
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      addResource(rm, groups);
    }
    List<EmfEvent> events = new ArrayList<>(groups.size());
    for (Group g : groups.values()) {
      String message = writer.write(g);
      String stream = g.logStream.isEmpty() ? defaultLogStream : g.logStream;
      events.add(new EmfEvent(g.logGroup, stream, g.timestampMs, message));
    }
    return events;
  }

  // ---- OTLP → grouped metrics (metric_translator.go translateOTelToGroupedMetric) ----

  private void addResource(ResourceMetrics rm, Map<GroupKey, Group> groups) {
    long now = clock.millis();
    List<KeyValue> resourceAttrs = rm.getResource().getAttributesList();
    Map<String, String> resource = EmfLabels.asStrings(resourceAttrs);
    String ns = namespaceOf(resourceAttrs);
    String logGroup = "/metrics/" + ns;
    boolean replaced = true;
    if (!logGroupName.isEmpty()) {
      LogNames.Replaced r = LogNames.replace(logGroupName, resource);
      logGroup = r.value();
      replaced = r.complete();
    }
    String logStream = "";
    if (!logStreamName.isEmpty()) {
      LogNames.Replaced r = LogNames.replace(logStreamName, resource);
      logStream = r.value();
      replaced &= r.complete();
    }
    String receiver = stringAttr(resourceAttrs, "receiver");
    Map<String, String> extraLabels = resourceToTelemetry ? telemetryLabels(resource) : Map.of();
    // Declared outside the scope loop in the reference: a scope without a name inherits the previous one's.
    String scopeName = "";
    for (ScopeMetrics sm : rm.getScopeMetricsList()) {
      if (!sm.getScope().getName().isEmpty()) {
        scopeName = sm.getScope().getName();
      }
      for (Metric m : sm.getMetricsList()) {
        addMetric(m, new Context(ns, logGroup, logStream, replaced, receiver, scopeName, extraLabels, now), groups);
      }
    }
  }

  /** The resource attributes resource_to_telemetry_conversion copies onto every data point. */
  private Map<String, String> telemetryLabels(Map<String, String> resource) {
    if (!excludeServiceAttributes) {
      return resource;
    }
    Map<String, String> labels = new LinkedHashMap<>(resource);
    labels.keySet().removeAll(SERVICE_ATTRIBUTES);
    return labels;
  }

  /** Where one metric's points go and what labels they all get. */
  record Context(String namespace, String logGroup, String logStream, boolean replaced, String receiver,
      String scopeName, Map<String, String> extraLabels, long nowMillis) {
    /** A point's labels: its attributes, the resource's when resource_to_telemetry_conversion is on, OTelLib. */
    Map<String, String> labels(List<KeyValue> attributes) {
      Map<String, String> labels = EmfLabels.asStrings(attributes);
      labels.putAll(extraLabels);
      if (!scopeName.isEmpty()) {
        labels.put(OTEL_LIB, scopeName);
      }
      return labels;
    }

    DeltaCache.Key deltaKey(String name, Map<String, String> labels) {
      return new DeltaCache.Key(name, namespace, logGroup, logStream, new TreeMap<>(labels));
    }
  }

  private void addMetric(Metric m, Context c, Map<GroupKey, Group> groups) {
    Kind kind;
    List<List<DataPoint>> points = new ArrayList<>();
    switch (m.getDataCase()) {
      case GAUGE -> {
        kind = Kind.GAUGE;
        for (NumberDataPoint p : m.getGauge().getDataPointsList()) {
          addIfPresent(points, dataPoints.number(m.getName(), p, false, c));
        }
      }
      case SUM -> {
        kind = Kind.SUM;
        // Monotonic or not, the reference converts every cumulative sum to a delta.
        boolean cumulative = m.getSum().getAggregationTemporality()
            == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
        for (NumberDataPoint p : m.getSum().getDataPointsList()) {
          addIfPresent(points, dataPoints.number(m.getName(), p, cumulative, c));
        }
      }
      case HISTOGRAM -> {
        kind = Kind.HISTOGRAM;
        for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
          addIfPresent(points, dataPoints.histogram(m.getName(), p, c));
        }
      }
      case EXPONENTIAL_HISTOGRAM -> {
        kind = Kind.EXPONENTIAL_HISTOGRAM;
        for (ExponentialHistogramDataPoint p : m.getExponentialHistogram().getDataPointsList()) {
          addIfPresent(points, dataPoints.exponentialHistogram(m.getName(), p, c));
        }
      }
      case SUMMARY -> {
        kind = Kind.SUMMARY;
        boolean cumulative = PROMETHEUS.equals(c.receiver);
        for (SummaryDataPoint p : m.getSummary().getDataPointsList()) {
          addIfPresent(points, dataPoints.summary(m.getName(), p, cumulative, c));
        }
      }
      default -> {
        log.warn("Unhandled metric data type {} of metric {}", m.getDataCase(), m.getName());
        return;
      }
    }
    String unit = unit(m);
    // The reference updates one metadata copy per metric: a data point inherits the log group, stream
    // and timestamp settled by the previous point of the same metric.
    String logGroup = c.logGroup;
    String logStream = c.logStream;
    long timestampMs = c.nowMillis;
    for (List<DataPoint> dps : points) {
      // The reference keys a group by the point's index among those one source point became (summary
      // _sum/_count/quantiles, exponential histogram splits): each index goes to its own event.
      for (int batchIndex = 0; batchIndex < dps.size(); batchIndex++) {
        DataPoint dp = dps.get(batchIndex);
        Map<String, String> labels = dp.labels();
        String type = labels.get("Type");
        if (eksFargate && ("Pod".equals(type) || "Container".equals(type))) {
          labels.put("kubernetes", EmfLabels.kubernetesWrapper(labels));
        }
        if (!c.replaced) {
          if (logGroup.contains("undefined")) {
            logGroup = LogNames.replace(logGroupName, labels).value();
          }
          if (logStream.contains("undefined")) {
            logStream = LogNames.replace(logStreamName, labels).value();
          }
        }
        if (dp.timestampMs() > 0) {
          timestampMs = dp.timestampMs();
        }
        GroupKey key = new GroupKey(c.namespace, timestampMs, logGroup, logStream, kind, batchIndex,
            new TreeMap<>(labels));
        Group g = groups.get(key);
        if (g == null) {
          g = new Group(labels, c.namespace, timestampMs, logGroup, logStream, kind, c.receiver);
          groups.put(key, g);
        }
        if (g.metrics.containsKey(dp.name())) {
          log.warn("Duplicate metric found: {} with labels {}", dp.name(), labels);
        } else {
          g.metrics.put(dp.name(), new MetricInfo(dp.value(), unit));
        }
      }
    }
  }

  private static void addIfPresent(List<List<DataPoint>> out, List<DataPoint> dps) {
    if (dps != null && !dps.isEmpty()) {
      out.add(dps);
    }
  }

  private String unit(Metric m) {
    String unit = m.getUnit();
    MetricDescriptor d = descriptors.get(m.getName());
    if (d != null && (unit.isEmpty() || d.overwrite)) {
      return d.unit;
    }
    return switch (unit) {
      // CloudWatch has no unit for a ratio or for nanoseconds: the reference leaves them out.
      case "1", "ns" -> "";
      case "ms" -> "Milliseconds";
      case "s" -> "Seconds";
      case "us" -> "Microseconds";
      case "By" -> "Bytes";
      case "bit" -> "Bits";
      default -> unit;
    };
  }

  private String namespaceOf(List<KeyValue> attrs) {
    if (!namespace.isEmpty()) {
      return namespace;
    }
    String name = stringAttr(attrs, "service.name");
    String ns = stringAttr(attrs, "service.namespace");
    String result = "";
    if (name != null && ns != null) {
      result = ns + "/" + name;
    } else if (name != null) {
      result = name;
    } else if (ns != null) {
      result = ns;
    }
    return result.isEmpty() ? "default" : result;
  }
}
