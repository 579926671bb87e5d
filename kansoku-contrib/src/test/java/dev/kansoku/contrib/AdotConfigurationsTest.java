package dev.kansoku.contrib;

import static dev.kansoku.contrib.attraction.TestAttrs.attrs;
import static dev.kansoku.contrib.attraction.TestAttrs.raw;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The keys ADOT's shipped configurations use for {@code resource} (key, value, from_attribute,
 * action insert/delete, long lists of rename pairs), {@code statsd} (endpoint, aggregation_interval),
 * {@code filter} (metrics include by strict names) and {@code metricstransform} (update renames), in
 * configurations of the same shape, written here.
 */
class AdotConfigurationsTest {
  /** ECS task metadata attribute → the CloudWatch dimension name Container Insights wants. */
  private static final Map<String, String> ECS_RENAMES = new LinkedHashMap<>();

  static {
    String[][] pairs = {
        {"ClusterName", "aws.ecs.cluster.name"}, {"ServiceName", "aws.ecs.service.name"},
        {"TaskId", "aws.ecs.task.id"}, {"TaskDefinitionFamily", "aws.ecs.task.family"},
        {"TaskARN", "aws.ecs.task.arn"}, {"TaskDefinitionRevision", "aws.ecs.task.version"},
        {"LaunchType", "aws.ecs.launchtype"}, {"AvailabilityZone", "cloud.availability_zone"},
        {"Region", "cloud.region"}, {"AccountId", "cloud.account.id"}, {"DockerId", "container.id"},
        {"ContainerName", "container.name"}, {"Image", "container.image.name"}, {"ImageTag", "container.image.tag"},
        {"ExitCode", "aws.ecs.container.exit_code"}, {"CreatedAt", "aws.ecs.container.created_at"},
        {"StartedAt", "aws.ecs.container.started_at"}, {"FinishedAt", "aws.ecs.container.finished_at"},
        {"KnownStatus", "aws.ecs.task.known_status"}, {"PullStartedAt", "aws.ecs.task.pull_started_at"},
        {"PullStoppedAt", "aws.ecs.task.pull_stopped_at"}, {"DockerName", "aws.ecs.docker.name"}};
    for (String[] p : pairs) {
      ECS_RENAMES.put(p[0], p[1]);
    }
  }

  private static String config() {
    StringBuilder ecs = new StringBuilder();
    ECS_RENAMES.forEach((to, from) -> ecs.append("      - key: ").append(to).append("\n        from_attribute: ")
        .append(from).append("\n        action: insert\n      - key: ").append(from).append("\n        action: delete\n"));
    return """
        receivers:
          push:
        processors:
          batch/metrics:
            timeout: 60s
          resource:
            attributes:
        %s  resource/prometheus:
            attributes:
              - key: TaskId
                from_attribute: service.name
                action: insert
              - key: receiver
                value: "prometheus"
                action: insert
        exporters:
          capture:
        service:
          pipelines:
            metrics/performance:
              receivers: [push]
              processors: [resource, batch/metrics]
              exporters: [capture]
        """.formatted(ecs.toString().indent(2));
  }

  @Test
  void configurationLoads_withEveryKeyAdotUses() throws Exception {
    assertThat(TestService.load(config()).pipelines()).hasSize(1);
    String prometheus = config().replace("processors: [resource, batch/metrics]",
        "processors: [resource/prometheus]");
    assertThat(TestService.load(prometheus).pipelines()).hasSize(1);
  }

  @Test
  void ecsTaskMetadata_isRenamedToContainerInsightsDimensions() throws Exception {
    List<KeyValue> in = new ArrayList<>(attrs("service.name", "dice"));
    Map<String, Object> expected = new LinkedHashMap<>(Map.of("service.name", "dice"));
    ECS_RENAMES.forEach((to, from) -> {
      in.add(attrs(from, from + "-value").get(0));
      expected.put(to, from + "-value");
    });
    in.add(attrs("aws.ecs.task.revision.number", 7).get(0));
    expected.put("aws.ecs.task.revision.number", 7L);
    // batch/metrics holds for 60 s, so this pipeline is run without it
    try (TestService s = TestService.start(config().replace("processors: [resource, batch/metrics]",
        "processors: [resource]"))) {
      ExportMetricsServiceRequest out = s.roundTrip(Signal.METRICS, metrics(in));
      assertThat(raw(out.getResourceMetrics(0).getResource().getAttributesList())).isEqualTo(expected);
    }
  }

