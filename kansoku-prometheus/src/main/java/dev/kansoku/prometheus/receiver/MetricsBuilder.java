package dev.kansoku.prometheus.receiver;

import dev.kansoku.prometheus.textparse.Metadata;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns one scrape's samples into an OTLP request as upstream's receiver does: one resource per job/instance
 * (service.name, service.instance.id, server.address, server.port, url.scheme, Kubernetes attributes from the
 * discovery), one scope per {@code otel_scope_name}/{@code otel_scope_version}, families by Prometheus type
 * (counter: monotonic cumulative Sum; gauge and unknown: Gauge; histogram: Histogram; summary: Summary; info and
 * stateset: non-monotonic Sum), target labels as point attributes; {@code target_info} goes to the resource.
 * Start times come only from {@code _created} (upstream no longer estimates them); stale samples become points
 * flagged NoRecordedValue.
 */
final class MetricsBuilder {
  static final String SCOPE = "github.com/open-telemetry/opentelemetry-collector-contrib/receiver/prometheusreceiver";
  static final Map<String, Metadata> INTERNAL = Map.of(
      "up", new Metadata("gauge", "The scraping was successful", ""),
      "scrape_duration_seconds", new Metadata("gauge", "Duration of the scrape", "seconds"),
      "scrape_samples_scraped", new Metadata("gauge", "The number of samples the target exposed", ""),
      "scrape_series_added", new Metadata("gauge", "The approximate number of new series in this scrape", ""),
      "scrape_samples_post_metric_relabeling", new Metadata("gauge",
          "The number of samples remaining after metric relabeling was applied", ""));
  private static final Map<String, String> K8S = Map.of(
      "__meta_kubernetes_pod_name", "k8s.pod.name", "__meta_kubernetes_pod_uid", "k8s.pod.uid",
      "__meta_kubernetes_pod_container_name", "k8s.container.name", "__meta_kubernetes_namespace", "k8s.namespace.name",
      "__meta_kubernetes_pod_node_name", "k8s.node.name", "__meta_kubernetes_node_name", "k8s.node.name",
      "__meta_kubernetes_endpoint_node_name", "k8s.node.name");
  private static final Map<String, String> CONTROLLERS = Map.of("ReplicaSet", "k8s.replicaset.name",
      "DaemonSet", "k8s.daemonset.name", "StatefulSet", "k8s.statefulset.name", "Job", "k8s.job.name",
      "CronJob", "k8s.cronjob.name");

  private final Target target;
  private final boolean trimSuffixes;
  private final String scopeVersion;
  private final Map<String, String> externalLabels;
  private final Map<String, Map<String, Map<String, Family>>> resources = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> targetInfo = new HashMap<>();
  private final Map<String, Double> created = new HashMap<>();

  MetricsBuilder(Target target, boolean trimSuffixes, String scopeVersion, Map<String, String> externalLabels) {
    this.target = target;
    this.trimSuffixes = trimSuffixes;
    this.scopeVersion = scopeVersion;
    this.externalLabels = externalLabels;
  }

  /** One sample (or stale marker) of {@code series}; {@code series.labels()} has no {@code __name__}. */
  void add(ScrapeBatch.Series series, double value, long timestampMs, boolean stale) {
    Map<String, String> ls = series.labels();
    String resourceKey = ls.getOrDefault("job", "") + "\u0000" + ls.getOrDefault("instance", "");
    if (series.name().equals("target_info")) {
      if (!stale) {
        Map<String, String> info = targetInfo.computeIfAbsent(resourceKey, k -> new TreeMap<>());
        ls.forEach((k, v) -> {
          if (!k.equals("job") && !k.equals("instance")) {
            info.put(k, v);
          }
        });
      }
      return;
    }
    String scope = ls.getOrDefault("otel_scope_name", "") + "\u0000" + ls.getOrDefault("otel_scope_version", "");
    Family family = resources.computeIfAbsent(resourceKey, k -> new LinkedHashMap<>())
        .computeIfAbsent(scope, k -> new LinkedHashMap<>())
        .computeIfAbsent(series.family(), k -> new Family(series.family(), series.metadata()));
    family.add(series.name(), ls, value, timestampMs, stale);
  }

  /** An OpenMetrics {@code _created} value of family {@code name} (labels without le/quantile). */
  void created(String name, Map<String, String> labels, double seconds) {
    created.put(name + labels, seconds);
  }

