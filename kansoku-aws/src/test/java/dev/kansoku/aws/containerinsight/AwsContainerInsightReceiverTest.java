package dev.kansoku.aws.containerinsight;

import static dev.kansoku.aws.containerinsight.HostFixture.attributes;
import static dev.kansoku.aws.containerinsight.HostFixture.byKey;
import static dev.kansoku.aws.containerinsight.HostFixture.units;
import static dev.kansoku.aws.containerinsight.HostFixture.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Two collections over a recorded ECS container instance (cgroup v1 and v2), with a stand-in ECS
 * agent and IMDS; every expected value is computed from the fixture files.
 */
class AwsContainerInsightReceiverTest {
  static final String CONTAINER_INSTANCE = "1f73d099-b914-411c-a9ff-81633b7741dd";
  static final double MEMORY_CAPACITY = 8_000_000 * 1024.0;
  /** Task 1: 256 MiB reservation + 128 MiB hard limit of its containers; task 2: 512 MiB task limit. */
  static final double MEMORY_RESERVED = 268_435_456 + 134_217_728 + 536_870_912;

  @TempDir Path dir;
  private HostFixture host;
  private AwsContainerInsightReceiver receiver;
  private final List<ExportMetricsServiceRequest> received = new CopyOnWriteArrayList<>();

  private DataConsumer<ExportMetricsServiceRequest> sink() {
    return received::add;
  }

  @AfterEach
  void stop() {
    if (receiver != null) {
      receiver.shutdown();
    }
    if (host != null) {
      host.close();
    }
  }

  private AwsContainerInsightReceiver receiver(String layout, URI agent, Map<String, String> extraEnv)
      throws Exception {
    host = new HostFixture(dir, layout);
    AwsContainerInsightReceiverConfig config = new AwsContainerInsightReceiverConfig();
    config.containerOrchestrator = "ecs";
    config.collectionInterval = Duration.ofHours(1); // the test collects by hand
    Map<String, String> env = new java.util.HashMap<>(host.env());
    env.putAll(extraEnv);
    receiver = new AwsContainerInsightReceiver("awscontainerinsightreceiver", config, env::get,
        host.paths(agent == null ? host.agentUri() : agent),
        (region, instanceId, timeout) -> region.equals("us-west-2") && instanceId.equals("i-0b22a22eec53b9321")
            ? Map.of("aws:autoscaling:groupName", "ecs-prod-asg", "Name", "ecs-prod") : Map.of(),
        host.clock, new Consumers(Map.of(Signal.METRICS, sink())));
    receiver.start(null);
    return receiver;
  }

  /** Collects twice, ten seconds apart, and returns both collections' resources by key. */
  private List<Map<String, ResourceMetrics>> twoCollections() throws Exception {
    receiver.collect();
    host.advance();
    receiver.collect();
    assertThat(received).hasSize(2);
    return List.of(byKey(received.get(0).getResourceMetricsList()), byKey(received.get(1).getResourceMetricsList()));
  }

