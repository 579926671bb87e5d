package dev.kansoku.aws.emf;

import dev.kansoku.aws.json.GoJson;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kansoku.aws.emf.AwsEmfExporterConfig.MetricDescriptor;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP metrics → CloudWatch Embedded Metric Format log events, as ADOT's awsemf exporter writes them
 * (exporter/awsemfexporter: metric_translator.go, grouped_metric.go, datapoint.go). Data points with
 * the same namespace, timestamp, log group/stream, metric type and labels share one event; cumulative
 * sums (and Prometheus summaries) become deltas against the previous export.
 *
 * <p>Where Go iterates a map (dimension names, metrics of an event, events of an export) the order is
 * random there; here it is fixed: label names sorted, metrics and events in arrival order.
 *
 * <p>Thread-safe: the delta caches are the only state and lock themselves. One instance per exporter,
 * so that the caches see every export.
 */
public final class EmfTranslator {
  private static final Logger log = LoggerFactory.getLogger(EmfTranslator.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String OTEL_LIB = "OTelLib";
  private static final String STORAGE_RESOLUTION = "aws.emf.storage_resolution";
  private static final String PROMETHEUS = "prometheus";
  /** OTLP DataPointFlags.FLAG_NO_RECORDED_VALUE: a stale marker, never exported. */
  private static final int NO_RECORDED_VALUE = 1;
  /** CloudWatch accepts at most 100 values per EMF histogram; bigger ones are split. */
  private static final int SPLIT_THRESHOLD = 100;

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
  private final String rollup;
  private final boolean retainInitialValue;
  private final boolean detailedMetrics;
  private final boolean resourceToTelemetry;
  private final boolean eksFargate;
  private final boolean disableMetricExtraction;
  private final boolean enhancedContainerInsights;
  private final String version;
  private final List<String> parseJsonKeys;
  private final List<CompiledDeclaration> declarations;
  private final Map<String, MetricDescriptor> descriptors;
  private final Clock clock;
  private final DeltaCache<Double> numberDeltas;
  private final DeltaCache<SummaryEntry> summaryDeltas;

  private record SummaryEntry(double sum, long count) {}

  private record Stats(double max, double min, long count, double sum) {
    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>(4);
      m.put("Max", max);
      m.put("Min", min);
      m.put("Count", unsigned(count));
      m.put("Sum", sum);
      return m;
    }
  }

  /** A Go uint64: written unsigned. */
  private record UnsignedLong(long bits) {}

  private static GoJson.Raw unsigned(long bits) {
    return new GoJson.Raw(Long.toUnsignedString(bits));
  }

  private record DataPoint(String name, Object value, Map<String, String> labels, long timestampMs) {}

  private record GroupKey(String namespace, long timestampMs, String logGroup, String logStream, Kind kind,
      int batchIndex, Map<String, String> labels) {}

  private record MetricInfo(Object value, String unit) {}

