package dev.kansoku.aws.ecscontainermetrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Task metadata ({@code /task}) and docker stats ({@code /task/stats}, by docker id) → metrics, as
 * the collector's receiver computes them: one resource per container with stats (its attributes plus
 * the task's), {@code container.duration} for a stopped container without stats, and one task resource
 * whose values are the containers' sums, with the task-level limits when the task has them.
 */
final class TaskMetrics {
  static final String SCHEMA_URL = "https://opentelemetry.io/schemas/1.6.1";
  private static final long BYTES_IN_MIB = 1024 * 1024;
  private static final int CPUS_IN_VCPU = 1024;

  private TaskMetrics() {}

  static ExportMetricsServiceRequest translate(JsonNode task, JsonNode stats, Instant now) {
    long ts = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    ExportMetricsServiceRequest.Builder out = ExportMetricsServiceRequest.newBuilder();
    Resource taskResource = EcsResources.task(task);
    Usage taskUsage = new Usage();
    for (JsonNode c : task.path("Containers")) {
      Resource.Builder resource = EcsResources.container(c);
      resource.addAllAttributes(taskResource.getAttributesList());
      JsonNode s = stats.path(c.path("DockerId").asText(""));
      if (!s.path("id").asText("").isEmpty()) {
        Usage usage = containerUsage(s, c.path("Limits"));
        out.addResourceMetrics(usageMetrics("container.", usage, resource.build(), ts, false));
        taskUsage.add(usage);
      } else if (!text(c, "FinishedAt").isEmpty() && !text(c, "StartedAt").isEmpty()) {
        ScopeMetrics.Builder scope = ScopeMetrics.newBuilder()
            .addMetrics(doubleGauge("container.duration", "Seconds", duration(c), ts));
        out.addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource).addScopeMetrics(scope));
      }
    }
    JsonNode limits = task.path("Limits");
    if (limits.hasNonNull("Memory")) {
      taskUsage.memoryReserved = limits.path("Memory").asLong();
    }
    if (limits.hasNonNull("CPU")) {
      taskUsage.cpuReserved = limits.path("CPU").asDouble() * CPUS_IN_VCPU;
    }
    // Without a task-level CPU limit the containers' limits add up to the reservation.
    if (taskUsage.cpuReserved > 0) {
      taskUsage.cpuUtilized = taskUsage.cpuUsageInVcpu * CPUS_IN_VCPU;
    }
    ResourceMetrics.Builder taskMetrics = usageMetrics("ecs.task.", taskUsage, taskResource, ts, true).toBuilder();
    JsonNode ephemeral = task.path("EphemeralStorageMetrics");
    taskMetrics.getScopeMetricsBuilder(0)
        .addMetrics(intGauge("ecs.task.ephemeral_storage.utilized", "MiB", ephemeral.path("Utilized").asLong(), ts))
        .addMetrics(intGauge("ecs.task.ephemeral_storage.reserved", "MiB", ephemeral.path("Reserved").asLong(), ts));
    return out.addResourceMetrics(taskMetrics).build();
  }

  /** One container's usage from its docker stats and its limits in the task metadata. */
  static Usage containerUsage(JsonNode s, JsonNode limits) {
    Usage u = new Usage();
    JsonNode memory = s.path("memory_stats");
    if (memory.isObject()) {
      u.memoryUsage = memory.path("usage").asLong();
      u.memoryMaxUsage = memory.path("max_usage").asLong();
      u.memoryLimit = memory.path("limit").asLong();
      if (memory.path("stats").isObject()) {
        u.memoryUtilized = (u.memoryUsage - memory.path("stats").path("cache").asLong()) / BYTES_IN_MIB;
      }
    }
    JsonNode cpu = s.path("cpu_stats").path("cpu_usage");
    JsonNode previous = s.path("precpu_stats").path("cpu_usage");
    if (cpu.isObject() && previous.isObject()) {
      long sinceLastRead = nanosBetween(text(s, "preread"), text(s, "read"));
      double inVcpu = 0;
      if (sinceLastRead > 0) {
        inVcpu = (double) (cpu.path("total_usage").asLong() - previous.path("total_usage").asLong()) / sinceLastRead;
      }
      u.cpuTotalUsage = cpu.path("total_usage").asLong();
      u.cpuKernelMode = cpu.path("usage_in_kernelmode").asLong();
      u.cpuUserMode = cpu.path("usage_in_usermode").asLong();
      u.cpuCores = cpu.path("percpu_usage").size();
      u.cpuOnlines = s.path("cpu_stats").path("online_cpus").asLong();
      u.cpuSystemUsage = s.path("cpu_stats").path("system_cpu_usage").asLong();
      u.cpuUsageInVcpu = inVcpu;
      u.cpuUtilized = inVcpu * 100;
    }
    JsonNode rate = s.path("network_rate_stats");
    if (rate.isObject()) {
      u.networkRateRx = rate.path("rx_bytes_per_sec").asDouble();
      u.networkRateTx = rate.path("tx_bytes_per_sec").asDouble();
    }
    String[] fields = {"rx_bytes", "rx_packets", "rx_errors", "rx_dropped", "tx_bytes", "tx_packets", "tx_errors",
        "tx_dropped"};
    for (JsonNode network : s.path("networks")) {
      for (int i = 0; i < fields.length; i++) {
        u.network[i] += network.path(fields[i]).asLong();
      }
    }
    // Docker lists a value per block device and operation; "Async", "Total" and the like are left out.
    for (JsonNode io : s.path("blkio_stats").path("io_service_bytes_recursive")) {
      switch (text(io, "op")) {
        case "Read" -> u.storageRead += io.path("value").asLong();
        case "Write" -> u.storageWrite += io.path("value").asLong();
        default -> { }
      }
    }
    if (limits.hasNonNull("Memory")) {
      u.memoryReserved = limits.path("Memory").asLong();
    }
    if (limits.hasNonNull("CPU")) {
      u.cpuReserved = limits.path("CPU").asDouble();
    }
    if (u.cpuReserved > 0) {
      u.cpuUtilized = u.cpuUtilized / u.cpuReserved;
    }
    return u;
  }

  private static ResourceMetrics usageMetrics(String prefix, Usage u, Resource resource, long ts, boolean task) {
    ScopeMetrics.Builder s = ScopeMetrics.newBuilder()
        .addMetrics(intGauge(prefix + "memory.usage", "Bytes", u.memoryUsage, ts))
        .addMetrics(intGauge(prefix + "memory.usage.max", "Bytes", u.memoryMaxUsage, ts))
        .addMetrics(intGauge(prefix + "memory.usage.limit", "Bytes", u.memoryLimit, ts))
        .addMetrics(intGauge(prefix + "memory.utilized", "MiB", u.memoryUtilized, ts))
        .addMetrics(intGauge(prefix + "memory.reserved", "MiB", u.memoryReserved, ts))
        .addMetrics(intSum(prefix + "cpu.usage.total", "Nanoseconds", u.cpuTotalUsage, ts))
        .addMetrics(intSum(prefix + "cpu.usage.kernelmode", "Nanoseconds", u.cpuKernelMode, ts))
        .addMetrics(intSum(prefix + "cpu.usage.usermode", "Nanoseconds", u.cpuUserMode, ts))
        .addMetrics(intGauge(prefix + "cpu.cores", "Count", u.cpuCores, ts))
        .addMetrics(intGauge(prefix + "cpu.onlines", "Count", u.cpuOnlines, ts))
        .addMetrics(intSum(prefix + "cpu.usage.system", "Nanoseconds", u.cpuSystemUsage, ts))
        .addMetrics(doubleGauge(prefix + "cpu.utilized", "None", u.cpuUtilized, ts))
        .addMetrics(doubleGauge(prefix + "cpu.reserved", "None", u.cpuReserved, ts))
        .addMetrics(doubleGauge(prefix + "cpu.usage.vcpu", "vCPU", u.cpuUsageInVcpu, ts))
        .addMetrics(doubleGauge(prefix + "network.rate.rx", "Bytes/Second", u.networkRateRx, ts))
        .addMetrics(doubleGauge(prefix + "network.rate.tx", "Bytes/Second", u.networkRateTx, ts));
    String[] names = {"rx_bytes", "rx_packets", "rx_errors", "rx_dropped", "tx_bytes", "tx_packets", "tx_errors",
        "tx_dropped"};
    for (int i = 0; i < names.length; i++) {
      s.addMetrics(intSum(prefix + "network.io.usage." + names[i], names[i].endsWith("bytes") ? "Bytes" : "Count",
          u.network[i], ts));
    }
    s.addMetrics(intSum(prefix + "storage.read_bytes", "Bytes", u.storageRead, ts))
        .addMetrics(intSum(prefix + "storage.write_bytes", "Bytes", u.storageWrite, ts));
    return ResourceMetrics.newBuilder().setResource(resource).setSchemaUrl(SCHEMA_URL).addScopeMetrics(s).build();
  }

  /** Seconds from StartedAt to FinishedAt; 0 when either is not an RFC 3339 time (upstream logs it). */
  private static double duration(JsonNode c) {
    long nanos = nanosBetween(text(c, "StartedAt"), text(c, "FinishedAt"));
    return nanos / 1e9;
  }

  private static long nanosBetween(String from, String to) {
    try {
      return Duration.between(OffsetDateTime.parse(from), OffsetDateTime.parse(to)).toNanos();
    } catch (DateTimeParseException | ArithmeticException e) {
      return 0;
    }
  }

  static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isValueNode() && !v.isNull() ? v.asText() : "";
  }

  private static Metric intGauge(String name, String unit, long value, long ts) {
    return Metric.newBuilder().setName(name).setUnit(unit)
        .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsInt(value).setTimeUnixNano(ts)))
        .build();
  }

  private static Metric intSum(String name, String unit, long value, long ts) {
    return Metric.newBuilder().setName(name).setUnit(unit)
        .setSum(Sum.newBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(NumberDataPoint.newBuilder().setAsInt(value).setTimeUnixNano(ts)))
        .build();
  }

  private static Metric doubleGauge(String name, String unit, double value, long ts) {
    return Metric.newBuilder().setName(name).setUnit(unit)
        .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsDouble(value).setTimeUnixNano(ts)))
        .build();
  }

  static KeyValue str(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }
}