  @Test
  void cgroupV1_firstCollectionHasGaugesAndNoRates_secondHasRates() throws Exception {
    receiver("cgroup-v1", null, Map.of());
    List<Map<String, ResourceMetrics>> c = twoCollections();

    Map<String, ResourceMetrics> first = c.get(0);
    // No rates yet: no interface or block I/O resources, no CPU usage.
    assertThat(first.keySet()).containsExactly("Instance", "InstanceFS /dev/nvme0n1p1", "InstanceFS /dev/shm",
        "InstanceFS /dev/nvme1n1");
    Map<String, Number> inst = values(first.get("Instance"));
    assertThat(inst).doesNotContainKeys("instance_cpu_usage_total", "instance_cpu_utilization",
        "instance_network_total_bytes", "instance_memory_pgfault");
    assertThat(inst).contains(entry("instance_cpu_limit", 2000L), entry("instance_memory_limit", 8_192_000_000L),
        entry("instance_memory_usage", 3_000_000_000L), entry("instance_memory_working_set", 2_000_000_000L),
        entry("instance_memory_cache", 1_500_000_000L), entry("instance_memory_rss", 1_400_000_000L),
        entry("instance_memory_swap", 1_048_576L), entry("instance_memory_mapped_file", 200_000_000L),
        entry("instance_memory_max_usage", 5_000_000_000L), entry("instance_memory_failcnt", 3L),
        entry("instance_number_of_running_tasks", 2L));
    assertThat(inst.get("instance_memory_utilization").doubleValue()).isCloseTo(2e9 / MEMORY_CAPACITY * 100,
        within(1e-9));
    // 512 shares (task 1) + a 50000/100000 quota (task 2) = 1024 shares of 2 cores' 2048.
    assertThat(inst.get("instance_cpu_reserved_capacity").doubleValue()).isCloseTo(50.0, within(1e-9));
    assertThat(inst.get("instance_memory_reserved_capacity").doubleValue())
        .isCloseTo(MEMORY_RESERVED / MEMORY_CAPACITY * 100, within(1e-9));

    Map<String, String> attrs = attributes(first.get("Instance"));
    assertThat(attrs).containsExactlyInAnyOrderEntriesOf(Map.of("Type", "Instance", "Timestamp", "1796612400123",
        "Version", "0", "InstanceId", "i-0b22a22eec53b9321", "InstanceType", "m5.large",
        "AutoScalingGroupName", "ecs-prod-asg", "ClusterName", "prod", "ContainerInstanceId", CONTAINER_INSTANCE,
        "Sources", "[\"cadvisor\",\"/proc\",\"ecsagent\",\"calculated\"]"));
    assertThat(first.get("Instance").getScopeMetrics(0).getMetrics(0).getGauge().getDataPoints(0).getTimeUnixNano())
        .isEqualTo(1_796_612_400_123_000_000L);

    Map<String, Number> root = values(first.get("InstanceFS /dev/nvme0n1p1"));
    assertThat(root).contains(entry("instance_filesystem_usage", 10_737_418_240L),
        entry("instance_filesystem_capacity", 32_212_254_720L), entry("instance_filesystem_available", 20_000_000_000L));
    assertThat(root.get("instance_filesystem_utilization").doubleValue()).isCloseTo(100.0 / 3, within(1e-9));
    assertThat(values(first.get("InstanceFS /dev/nvme1n1")).get("instance_filesystem_utilization").doubleValue())
        .isCloseTo(25.0, within(1e-9));
    assertThat(attributes(first.get("InstanceFS /dev/shm"))).contains(entry("fstype", "vfs"),
        entry("Sources", "[\"cadvisor\",\"calculated\"]"), entry("ClusterName", "prod"));

    Map<String, ResourceMetrics> second = c.get(1);
    assertThat(second.keySet()).containsExactly("Instance", "InstanceNet eth0", "InstanceNet ecs-bridge",
        "InstanceFS /dev/nvme0n1p1", "InstanceFS /dev/shm", "InstanceFS /dev/nvme1n1", "InstanceDiskIO /dev/nvme0n1",
        "InstanceDiskIO /dev/nvme1n1");
    inst = values(second.get("Instance"));
    // 5 s of CPU in 10 s on 2 cores: 500 millicores, 25 %.
    assertThat(inst.get("instance_cpu_usage_total").doubleValue()).isCloseTo(500.0, within(1e-6));
    assertThat(inst.get("instance_cpu_usage_user").doubleValue()).isCloseTo(300.0, within(1e-6));
    assertThat(inst.get("instance_cpu_usage_system").doubleValue()).isCloseTo(150.0, within(1e-6));
    assertThat(inst.get("instance_cpu_utilization").doubleValue()).isCloseTo(25.0, within(1e-6));
    assertThat(inst.get("instance_memory_pgfault").doubleValue()).isCloseTo(500.0, within(1e-6));
    assertThat(inst.get("instance_memory_pgmajfault").doubleValue()).isCloseTo(1.0, within(1e-6));
    assertThat(inst.get("instance_memory_hierarchical_pgfault").doubleValue()).isCloseTo(1000.0, within(1e-6));
    assertThat(inst.get("instance_memory_hierarchical_pgmajfault").doubleValue()).isCloseTo(2.0, within(1e-6));
    // eth0 + ecs-bridge; lo, docker0 and veth* are left out as cAdvisor does.
    assertThat(inst.get("instance_network_rx_bytes").doubleValue()).isCloseTo(1_100_000.0, within(1e-6));
    assertThat(inst.get("instance_network_tx_bytes").doubleValue()).isCloseTo(700_000.0, within(1e-6));
    assertThat(inst.get("instance_network_total_bytes").doubleValue()).isCloseTo(1_800_000.0, within(1e-6));
    assertThat(inst.get("instance_network_rx_packets").doubleValue()).isCloseTo(1100.0, within(1e-6));

    Map<String, Number> eth0 = values(second.get("InstanceNet eth0"));
    assertThat(eth0.get("instance_interface_network_rx_bytes").doubleValue()).isCloseTo(1_000_000.0, within(1e-6));
    assertThat(eth0.get("instance_interface_network_tx_bytes").doubleValue()).isCloseTo(500_000.0, within(1e-6));
    assertThat(eth0.get("instance_interface_network_rx_dropped").doubleValue()).isCloseTo(1.0, within(1e-6));
    assertThat(eth0.get("instance_interface_network_total_bytes").doubleValue()).isCloseTo(1_500_000.0, within(1e-6));
    assertThat(attributes(second.get("InstanceNet eth0"))).contains(entry("Type", "InstanceNet"),
        entry("interface", "eth0"), entry("Timestamp", "1796612410123"));

    Map<String, Number> disk = values(second.get("InstanceDiskIO /dev/nvme0n1"));
    assertThat(disk).containsOnlyKeys("instance_diskio_io_service_bytes_read", "instance_diskio_io_service_bytes_write",
        "instance_diskio_io_service_bytes_sync", "instance_diskio_io_service_bytes_async",
        "instance_diskio_io_service_bytes_total", "instance_diskio_io_serviced_read",
        "instance_diskio_io_serviced_write", "instance_diskio_io_serviced_sync", "instance_diskio_io_serviced_async",
        "instance_diskio_io_serviced_total");
    assertThat(disk.get("instance_diskio_io_service_bytes_total").doubleValue()).isCloseTo(3_000_000.0, within(1e-6));
    assertThat(disk.get("instance_diskio_io_serviced_write").doubleValue()).isCloseTo(200.0, within(1e-6));
    assertThat(attributes(second.get("InstanceDiskIO /dev/nvme0n1"))).contains(entry("Sources", "[\"cadvisor\"]"));

    Map<String, String> u = units(second.get("Instance"));
    assertThat(u).contains(entry("instance_cpu_utilization", "Percent"), entry("instance_cpu_usage_total", ""),
        entry("instance_cpu_limit", ""), entry("instance_memory_working_set", "Bytes"),
        entry("instance_memory_pgfault", "Count/Second"), entry("instance_network_total_bytes", "Bytes/Second"),
        entry("instance_number_of_running_tasks", "Count"), entry("instance_cpu_reserved_capacity", "Percent"),
        entry("instance_memory_failcnt", "Count"));
    assertThat(units(second.get("InstanceNet eth0"))).contains(entry("instance_interface_network_rx_packets",
        "Count/Second"));
    assertThat(units(second.get("InstanceFS /dev/shm"))).contains(entry("instance_filesystem_usage", "Bytes"),
        entry("instance_filesystem_utilization", "Percent"));
    assertThat(units(second.get("InstanceDiskIO /dev/nvme0n1"))).contains(
        entry("instance_diskio_io_service_bytes_read", "Bytes/Second"),
        entry("instance_diskio_io_serviced_read", "Count/Second"));
  }