  private static final class Group {
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
    this.rollup = config.dimensionRollupOption;
    this.retainInitialValue = config.retainInitialValueOfDeltaMetric;
    this.detailedMetrics = config.detailedMetrics;
    this.resourceToTelemetry = config.resourceToTelemetryConversion.enabled;
    this.eksFargate = config.eksFargateContainerInsightsEnabled;
    this.disableMetricExtraction = config.disableMetricExtraction;
    this.enhancedContainerInsights = config.enhancedContainerInsights;
    this.version = config.version;
    this.parseJsonKeys = List.copyOf(config.parseJsonEncodedAttrValues);
    List<CompiledDeclaration> decls = new ArrayList<>();
    config.metricDeclarations.forEach(d -> CompiledDeclaration.compile(d).ifPresent(decls::add));
    this.declarations = List.copyOf(decls);
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
    this.numberDeltas = new DeltaCache<>((a, b) -> a - b, clock);
    this.summaryDeltas = new DeltaCache<>((a, b) -> new SummaryEntry(a.sum - b.sum, a.count - b.count), clock);
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
      String message = toEmf(g);
      if (message == null) {
        continue;
      }
      String stream = g.logStream.isEmpty() ? defaultLogStream : g.logStream;
      events.add(new EmfEvent(g.logGroup, stream, g.timestampMs, message));
    }
    return events;
  }

  // ---- OTLP → grouped metrics (metric_translator.go translateOTelToGroupedMetric) ----

  private void addResource(ResourceMetrics rm, Map<GroupKey, Group> groups) {
    long now = clock.millis();
    List<KeyValue> resourceAttrs = rm.getResource().getAttributesList();
    Map<String, String> resource = asStrings(resourceAttrs);
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
    Map<String, String> extraLabels = resourceToTelemetry ? resource : Map.of();
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

  private record Context(String namespace, String logGroup, String logStream, boolean replaced, String receiver,
      String scopeName, Map<String, String> extraLabels, long nowMillis) {}

  private void addMetric(Metric m, Context c, Map<GroupKey, Group> groups) {
    Kind kind;
    List<List<DataPoint>> points = new ArrayList<>();
    switch (m.getDataCase()) {
      case GAUGE -> {
        kind = Kind.GAUGE;
        for (NumberDataPoint p : m.getGauge().getDataPointsList()) {
          addIfPresent(points, number(m.getName(), p, false, c));
        }
      }
      case SUM -> {
        kind = Kind.SUM;
        // Monotonic or not, the reference converts every cumulative sum to a delta.
        boolean cumulative = m.getSum().getAggregationTemporality()
            == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
        for (NumberDataPoint p : m.getSum().getDataPointsList()) {
          addIfPresent(points, number(m.getName(), p, cumulative, c));
        }
      }
      case HISTOGRAM -> {
        kind = Kind.HISTOGRAM;
        for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
          addIfPresent(points, histogram(m.getName(), p, c));
        }
      }
      case EXPONENTIAL_HISTOGRAM -> {
        kind = Kind.EXPONENTIAL_HISTOGRAM;
        for (ExponentialHistogramDataPoint p : m.getExponentialHistogram().getDataPointsList()) {
          addIfPresent(points, exponentialHistogram(m.getName(), p, c));
        }
      }
      case SUMMARY -> {
        kind = Kind.SUMMARY;
        boolean cumulative = PROMETHEUS.equals(c.receiver);
        for (SummaryDataPoint p : m.getSummary().getDataPointsList()) {
          addIfPresent(points, summary(m.getName(), p, cumulative, c));
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
      int batchIndex = 0;
      for (DataPoint dp : dps) {
        Map<String, String> labels = dp.labels;
        String type = labels.get("Type");
        if (eksFargate && ("Pod".equals(type) || "Container".equals(type))) {
          labels.put("kubernetes", kubernetesWrapper(labels));
        }
        if (!c.replaced) {
          if (logGroup.contains("undefined")) {
            logGroup = LogNames.replace(logGroupName, labels).value();
          }
          if (logStream.contains("undefined")) {
            logStream = LogNames.replace(logStreamName, labels).value();
          }
        }
        if (dp.timestampMs > 0) {
          timestampMs = dp.timestampMs;
        }
        MetricInfo info = new MetricInfo(dp.value, unit);
        while (true) {
          GroupKey key = new GroupKey(c.namespace, timestampMs, logGroup, logStream, kind, batchIndex,
              new TreeMap<>(labels));
          Group g = groups.get(key);
          if (g == null) {
            g = new Group(labels, c.namespace, timestampMs, logGroup, logStream, kind, c.receiver);
            g.metrics.put(dp.name, info);
            groups.put(key, g);
            break;
          }
          if (!g.metrics.containsKey(dp.name)) {
            g.metrics.put(dp.name, info);
            break;
          }
          if (kind == Kind.EXPONENTIAL_HISTOGRAM) {
            // Splits of one histogram carry the same name and labels: each goes to its own event.
            batchIndex++;
            continue;
          }
          log.warn("Duplicate metric found: {} with labels {}", dp.name, labels);
          break;
        }
      }
    }
  }

  private static void addIfPresent(List<List<DataPoint>> out, List<DataPoint> dps) {
    if (dps != null && !dps.isEmpty()) {
      out.add(dps);
    }
  }

  private Map<String, String> labels(List<KeyValue> attributes, Context c) {
    Map<String, String> labels = asStrings(attributes);
    labels.putAll(c.extraLabels);
    if (!c.scopeName.isEmpty()) {
      labels.put(OTEL_LIB, c.scopeName);
    }
    return labels;
  }

  private static long millis(long unixNano) {
    return Long.divideUnsigned(unixNano, 1_000_000L);
  }

  private DeltaCache.Key deltaKey(String name, Map<String, String> labels, Context c) {
    return new DeltaCache.Key(name, c.namespace, c.logGroup, c.logStream, new TreeMap<>(labels));
  }

  private List<DataPoint> number(String name, NumberDataPoint p, boolean cumulative, Context c) {
    boolean isDouble = p.getValueCase() == NumberDataPoint.ValueCase.AS_DOUBLE;
    double value = isDouble ? p.getAsDouble() : (double) p.getAsInt();
    if ((p.getFlags() & NO_RECORDED_VALUE) != 0 || isDouble && !Double.isFinite(value)) {
      log.debug("Dropped stale, NaN or Inf value of {}", name);
      return null;
    }
    Map<String, String> labels = labels(p.getAttributesList(), c);
    if (cumulative) {
      DeltaCache.Result<Double> r = numberDeltas.update(deltaKey(name, labels, c), value);
      double delta;
      if (r.first()) {
        if (!retainInitialValue) {
          return null;
        }
        delta = value;
      } else {
        delta = r.delta();
      }
      // A negative delta means the counter was reset: the reference then reports the raw value.
      if (delta >= 0) {
        value = delta;
      }
    }
    return List.of(new DataPoint(name, value, labels, millis(p.getTimeUnixNano())));
  }

  private List<DataPoint> histogram(String name, HistogramDataPoint p, Context c) {
    double max = p.hasMax() ? p.getMax() : 0;
    double min = p.hasMin() ? p.getMin() : 0;
    if ((p.getFlags() & NO_RECORDED_VALUE) != 0 || !Double.isFinite(max) || !Double.isFinite(min)
        || !Double.isFinite(p.getSum())) {
      log.debug("Dropped stale, NaN or Inf histogram of {}", name);
      return null;
    }
    Map<String, String> labels = labels(p.getAttributesList(), c);
    return List.of(new DataPoint(name, new Stats(max, min, p.getCount(), p.getSum()), labels,
        millis(p.getTimeUnixNano())));
  }

  private static final class Split {
    final List<Double> values = new ArrayList<>();
    final List<Double> counts = new ArrayList<>();
    double max;
    double min;
    long count;
    final double sum;
    final int capacity;
    int length;

    Split(double max, double min, double sum, int capacity) {
      this.max = max;
      this.min = min;
      this.sum = sum;
      this.capacity = capacity;
    }

    boolean full() {
      return length >= capacity;
    }

    void append(double value, long n) {
      values.add(value);
      counts.add((double) n);
      length++;
      count += n;
    }

    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>(6);
      m.put("Values", values);
      m.put("Counts", counts);
      m.put("Max", max);
      m.put("Min", min);
      m.put("Count", unsigned(count));
      m.put("Sum", sum);
      return m;
    }
  }

  /**
   * Values are bucket midpoints from the highest bucket down (positive, zero, negative), at most
   * {@link #SPLIT_THRESHOLD} non-empty buckets per split; only the first split carries the sum, and
   * each split's min/max are its bucket bounds except the outermost, which keep the point's.
   */
  private List<DataPoint> exponentialHistogram(String name, ExponentialHistogramDataPoint p, Context c) {
    double pMax = p.hasMax() ? p.getMax() : 0;
    double pMin = p.hasMin() ? p.getMin() : 0;
    double pSum = p.hasSum() ? p.getSum() : 0;
    if ((p.getFlags() & NO_RECORDED_VALUE) != 0 || !Double.isFinite(pMax) || !Double.isFinite(pMin)
        || !Double.isFinite(pSum)) {
      log.debug("Dropped stale, NaN or Inf exponential histogram of {}", name);
      return null;
    }
    Map<String, String> labels = labels(p.getAttributesList(), c);
    long ts = millis(p.getTimeUnixNano());
    List<Long> positive = p.getPositive().getBucketCountsList();
    List<Long> negative = p.getNegative().getBucketCountsList();
    double base = Math.pow(2, Math.pow(2, -p.getScale()));
    int total = positive.size() + negative.size() + (p.getZeroCount() > 0 ? 1 : 0);
    int bucket = 0;
    int posIndex = positive.size() - 1;
    boolean zeroDone = false;
    int negIndex = 0;
    List<Split> splits = new ArrayList<>();
    while (bucket < total) {
      Split split = new Split(pMax, pMin, bucket == 0 ? pSum : 0, Math.min(SPLIT_THRESHOLD, total - bucket));
      // Positive buckets, highest first.
      double begin = 0;
      double end = 0;
      while (!split.full() && posIndex >= 0) {
        int index = posIndex + p.getPositive().getOffset();
        end = end == 0 ? Math.pow(base, index + 1) : begin;
        begin = Math.pow(base, index);
        long n = positive.get(posIndex);
        if (n > 0) {
          split.append((begin + end) / 2, n);
          if (split.length == 1) {
            split.max = end;
          }
          if (split.full()) {
            split.min = begin;
          }
        }
        bucket++;
        posIndex--;
      }
      if (p.getZeroCount() > 0 && !split.full() && !zeroDone) {
        split.append(0, p.getZeroCount());
        if (split.length == 1) {
          split.max = 0;
        }
        if (split.full()) {
          split.min = 0;
        }
        zeroDone = true;
        bucket++;
      }
      begin = 0;
      end = 0;
      while (!split.full() && negIndex < negative.size()) {
        int index = negIndex + p.getNegative().getOffset();
        end = end == 0 ? -Math.pow(base, index) : begin;
        begin = -Math.pow(base, index + 1);
        long n = negative.get(negIndex);
        if (n > 0) {
          split.append((begin + end) / 2, n);
          if (split.length == 1) {
            split.max = end;
          }
          if (split.full()) {
            split.min = begin;
          }
        }
        bucket++;
        negIndex++;
      }
      if (split.length > 0) {
        splits.add(split);
      }
    }
    if (splits.isEmpty()) {
      Split only = new Split(pMax, pMin, pSum, 0);
      only.count = p.getCount();
      return List.of(new DataPoint(name, only.json(), labels, ts));
    }
    splits.get(0).max = pMax;
    splits.get(splits.size() - 1).min = pMin;
    List<DataPoint> out = new ArrayList<>(splits.size());
    for (Split s : splits) {
      out.add(new DataPoint(name, s.json(), new LinkedHashMap<>(labels), ts));
    }
    return out;
  }

  private List<DataPoint> summary(String name, SummaryDataPoint p, boolean cumulative, Context c) {
    boolean bad = (p.getFlags() & NO_RECORDED_VALUE) != 0 || !Double.isFinite(p.getSum());
    for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
      bad |= !Double.isFinite(q.getValue()) || !Double.isFinite(q.getQuantile());
    }
    if (bad) {
      log.debug("Dropped stale, NaN or Inf summary of {}", name);
      return null;
    }
    Map<String, String> labels = labels(p.getAttributesList(), c);
    long ts = millis(p.getTimeUnixNano());
    double sum = p.getSum();
    long count = p.getCount();
    if (cumulative) {
      DeltaCache.Result<SummaryEntry> r = summaryDeltas.update(deltaKey(name, labels, c), new SummaryEntry(sum, count));
      if (r.first()) {
        if (!retainInitialValue) {
          return null;
        }
      } else {
        // Go subtracts uint64 counts: a reset wraps around, and so does this (written unsigned).
        sum = r.delta().sum;
        count = r.delta().count;
      }
    }
    List<DataPoint> out = new ArrayList<>();
    List<SummaryDataPoint.ValueAtQuantile> qs = p.getQuantileValuesList();
    if (detailedMetrics) {
      out.add(new DataPoint(name + "_sum", sum, labels, ts));
      out.add(new DataPoint(name + "_count", new UnsignedLong(count), labels, ts));
      for (SummaryDataPoint.ValueAtQuantile q : qs) {
        Map<String, String> ql = new LinkedHashMap<>(labels);
        ql.put("quantile", formatG(q.getQuantile()));
        out.add(new DataPoint(name, q.getValue(), ql, ts));
      }
    } else {
      double min = qs.isEmpty() ? 0 : qs.get(0).getValue();
      double max = qs.isEmpty() ? 0 : qs.get(qs.size() - 1).getValue();
      out.add(new DataPoint(name, new Stats(max, min, count, sum), labels, ts));
    }
    return out;
  }

  /** Go's strconv.FormatFloat(f, 'g', -1, 64). */
  static String formatG(double f) {
    if (f == 0) {
      return "0";
    }
    java.math.BigDecimal d = new java.math.BigDecimal(Double.toString(f)).stripTrailingZeros();
    String digits = d.unscaledValue().abs().toString();
    int exp = digits.length() - 1 - d.scale();
    if (exp < -4 || exp >= 21) {
      StringBuilder b = new StringBuilder(f < 0 ? "-" : "");
      b.append(digits.charAt(0));
      if (digits.length() > 1) {
        b.append('.').append(digits, 1, digits.length());
      }
      b.append('e').append(exp < 0 ? '-' : '+');
      if (Math.abs(exp) < 10) {
        b.append('0');
      }
      return b.append(Math.abs(exp)).toString();
    }
    return d.toPlainString();
  }

  private String unit(Metric m) {
    String unit = m.getUnit();
    MetricDescriptor d = descriptors.get(m.getName());
    if (d != null && (unit.isEmpty() || d.overwrite)) {
      return d.unit;
    }
    return switch (unit) {
      case "ms" -> "Milliseconds";
      case "s" -> "Seconds";
      case "us" -> "Microseconds";
      case "By" -> "Bytes";
      case "Bi" -> "Bits";
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

  /** The attribute's value when it is a string, else null (Go's type check before Str()). */
  private static String stringAttr(List<KeyValue> attrs, String key) {
    String found = null;
    for (KeyValue kv : attrs) {
      if (kv.getKey().equals(key)) {
        found = kv.getValue().getValueCase() == AnyValue.ValueCase.STRING_VALUE ? kv.getValue().getStringValue() : null;
      }
    }
    return found;
  }

  private static Map<String, String> asStrings(List<KeyValue> attrs) {
    Map<String, String> m = new LinkedHashMap<>(attrs.size() + 2);
    for (KeyValue kv : attrs) {
      m.put(kv.getKey(), asString(kv.getValue()));
    }
    return m;
  }

  /** pcommon.Value.AsString: scalars in Go's text form, maps and arrays as JSON, bytes as base64. */
  static String asString(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> Double.isFinite(v.getDoubleValue()) ? GoJson.formatFloat(v.getDoubleValue())
          : Double.isNaN(v.getDoubleValue()) ? "NaN" : v.getDoubleValue() > 0 ? "+Inf" : "-Inf";
      case BYTES_VALUE -> Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
      case KVLIST_VALUE, ARRAY_VALUE -> GoJson.write(raw(v));
      default -> "";
    };
  }

  private static Object raw(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> v.getBoolValue();
      case INT_VALUE -> v.getIntValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case BYTES_VALUE -> Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
      case KVLIST_VALUE -> {
        Map<String, Object> m = new TreeMap<>();
        v.getKvlistValue().getValuesList().forEach(kv -> m.put(kv.getKey(), raw(kv.getValue())));
        yield m;
      }
      case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().map(EmfTranslator::raw).toList();
      default -> null;
    };
  }

  /** The "kubernetes" object of EKS Fargate Container Insights, fields in the reference's order, empty ones left out. */
  private static String kubernetesWrapper(Map<String, String> labels) {
    Map<String, Object> k = new LinkedHashMap<>();
    putIfSet(k, "container_name", labels.get("container"));
    String containerId = labels.get("container_id");
    if (containerId != null && !containerId.isEmpty()) {
      k.put("docker", Map.of("container_id", containerId));
    }
    putIfSet(k, "host", labels.get("NodeName"));
    Map<String, Object> l = new LinkedHashMap<>();
    putIfSet(l, "app", labels.get("app"));
    putIfSet(l, "pod-template-hash", labels.get("pod-template-hash"));
    if (!l.isEmpty()) {
      k.put("labels", l);
    }
    putIfSet(k, "namespace_name", labels.get("Namespace"));
    putIfSet(k, "pod_id", labels.get("PodId"));
    putIfSet(k, "pod_name", labels.get("PodName"));
    Map<String, Object> owners = new LinkedHashMap<>();
    putIfSet(owners, "owner_kind", labels.get("owner_kind"));
    putIfSet(owners, "owner_name", labels.get("owner_name"));
    if (!owners.isEmpty()) {
      k.put("pod_owners", owners);
    }
    putIfSet(k, "service_name", labels.get("Service"));
    return GoJson.write(k);
  }

  private static void putIfSet(Map<String, Object> m, String key, String value) {
    if (value != null && !value.isEmpty()) {
      m.put(key, value);
    }
  }

  // ---- grouped metric → EMF (translateGroupedMetricToCWMetric, translateCWMetricToEMF) ----

  private String toEmf(Group g) {
    Map<String, String> labels = new TreeMap<>(g.labels);
    labels.remove(STORAGE_RESOLUTION);
    Map<String, Object> fields = new TreeMap<>(labels);
    for (Map.Entry<String, MetricInfo> e : g.metrics.entrySet()) {
      fields.put(e.getKey(), jsonValue(e.getValue().value()));
    }
    if (PROMETHEUS.equals(g.receiver)) {
      fields.put("prom_metric_type", g.kind.promType);
    }
    List<Map<String, Object>> measurements = List.of();
    if (!disableMetricExtraction) {
      measurements = declarations.isEmpty() ? List.of(measurement(g, labels)) : filteredMeasurements(g, labels);
    }
    for (String key : parseJsonKeys) {
      if (fields.get(key) instanceof String s) {
        try {
          JsonNode n = JSON.readTree(s);
          if (n != null) {
            fields.put(key, GoJson.fromJackson(n));
          }
        } catch (IOException e) {
          log.debug("Failed to parse json-encoded string of {}", key);
        }
      }
    }
    if (version.equals("0")) {
      // EMF v0 always carries the (string) timestamp; the version only with metrics to extract.
      fields.put("Timestamp", Long.toString(g.timestampMs));
    }
    if (!measurements.isEmpty()) {
      if (version.equals("1")) {
        fields.put("Version", "1");
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("CloudWatchMetrics", measurements);
        aws.put("Timestamp", g.timestampMs);
        fields.put("_aws", aws);
      } else {
        fields.put("Version", "0");
        fields.put("CloudWatchMetrics", measurements);
      }
    } else if (enhancedContainerInsights) {
      return null;
    }
    // The reference writes the extracted metrics after all other fields.
    Map<String, Object> values = new TreeMap<>();
    for (Map<String, Object> m : measurements) {
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> metrics = (List<Map<String, Object>>) m.get("Metrics");
      for (Map<String, Object> metric : metrics) {
        String name = (String) metric.get("Name");
        if (fields.containsKey(name)) {
          values.put(name, fields.remove(name));
        }
      }
    }
    StringBuilder b = new StringBuilder(512);
    GoJson.write(b, fields);
    if (!values.isEmpty()) {
      StringBuilder v = new StringBuilder(128);
      GoJson.write(v, values);
      b.setLength(b.length() - 1);
      b.append(',').append(v, 1, v.length());
    }
    return b.toString();
  }

  private static Object jsonValue(Object value) {
    if (value instanceof Stats s) {
      return s.json();
    }
    return value instanceof UnsignedLong u ? unsigned(u.bits) : value;
  }

  private List<Map<String, Object>> metricInfos(Group g, Iterable<String> names) {
    int resolution = 60;
    String res = g.labels.get(STORAGE_RESOLUTION);
    if (res != null) {
      try {
        resolution = Integer.parseInt(res);
      } catch (NumberFormatException e) {
        // The reference ignores a value Atoi cannot read.
      }
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (String name : names) {
      Map<String, Object> m = new LinkedHashMap<>(3);
      m.put("Name", name);
      m.put("Unit", g.metrics.get(name).unit());
      m.put("StorageResolution", resolution);
      out.add(m);
    }
    return out;
  }

  private Map<String, Object> measurement(Group g, Map<String, String> labels) {
    List<List<String>> dims = new ArrayList<>();
    List<String> all = List.copyOf(labels.keySet());
    dims.add(all);
    List<List<String>> rolled = rollup(labels);
    if (!rolled.isEmpty()) {
      boolean single = all.size() <= 1 || all.size() == 2 && labels.containsKey(OTEL_LIB);
      if (single && !rollup.equals(AwsEmfExporterConfig.NO_ROLLUP)) {
        // The single-label set would repeat a rolled-up one.
        dims.clear();
      }
    }
    dims.addAll(rolled);
    return measurementJson(g.namespace, dims, metricInfos(g, g.metrics.keySet()));
  }

  private static Map<String, Object> measurementJson(String ns, List<List<String>> dims, List<Map<String, Object>> ms) {
    Map<String, Object> m = new LinkedHashMap<>(3);
    m.put("Namespace", ns);
    m.put("Dimensions", dims);
    m.put("Metrics", ms.isEmpty() ? null : ms);
    return m;
  }

  /** Rolled-up dimension sets; OTelLib stays in every set, as it is not an original label. */
  private List<List<String>> rollup(Map<String, String> labels) {
    List<List<String>> out = new ArrayList<>();
    boolean otel = labels.containsKey(OTEL_LIB);
    List<String> zero = otel ? List.of(OTEL_LIB) : List.of();
    int others = labels.size() - (otel ? 1 : 0);
    if (rollup.equals(AwsEmfExporterConfig.ZERO_AND_SINGLE) && others > 0) {
      out.add(zero);
    }
    if (rollup.equals(AwsEmfExporterConfig.ZERO_AND_SINGLE) || rollup.equals(AwsEmfExporterConfig.SINGLE_ONLY)) {
      for (String name : labels.keySet()) {
        if (otel && name.equals(OTEL_LIB)) {
          continue;
        }
        List<String> set = new ArrayList<>(zero);
        set.add(name);
        set.sort(null);
        out.add(List.copyOf(set));
      }
    }
    return out;
  }

  private List<Map<String, Object>> filteredMeasurements(Group g, Map<String, String> labels) {
    List<CompiledDeclaration> matching = new ArrayList<>();
    for (CompiledDeclaration d : declarations) {
      if (d.matchesLabels(labels)) {
        matching.add(d);
      }
    }
    if (matching.isEmpty()) {
      log.debug("Dropped batch of metrics: no metric declaration matched labels {}", labels);
      return List.of();
    }
    Map<List<Integer>, List<String>> byDeclarations = new LinkedHashMap<>();
    for (String name : g.metrics.keySet()) {
      List<Integer> idx = new ArrayList<>();
      for (int i = 0; i < matching.size(); i++) {
        if (matching.get(i).matchesName(name)) {
          idx.add(i);
        }
      }
      if (idx.isEmpty()) {
        log.debug("Dropped metric: no metric declaration matched metric name {}", name);
        continue;
      }
      byDeclarations.computeIfAbsent(idx, k -> new ArrayList<>()).add(name);
    }
    List<List<String>> rolled = rollup(labels);
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map.Entry<List<Integer>, List<String>> e : byDeclarations.entrySet()) {
      Set<List<String>> dims = new LinkedHashSet<>();
      for (int i : e.getKey()) {
        dims.addAll(matching.get(i).extractDimensions(labels));
      }
      dims.addAll(rolled);
      if (!dims.isEmpty()) {
        out.add(measurementJson(g.namespace, new ArrayList<>(dims), metricInfos(g, e.getValue())));
      }
    }
    return out;
  }
}
