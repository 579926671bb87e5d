package dev.kansoku.aws.containerinsight;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One group of Container Insights metrics that share their attributes (the collector's
 * {@code CAdvisorMetric}): a {@code Type} (Instance, InstanceFS, InstanceNet, InstanceDiskIO), the
 * tags that become resource attributes, and the fields that become one gauge each. Integral fields
 * become integer gauges and the others double gauges, as the collector's conversion does.
 * Not thread-safe.
 */
final class MetricGroup {
  static final String TYPE = "Type";
  static final String INSTANCE = "Instance";
  static final String INSTANCE_FS = "InstanceFS";
  static final String INSTANCE_NET = "InstanceNet";
  static final String INSTANCE_DISKIO = "InstanceDiskIO";

  /** Units by metric name without its prefix; names absent (the CPU ones, in millicores) have none. */
  private static final Map<String, String> UNITS = units();

  final String type;
  final Map<String, String> tags = new LinkedHashMap<>();
  final Map<String, Number> fields = new TreeMap<>();

  MetricGroup(String type) {
    this.type = type;
    tags.put(TYPE, type);
  }

  /** The name prefix of a type: instance_, or instance_interface_ for the per-interface group. */
  static String prefix(String type) {
    return INSTANCE_NET.equals(type) ? "instance_interface_" : "instance_";
  }

  void put(String measurement, Number value) {
    fields.put(prefix(type) + measurement, value);
  }

  private static Map<String, String> units() {
    Map<String, String> m = new LinkedHashMap<>();
    for (String s : new String[] {"cpu_utilization", "cpu_reserved_capacity", "memory_utilization",
        "memory_reserved_capacity", "filesystem_utilization"}) {
      m.put(s, "Percent");
    }
    for (String s : new String[] {"memory_usage", "memory_cache", "memory_rss", "memory_max_usage", "memory_swap",
        "memory_mapped_file", "memory_working_set", "memory_limit", "filesystem_usage", "filesystem_capacity",
        "filesystem_available"}) {
      m.put(s, "Bytes");
    }
    for (String s : new String[] {"memory_failcnt", "filesystem_inodes", "filesystem_inodes_free",
        "number_of_running_tasks"}) {
      m.put(s, "Count");
    }
    for (String s : new String[] {"memory_pgfault", "memory_pgmajfault", "memory_hierarchical_pgfault",
        "memory_hierarchical_pgmajfault", "network_rx_packets", "network_rx_dropped", "network_rx_errors",
        "network_tx_packets", "network_tx_dropped", "network_tx_errors"}) {
      m.put(s, "Count/Second");
    }
    for (String s : new String[] {"network_rx_bytes", "network_tx_bytes", "network_total_bytes"}) {
      m.put(s, "Bytes/Second");
    }
    for (String op : new String[] {"async", "read", "sync", "write", "total"}) {
      m.put("diskio_io_service_bytes_" + op, "Bytes/Second");
      m.put("diskio_io_serviced_" + op, "Count/Second");
    }
    return m;
  }

  static String unit(String type, String name) {
    return UNITS.getOrDefault(name.replaceFirst("^" + prefix(type), ""), "");
  }

  /**
   * The group as one resource: the tags as attributes ({@code Timestamp} in milliseconds, as EMF
   * wants) and one gauge per field stamped {@code timeNanos}.
   */
  ResourceMetrics toOtlp(long timeNanos) {
    Resource.Builder resource = Resource.newBuilder();
    tags.forEach((k, v) -> resource.addAttributes(KeyValue.newBuilder().setKey(k)
        .setValue(AnyValue.newBuilder().setStringValue(v))));
    ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
    fields.forEach((name, value) -> {
      NumberDataPoint.Builder dp = NumberDataPoint.newBuilder().setTimeUnixNano(timeNanos);
      if (value instanceof Long || value instanceof Integer) {
        dp.setAsInt(value.longValue());
      } else {
        dp.setAsDouble(value.doubleValue());
      }
      scope.addMetrics(Metric.newBuilder().setName(name).setUnit(unit(type, name))
          .setGauge(Gauge.newBuilder().addDataPoints(dp)));
    });
    return ResourceMetrics.newBuilder().setResource(resource).addScopeMetrics(scope).build();
  }
}