  @Test
  void prometheusReceiverResource_getsTaskIdAndReceiver() throws Exception {
    try (TestService s = TestService.start(config().replace("processors: [resource, batch/metrics]",
        "processors: [resource/prometheus]"))) {
      ExportMetricsServiceRequest out = s.roundTrip(Signal.METRICS, metrics(attrs("service.name", "kubernetes-pod-jmx",
          "receiver", "otlp")));
      assertThat(raw(out.getResourceMetrics(0).getResource().getAttributesList())).isEqualTo(Map.of(
          "service.name", "kubernetes-pod-jmx", "receiver", "otlp", "TaskId", "kubernetes-pod-jmx"));
      out = s.roundTrip(Signal.METRICS, metrics(attrs()));
      assertThat(raw(out.getResourceMetrics(0).getResource().getAttributesList())).isEqualTo(Map.of(
          "receiver", "prometheus"));
    }
  }

  /** ECS task metric → the Container Insights name ADOT's task-metrics configuration renames it to. */
  private static final Map<String, String> TASK_METRICS = new LinkedHashMap<>();

  static {
    String[][] pairs = {{"ecs.task.memory.utilized", "MemoryUtilized"}, {"ecs.task.memory.reserved", "MemoryReserved"},
        {"ecs.task.cpu.utilized", "CpuUtilized"}, {"ecs.task.cpu.reserved", "CpuReserved"},
        {"ecs.task.network.rate.rx", "NetworkRxBytes"}, {"ecs.task.network.rate.tx", "NetworkTxBytes"},
        {"ecs.task.storage.read_bytes", "StorageReadBytes"}, {"ecs.task.storage.write_bytes", "StorageWriteBytes"}};
    for (String[] p : pairs) {
      TASK_METRICS.put(p[0], p[1]);
    }
  }

  private static String taskMetricsConfig(String receiver) {
    StringBuilder names = new StringBuilder();
    StringBuilder renames = new StringBuilder();
    TASK_METRICS.forEach((from, to) -> {
      names.append("          - ").append(from).append('\n');
      renames.append("      - include: ").append(from).append("\n        action: update\n        new_name: ")
          .append(to).append('\n');
    });
    return """
        receivers:
          %s
        processors:
          filter:
            metrics:
              include:
                match_type: strict
                metric_names:
        %s          - container.duration
          metricstransform:
            transforms:
        %s
        exporters:
          capture:
        service:
          pipelines:
            metrics/task:
              receivers: [%s]
              processors: [filter, metricstransform]
              exporters: [capture]
        """.formatted(receiver, names, renames.toString().stripTrailing(), receiver.replaceAll("(?s):.*", ""));
  }

  @Test
  void taskMetricsConfiguration_withStatsdFilterAndMetricsTransform_loads() throws Exception {
    String statsd = "statsd:\n    endpoint: 0.0.0.0:8125\n    aggregation_interval: 60s";
    assertThat(TestService.load(taskMetricsConfig(statsd)).pipelines()).hasSize(1);
  }

  @Test
  void taskMetrics_areFilteredAndRenamedToContainerInsightsNames() throws Exception {
    ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
    for (String name : List.of("ecs.task.memory.utilized", "ecs.task.memory.usage.max", "ecs.task.cpu.utilized",
        "container.duration", "ecs.task.network.io.usage.rx_bytes", "ecs.task.storage.write_bytes")) {
      scope.addMetrics(Metric.newBuilder().setName(name).setGauge(Gauge.newBuilder()
          .addDataPoints(NumberDataPoint.newBuilder().setAsDouble(1))));
    }
    try (TestService s = TestService.start(taskMetricsConfig("push:"))) {
      ExportMetricsServiceRequest out = s.roundTrip(Signal.METRICS, ExportMetricsServiceRequest.newBuilder()
          .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(scope)).build());
      assertThat(out.getResourceMetrics(0).getScopeMetrics(0).getMetricsList()).extracting(Metric::getName)
          .containsExactly("MemoryUtilized", "CpuUtilized", "container.duration", "StorageWriteBytes");
    }
  }

  private static ExportMetricsServiceRequest metrics(List<KeyValue> resource) {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder().addAllAttributes(resource)).addScopeMetrics(ScopeMetrics.newBuilder()
            .addMetrics(Metric.newBuilder().setName("MemoryUtilized").setGauge(Gauge.newBuilder()
                .addDataPoints(NumberDataPoint.newBuilder().setAsDouble(42)))))).build();
  }
}