  @Test
  void cgroupV2_rootStatsFromCpuStatAndMemoryStat_reservationsFromEcstasksSlice() throws Exception {
    receiver("cgroup-v2", null, Map.of("HOST_NAME", "ip-10-0-1-12.us-west-2.compute.internal"));
    List<Map<String, ResourceMetrics>> c = twoCollections();

    Map<String, Number> first = values(c.get(0).get("Instance"));
    // The v2 root has no memory.current: usage is anon + file, swap comes from meminfo.
    assertThat(first).contains(entry("instance_memory_usage", 3_000_000_000L),
        entry("instance_memory_working_set", 2_000_000_000L), entry("instance_memory_cache", 1_500_000_000L),
        entry("instance_memory_rss", 1_500_000_000L), entry("instance_memory_swap", 1_048_576L),
        entry("instance_memory_max_usage", 0L), entry("instance_memory_failcnt", 0L));
    // cpu.weight 20 is 500 shares (runc's conversion inverted) + a 50000/100000 cpu.max (512) of 2048.
    assertThat(first.get("instance_cpu_reserved_capacity").doubleValue()).isCloseTo(1012 / 20.48, within(1e-9));
    assertThat(first.get("instance_memory_reserved_capacity").doubleValue())
        .isCloseTo(MEMORY_RESERVED / MEMORY_CAPACITY * 100, within(1e-9));
    assertThat(attributes(c.get(0).get("Instance")))
        .contains(entry("NodeName", "ip-10-0-1-12.us-west-2.compute.internal"));

    Map<String, ResourceMetrics> second = c.get(1);
    Map<String, Number> inst = values(second.get("Instance"));
    assertThat(inst.get("instance_cpu_usage_total").doubleValue()).isCloseTo(500.0, within(1e-6));
    assertThat(inst.get("instance_cpu_usage_user").doubleValue()).isCloseTo(300.0, within(1e-6));
    assertThat(inst.get("instance_cpu_utilization").doubleValue()).isCloseTo(25.0, within(1e-6));
    assertThat(inst.get("instance_memory_hierarchical_pgfault").doubleValue()).isCloseTo(500.0, within(1e-6));
    Map<String, Number> disk = values(second.get("InstanceDiskIO /dev/nvme0n1"));
    assertThat(disk).containsOnlyKeys("instance_diskio_io_service_bytes_read", "instance_diskio_io_service_bytes_write",
        "instance_diskio_io_serviced_read", "instance_diskio_io_serviced_write");
    assertThat(disk.get("instance_diskio_io_service_bytes_read").doubleValue()).isCloseTo(1_000_000.0, within(1e-6));
    assertThat(disk.get("instance_diskio_io_serviced_write").doubleValue()).isCloseTo(200.0, within(1e-6));
  }

