package dev.kansoku.aws.ecscontainermetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Task metadata and stats shaped like AWS's Fargate v4 examples → the receiver's metrics. */
class TaskMetricsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2020-10-08T21:25:00Z");

  static JsonNode resource(String name) throws IOException {
    try (InputStream in = TaskMetricsTest.class.getResourceAsStream("/ecscontainermetrics/" + name)) {
      return JSON.readTree(in);
    }
  }

  static Map<String, Object> attributes(ResourceMetrics rm) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (KeyValue kv : rm.getResource().getAttributesList()) {
      out.put(kv.getKey(), kv.getValue().hasIntValue() ? (Object) kv.getValue().getIntValue()
          : kv.getValue().getStringValue());
    }
    return out;
  }

  static Map<String, Metric> metrics(ResourceMetrics rm) {
    return rm.getScopeMetricsList().stream().flatMap(s -> s.getMetricsList().stream())
        .collect(Collectors.toMap(Metric::getName, m -> m, (a, b) -> a, LinkedHashMap::new));
  }

  static NumberDataPoint point(Metric m) {
    return m.hasGauge() ? m.getGauge().getDataPoints(0) : m.getSum().getDataPoints(0);
  }

  static ResourceMetrics byName(ExportMetricsServiceRequest r, String container) {
    return r.getResourceMetricsList().stream().filter(rm -> container.equals(attributes(rm).get("container.name")))
        .findFirst().orElseThrow();
  }

  static ResourceMetrics task(ExportMetricsServiceRequest r) {
    return r.getResourceMetricsList().stream().filter(rm -> !attributes(rm).containsKey("container.name"))
        .findFirst().orElseThrow();
  }

  @Test
  void runningContainer_metricsNamesUnitsAndValues() throws IOException {
    ExportMetricsServiceRequest r = TaskMetrics.translate(resource("task.json"), resource("stats.json"), NOW);

    assertThat(r.getResourceMetricsCount()).isEqualTo(3);
    ResourceMetrics curl = byName(r, "curl");
    Map<String, Metric> m = metrics(curl);
    assertThat(m).hasSize(26);
    assertThat(curl.getSchemaUrl()).isEqualTo(TaskMetrics.SCHEMA_URL);
    assertThat(m.get("container.memory.usage").getUnit()).isEqualTo("Bytes");
    assertThat(point(m.get("container.memory.usage")).getAsInt()).isEqualTo(10485760);
    assertThat(point(m.get("container.memory.usage.max")).getAsInt()).isEqualTo(11000000);
    assertThat(point(m.get("container.memory.usage.limit")).getAsInt()).isEqualTo(4294967296L);
    // (usage - cache) in MiB.
    assertThat(m.get("container.memory.utilized").getUnit()).isEqualTo("MiB");
    assertThat(point(m.get("container.memory.utilized")).getAsInt()).isEqualTo(8);
    assertThat(point(m.get("container.memory.reserved")).getAsInt()).isEqualTo(128);
    // 0.5 s of CPU in 10 s is 0.05 vCPU, 5 % of one CPU, over a limit of 10 CPU units.
    assertThat(m.get("container.cpu.usage.vcpu").getUnit()).isEqualTo("vCPU");
    assertThat(point(m.get("container.cpu.usage.vcpu")).getAsDouble()).isCloseTo(0.05, within(1e-12));
    assertThat(m.get("container.cpu.utilized").getUnit()).isEqualTo("None");
    assertThat(point(m.get("container.cpu.utilized")).getAsDouble()).isCloseTo(0.5, within(1e-12));
    assertThat(point(m.get("container.cpu.reserved")).getAsDouble()).isEqualTo(10.0);
    assertThat(m.get("container.cpu.usage.total").getUnit()).isEqualTo("Nanoseconds");
    assertThat(m.get("container.cpu.usage.total").getSum().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    assertThat(point(m.get("container.cpu.usage.total")).getAsInt()).isEqualTo(1500000000L);
    assertThat(point(m.get("container.cpu.usage.kernelmode")).getAsInt()).isEqualTo(200000000L);
    assertThat(point(m.get("container.cpu.usage.usermode")).getAsInt()).isEqualTo(1100000000L);
    assertThat(point(m.get("container.cpu.usage.system")).getAsInt()).isEqualTo(13336000000L);
    assertThat(point(m.get("container.cpu.cores")).getAsInt()).isEqualTo(2);
    assertThat(m.get("container.cpu.cores").getUnit()).isEqualTo("Count");
    assertThat(point(m.get("container.cpu.onlines")).getAsInt()).isEqualTo(2);
    assertThat(m.get("container.network.rate.rx").getUnit()).isEqualTo("Bytes/Second");
    assertThat(point(m.get("container.network.rate.rx")).getAsDouble()).isEqualTo(43.3);
    assertThat(point(m.get("container.network.rate.tx")).getAsDouble()).isEqualTo(12.5);
    // Summed over eth0 and eth1.
    assertThat(point(m.get("container.network.io.usage.rx_bytes")).getAsInt()).isEqualTo(1024);
    assertThat(m.get("container.network.io.usage.rx_bytes").getUnit()).isEqualTo("Bytes");
    assertThat(point(m.get("container.network.io.usage.rx_packets")).getAsInt()).isEqualTo(11);
    assertThat(m.get("container.network.io.usage.rx_packets").getUnit()).isEqualTo("Count");
    assertThat(point(m.get("container.network.io.usage.rx_errors")).getAsInt()).isEqualTo(1);
    assertThat(point(m.get("container.network.io.usage.rx_dropped")).getAsInt()).isEqualTo(2);
    assertThat(point(m.get("container.network.io.usage.tx_bytes")).getAsInt()).isEqualTo(576);
    assertThat(point(m.get("container.network.io.usage.tx_dropped")).getAsInt()).isEqualTo(3);
    // Read and Write of both devices; Sync and Total left out.
    assertThat(point(m.get("container.storage.read_bytes")).getAsInt()).isEqualTo(5096);
    assertThat(point(m.get("container.storage.write_bytes")).getAsInt()).isEqualTo(8192);
    assertThat(point(m.get("container.storage.read_bytes")).getTimeUnixNano())
        .isEqualTo(NOW.getEpochSecond() * 1_000_000_000L);
  }

  @Test
  void containerResource_ownAttributesThenTheTasks() throws IOException {
    ExportMetricsServiceRequest r = TaskMetrics.translate(resource("task.json"), resource("stats.json"), NOW);

    Map<String, Object> a = attributes(byName(r, "curl"));
    assertThat(a).containsEntry("container.id", "e9028f8d5d8e4f258373e7b93ce9a3c3-2495160603")
        .containsEntry("aws.ecs.docker.name", "curl")
        .containsEntry("container.image.name", "111122223333.dkr.ecr.us-west-2.amazonaws.com/curltest")
        .containsEntry("container.image.tag", "latest")
        .containsEntry("aws.ecs.container.image.id",
            "sha256:25f3695bedfb454a50f12d127839a68ad3caf91e451c1da073db34c542c4d2cb")
        .containsEntry("aws.ecs.container.started_at", "2020-10-08T20:47:20.567813946Z")
        .containsEntry("aws.ecs.container.know_status", "RUNNING")
        .doesNotContainKey("aws.ecs.container.finished_at").doesNotContainKey("aws.ecs.container.exit_code")
        .containsEntry("aws.ecs.cluster.name", "default")
        .containsEntry("aws.ecs.task.id", "e9028f8d5d8e4f258373e7b93ce9a3c3");
  }

  @Test
  void taskResource_fromTheArnAndMetadata() throws IOException {
    ExportMetricsServiceRequest r = TaskMetrics.translate(resource("task.json"), resource("stats.json"), NOW);

    assertThat(attributes(task(r))).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
        Map.entry("aws.ecs.cluster.name", "default"),
        Map.entry("aws.ecs.task.arn", "arn:aws:ecs:us-west-2:111122223333:task/default/e9028f8d5d8e4f258373e7b93ce9a3c3"),
        Map.entry("aws.ecs.task.id", "e9028f8d5d8e4f258373e7b93ce9a3c3"),
        Map.entry("aws.ecs.task.family", "curltest"),
        Map.entry("aws.ecs.task.version", "3"),
        Map.entry("aws.ecs.task.revision", "3"),
        Map.entry("aws.ecs.service.name", "curl-service"),
        Map.entry("cloud.availability_zone", "us-west-2a"),
        Map.entry("aws.ecs.task.pull_started_at", "2020-10-08T20:47:16.053330955Z"),
        Map.entry("aws.ecs.task.pull_stopped_at", "2020-10-08T20:47:19.592684631Z"),
        Map.entry("aws.ecs.task.known_status", "RUNNING"),
        Map.entry("aws.ecs.task.launch_type", "FARGATE"),
        Map.entry("aws.ecs.launchtype", "fargate"),
        Map.entry("cloud.region", "us-west-2"),
        Map.entry("cloud.account.id", "111122223333")));
  }

  @Test
  void taskMetrics_sumsWithTaskLevelLimits() throws IOException {
    ExportMetricsServiceRequest r = TaskMetrics.translate(resource("task.json"), resource("stats.json"), NOW);

    Map<String, Metric> m = metrics(task(r));
    assertThat(m).hasSize(28);
    assertThat(point(m.get("ecs.task.memory.reserved")).getAsInt()).isEqualTo(512);
    assertThat(point(m.get("ecs.task.memory.utilized")).getAsInt()).isEqualTo(8);
    // 0.25 vCPU is 256 CPU units; utilization is then the vCPU usage in CPU units.
    assertThat(point(m.get("ecs.task.cpu.reserved")).getAsDouble()).isEqualTo(256.0);
    assertThat(point(m.get("ecs.task.cpu.utilized")).getAsDouble()).isCloseTo(51.2, within(1e-9));
    assertThat(point(m.get("ecs.task.network.rate.rx")).getAsDouble()).isEqualTo(43.3);
    assertThat(point(m.get("ecs.task.storage.read_bytes")).getAsInt()).isEqualTo(5096);
    assertThat(point(m.get("ecs.task.storage.write_bytes")).getAsInt()).isEqualTo(8192);
    assertThat(m.get("ecs.task.ephemeral_storage.utilized").getUnit()).isEqualTo("MiB");
    assertThat(point(m.get("ecs.task.ephemeral_storage.utilized")).getAsInt()).isEqualTo(261);
    assertThat(point(m.get("ecs.task.ephemeral_storage.reserved")).getAsInt()).isEqualTo(20496);
  }

  @Test
  void noTaskLevelLimits_containersLimitsAddUp() throws IOException {
    ObjectNode task = (ObjectNode) resource("task.json");
    task.remove("Limits");

    ExportMetricsServiceRequest r = TaskMetrics.translate(task, resource("stats.json"), NOW);

    Map<String, Metric> m = metrics(task(r));
    // Only the container with stats counts: the stopped one's limits are not added.
    assertThat(point(m.get("ecs.task.memory.reserved")).getAsInt()).isEqualTo(128);
    assertThat(point(m.get("ecs.task.cpu.reserved")).getAsDouble()).isEqualTo(10.0);
    assertThat(point(m.get("ecs.task.cpu.utilized")).getAsDouble()).isCloseTo(51.2, within(1e-9));
  }

  @Test
  void stoppedContainerWithoutStats_onlyItsDuration() throws IOException {
    ExportMetricsServiceRequest r = TaskMetrics.translate(resource("task.json"), resource("stats.json"), NOW);

    ResourceMetrics init = byName(r, "init");
    Map<String, Metric> m = metrics(init);
    assertThat(m.keySet()).containsExactly("container.duration");
    assertThat(m.get("container.duration").getUnit()).isEqualTo("Seconds");
    assertThat(point(m.get("container.duration")).getAsDouble()).isEqualTo(2.5);
    assertThat(attributes(init)).containsEntry("aws.ecs.container.exit_code", 0L)
        .containsEntry("aws.ecs.container.finished_at", "2020-10-08T20:47:21.500000000Z")
        .containsEntry("container.image.name", "busybox").containsEntry("container.image.tag", "latest")
        .containsEntry("aws.ecs.task.family", "curltest");
  }

  @Test
  void firstReadWithoutPreviousCpu_noCpuMetricsValues() throws IOException {
    ObjectNode stats = (ObjectNode) resource("stats.json");
    ((ObjectNode) stats.get("e9028f8d5d8e4f258373e7b93ce9a3c3-2495160603")).remove("precpu_stats");

    Map<String, Metric> m = metrics(byName(TaskMetrics.translate(resource("task.json"), stats, NOW), "curl"));

    assertThat(point(m.get("container.cpu.usage.total")).getAsInt()).isZero();
    assertThat(point(m.get("container.cpu.usage.vcpu")).getAsDouble()).isZero();
    assertThat(point(m.get("container.memory.usage")).getAsInt()).isEqualTo(10485760);
  }

  @Test
  void imageReferences() {
    assertThat(EcsResources.image("nginx")).containsExactly("nginx", "latest");
    assertThat(EcsResources.image("localhost:5000/app:1.2")).containsExactly("localhost:5000/app", "1.2");
    assertThat(EcsResources.image("localhost:5000/app")).containsExactly("localhost:5000/app", "latest");
    assertThat(EcsResources.image("app:2@sha256:abc")).containsExactly("app", "2");
    assertThat(EcsResources.clusterName("arn:aws:ecs:us-west-2:1:cluster/prod")).isEqualTo("prod");
    assertThat(EcsResources.clusterName("prod")).isEqualTo("prod");
    assertThat(List.of(EcsResources.image(""))).containsExactly("", "");
  }
}