  ExportMetricsServiceRequest build() {
    ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
    resources.forEach((resourceKey, scopes) -> {
      int sep = resourceKey.indexOf('\u0000');
      ResourceMetrics.Builder rm = ResourceMetrics.newBuilder()
          .setResource(resource(resourceKey.substring(0, sep), resourceKey.substring(sep + 1),
              targetInfo.getOrDefault(resourceKey, Map.of())));
      scopes.forEach((scopeKey, families) -> {
        int s = scopeKey.indexOf('\u0000');
        String name = scopeKey.substring(0, s);
        ScopeMetrics.Builder sm = ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder()
            .setName(name.isEmpty() ? SCOPE : name).setVersion(name.isEmpty() ? scopeVersion : scopeKey.substring(s + 1)));
        for (Family f : families.values()) {
          Metric m = f.toMetric();
          if (m != null) {
            sm.addMetrics(m);
          }
        }
        if (sm.getMetricsCount() > 0) {
          rm.addScopeMetrics(sm);
        }
      });
      if (rm.getScopeMetricsCount() > 0) {
        request.addResourceMetrics(rm);
      }
    });
    return request.build();
  }

  private Resource resource(String job, String instance, Map<String, String> info) {
    Resource.Builder r = Resource.newBuilder();
    int colon = instance.lastIndexOf(':');
    boolean bracketed = instance.startsWith("[") && instance.contains("]:");
    String host = colon > 0 && (bracketed || instance.indexOf(':') == colon) ? instance.substring(0, colon) : instance;
    String port = host.length() < instance.length() ? instance.substring(colon + 1) : "";
    if (bracketed) {
      host = host.substring(1, host.length() - 1);
    }
    r.addAttributes(kv("service.name", job));
    if (discernible(host)) {
      r.addAttributes(kv("server.address", host));
    }
    r.addAttributes(kv("service.instance.id", instance));
    r.addAttributes(kv("server.port", port));
    r.addAttributes(kv("url.scheme", target.allLabels().getOrDefault("__scheme__", "")));
    Map<String, String> d = target.discovered();
    Map<String, String> k8s = new TreeMap<>();
    K8S.forEach((meta, attr) -> {
      if (!d.getOrDefault(meta, "").isEmpty()) {
        k8s.put(attr, d.get(meta));
      }
    });
    String kind = d.getOrDefault("__meta_kubernetes_pod_controller_kind", "");
    String controller = d.getOrDefault("__meta_kubernetes_pod_controller_name", "");
    if (!controller.isEmpty() && CONTROLLERS.containsKey(kind)) {
      k8s.put(CONTROLLERS.get(kind), controller);
    }
    k8s.forEach((k, v) -> r.addAttributes(kv(k, v)));
    info.forEach((k, v) -> r.addAttributes(kv(k, v)));
    return r.build();
  }

  /** Loopback and unspecified addresses say nothing about which host was scraped. */
  private static boolean discernible(String host) {
    return !(host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("0.0.0.0")
        || host.equals("::") || host.isEmpty());
  }

  static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  /** One metric family of one scope. */
  private final class Family {
    private final String name;
    private final Metadata metadata;
    private final String type;
    private final Map<String, Group> groups = new LinkedHashMap<>();

    Family(String name, Metadata metadata) {
      this.name = name;
      this.metadata = metadata;
      this.type = switch (metadata.type()) {
        case "counter" -> "sum";
        case "histogram", "gaugehistogram" -> "histogram";
        case "summary" -> "summary";
        case "info", "stateset" -> "updown";
        default -> "gauge";
      };
    }

    void add(String sampleName, Map<String, String> ls, double value, long ts, boolean stale) {
      boolean complex = type.equals("histogram") || type.equals("summary");
      Map<String, String> attrs = new TreeMap<>();
      String bound = null;
      for (Map.Entry<String, String> e : ls.entrySet()) {
        String k = e.getKey();
        if (complex && k.equals(type.equals("histogram") ? "le" : "quantile")) {
          bound = e.getValue();
        } else if (!k.equals("otel_scope_name") && !k.equals("otel_scope_version")) {
          attrs.put(k, e.getValue());
        }
      }
      externalLabels.forEach(attrs::putIfAbsent);
      String key = attrs.toString();
      Group g = groups.computeIfAbsent(key, k -> new Group(attrs, ts));
      if (!complex) {
        g.value = value;
        g.stale = stale;
        return;
      }
      if (sampleName.endsWith("_sum") || sampleName.endsWith("_gsum")) {
        g.sum = value;
        g.hasSum = true;
        g.stale |= stale;
      } else if (sampleName.endsWith("_count") || sampleName.endsWith("_gcount")) {
        g.count = value;
        g.hasCount = true;
        g.ts = ts;
        g.stale |= stale;
      } else if (bound != null) {
        double b = parseBound(bound);
        if (!Double.isNaN(b)) {
          g.bounds.add(new double[] {b, value});
        }
      }
    }

    Metric toMetric() {
      Metric.Builder m = Metric.newBuilder().setName(trimSuffixes ? Suffixes.trim(name, metadata) : name)
          .setDescription(metadata.help()).setUnit(metadata.unit());
      String base = ScrapeBatch.normalize(name);
      int points = 0;
      switch (type) {
        case "histogram" -> {
          Histogram.Builder h = Histogram.newBuilder()
              .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
          for (Group g : groups.values()) {
            HistogramDataPoint p = g.histogramPoint(created.get(base + g.attrs));
            if (p != null) {
              h.addDataPoints(p);
            }
          }
          points = h.getDataPointsCount();
          m.setHistogram(h);
        }
        case "summary" -> {
          Summary.Builder s = Summary.newBuilder();
          for (Group g : groups.values()) {
            SummaryDataPoint p = g.summaryPoint(created.get(base + g.attrs));
            if (p != null) {
              s.addDataPoints(p);
            }
          }
          points = s.getDataPointsCount();
          m.setSummary(s);
        }
        case "sum", "updown" -> {
          Sum.Builder s = Sum.newBuilder().setIsMonotonic(type.equals("sum"))
              .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
          groups.values().forEach(g -> s.addDataPoints(g.numberPoint(created.get(base + g.attrs))));
          points = s.getDataPointsCount();
          m.setSum(s);
        }
        default -> {
          Gauge.Builder s = Gauge.newBuilder();
          groups.values().forEach(g -> s.addDataPoints(g.numberPoint(null)));
          points = s.getDataPointsCount();
          m.setGauge(s);
        }
      }
      return points == 0 ? null : m.build();
    }
  }

  private static double parseBound(String s) {
    try {
      return switch (s) {
        case "+Inf", "Inf", "+inf", "inf" -> Double.POSITIVE_INFINITY;
        case "-Inf", "-inf" -> Double.NEGATIVE_INFINITY;
        default -> Double.parseDouble(s);
      };
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** The points of one label set: a value, or a histogram's / summary's parts. */
  private static final class Group {
    final Map<String, String> attrs;
    long ts;
    double value;
    boolean stale;
    double sum;
    boolean hasSum;
    double count;
    boolean hasCount;
    final List<double[]> bounds = new ArrayList<>();

    Group(Map<String, String> attrs, long ts) {
      this.attrs = attrs;
      this.ts = ts;
    }

    private List<KeyValue> attributes() {
      List<KeyValue> out = new ArrayList<>();
      attrs.forEach((k, v) -> {
        if (!k.equals("job") && !k.equals("instance") && !v.isEmpty()) {
          out.add(kv(k, v));
        }
      });
      return out;
    }

    NumberDataPoint numberPoint(Double createdSeconds) {
      NumberDataPoint.Builder p = NumberDataPoint.newBuilder().setTimeUnixNano(ts * 1_000_000L)
          .addAllAttributes(attributes());
      if (createdSeconds != null && createdSeconds != 0) {
        p.setStartTimeUnixNano(nanos(createdSeconds));
      }
      if (stale) {
        p.setFlags(DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE);
      } else {
        p.setAsDouble(value);
      }
      return p.build();
    }

    HistogramDataPoint histogramPoint(Double createdSeconds) {
      if (!hasCount || bounds.isEmpty()) {
        return null;
      }
      bounds.sort((a, b) -> Double.compare(a[0], b[0]));
      if (bounds.get(bounds.size() - 1)[0] != Double.POSITIVE_INFINITY) {
        return null; // no +Inf bucket: not a complete Prometheus histogram
      }
      HistogramDataPoint.Builder p = HistogramDataPoint.newBuilder().setTimeUnixNano(ts * 1_000_000L)
          .addAllAttributes(attributes());
      if (createdSeconds != null && createdSeconds != 0) {
        p.setStartTimeUnixNano(nanos(createdSeconds));
      }
      for (int i = 0; i < bounds.size(); i++) {
        if (i < bounds.size() - 1) {
          p.addExplicitBounds(bounds.get(i)[0]);
        }
        double c = stale ? 0 : i == 0 ? bounds.get(0)[1] : bounds.get(i)[1] - bounds.get(i - 1)[1];
        p.addBucketCounts((long) c);
      }
      if (stale) {
        p.setFlags(DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE);
      } else {
        p.setCount((long) count);
        if (hasSum) {
          p.setSum(sum);
        }
      }
      return p.build();
    }

    SummaryDataPoint summaryPoint(Double createdSeconds) {
      if (!hasCount) {
        return null;
      }
      bounds.sort((a, b) -> Double.compare(a[0], b[0]));
      SummaryDataPoint.Builder p = SummaryDataPoint.newBuilder().setTimeUnixNano(ts * 1_000_000L)
          .addAllAttributes(attributes());
      if (createdSeconds != null && createdSeconds != 0) {
        p.setStartTimeUnixNano(nanos(createdSeconds));
      }
      for (double[] q : bounds) {
        SummaryDataPoint.ValueAtQuantile.Builder v = SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(q[0]);
        if (!stale) {
          v.setValue(q[1]);
        }
        p.addQuantileValues(v);
      }
      if (stale) {
        p.setFlags(DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE);
      } else {
        p.setCount((long) count);
        if (hasSum) {
          p.setSum(sum);
        }
      }
      return p.build();
    }

    private static long nanos(double seconds) {
      return (long) (seconds * 1e9);
    }
  }
}