  @Test
  void agentDown_metricsWithoutEcsAttributes_zeroReservations_oneWarning() throws Exception {
    com.linecorp.armeria.server.Server closed = com.linecorp.armeria.server.Server.builder()
        .http(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0)).gracefulShutdownTimeoutMillis(0, 0)
        .service("/", (ctx, req) -> com.linecorp.armeria.common.HttpResponse.of(200)).build();
    closed.start().join();
    URI down = URI.create("http://127.0.0.1:" + closed.activeLocalPort());
    closed.stop().join();
    Logger log = (Logger) LoggerFactory.getLogger(EcsInstanceCollector.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    log.addAppender(logs);
    try {
      receiver("cgroup-v1", down, Map.of());
      List<Map<String, ResourceMetrics>> c = twoCollections();

      Map<String, Number> inst = values(c.get(1).get("Instance"));
      assertThat(inst.get("instance_cpu_utilization").doubleValue()).isCloseTo(25.0, within(1e-6));
      assertThat(inst).doesNotContainKey("instance_number_of_running_tasks");
      assertThat(inst.get("instance_cpu_reserved_capacity").doubleValue()).isZero();
      assertThat(inst.get("instance_memory_reserved_capacity").doubleValue()).isZero();
      assertThat(attributes(c.get(1).get("Instance"))).doesNotContainKeys("ClusterName", "ContainerInstanceId")
          .contains(entry("InstanceId", "i-0b22a22eec53b9321"));
      List<String> warnings = logs.list.stream().filter(e -> e.getLevel() == Level.WARN)
          .map(ILoggingEvent::getFormattedMessage).toList();
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0)).contains("the ECS agent introspection API at " + down + " is unreachable");
    } finally {
      log.detachAppender(logs);
    }
  }

  @Test
  void eksMode_startFailsClearly() {
    AwsContainerInsightReceiverConfig config = new AwsContainerInsightReceiverConfig();
    AwsContainerInsightReceiver r = AwsContainerInsightReceiver.create("awscontainerinsightreceiver", config,
        name -> null, new Consumers(Map.of(Signal.METRICS, sink())));

    assertThatThrownBy(() -> r.start(null)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("container_orchestrator: eks is not built yet");
    r.shutdown();
  }
}
