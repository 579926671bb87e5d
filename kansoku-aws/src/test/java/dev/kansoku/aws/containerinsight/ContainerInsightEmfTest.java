package dev.kansoku.aws.containerinsight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import dev.kansoku.aws.emf.AwsEmfExporterConfig;
import dev.kansoku.aws.emf.AwsEmfExporterFactory;
import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Exporter;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.config.ConfigBinder;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receiver's output through awsemf configured as ADOT's ECS instance-metrics configuration:
 * log group and stream from the ClusterName and ContainerInstanceId attributes, Sources decoded
 * from JSON, the declared dimensions.
 */
class ContainerInsightEmfTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @TempDir Path dir;

  @BeforeAll
  static void credentials() {
    System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
    System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  }

  @Test
  void adotConfig_groupAndStreamFromAttributes_sourcesAsJsonArray() throws Exception {
    List<JsonNode> puts = new CopyOnWriteArrayList<>();
    Server cwl = Server.builder().http(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .gracefulShutdownTimeoutMillis(0, 0)
        .service("/", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(r -> {
          if (String.valueOf(req.headers().get("x-amz-target")).endsWith(".PutLogEvents")) {
            try {
              puts.add(JSON.readTree(r.contentUtf8()));
            } catch (java.io.IOException e) {
              return HttpResponse.of(HttpStatus.BAD_REQUEST);
            }
          }
          return HttpResponse.of(HttpStatus.OK, MediaType.create("application", "x-amz-json-1.1"), "{}");
        }))).build();
    cwl.start().join();
    List<ExportMetricsServiceRequest> collected = new ArrayList<>();
    DataConsumer<ExportMetricsServiceRequest> sink = collected::add;
    Exporter exporter = null;
    try (HostFixture host = new HostFixture(dir, "cgroup-v1")) {
      AwsContainerInsightReceiverConfig rc = new AwsContainerInsightReceiverConfig();
      rc.containerOrchestrator = "ecs";
      rc.collectionInterval = Duration.ofHours(1);
      AwsContainerInsightReceiver receiver = new AwsContainerInsightReceiver("awscontainerinsightreceiver", rc,
          host.env()::get, host.paths(host.agentUri()), (region, id, timeout) -> Map.of(), host.clock,
          new Consumers(Map.of(Signal.METRICS, sink)));
      receiver.start(null);
      receiver.collect();
      host.advance();
      receiver.collect();
      receiver.shutdown();

      JsonNode adot = YAML.readTree(Files.readString(HostFixture.resource("ecs-instance-metrics.yaml")));
      ObjectNode emfYaml = (ObjectNode) adot.path("exporters").path("awsemf");
      emfYaml.put("region", "us-west-2").put("endpoint", "http://127.0.0.1:" + cwl.activeLocalPort())
          .put("max_retries", 0).putObject("sending_queue").put("enabled", false);
      AwsEmfExporterConfig ec = ConfigBinder.bind(emfYaml, new AwsEmfExporterFactory().createDefaultConfig(),
          "exporters::awsemf");
      exporter = new AwsEmfExporterFactory().create(ec, new ComponentContext() {
        @Override
        public ComponentId id() {
          return ComponentId.parse("awsemf");
        }

        @Override
        public <R> R shared(Class<R> type, Supplier<R> create) {
          return create.get();
        }
      });
      exporter.start(null);
      exporter.consumer(Signal.METRICS).consume(collected.get(1));
    } finally {
      if (exporter != null) {
        exporter.shutdown();
      }
      cwl.stop().join();
    }

    assertThat(puts).isNotEmpty();
    JsonNode instance = null;
    for (JsonNode put : puts) {
      assertThat(put.get("logGroupName").asText()).isEqualTo("/aws/ecs/containerinsights/prod/performance");
      assertThat(put.get("logStreamName").asText())
          .isEqualTo("instanceTelemetry/" + AwsContainerInsightReceiverTest.CONTAINER_INSTANCE);
      for (JsonNode e : put.get("logEvents")) {
        JsonNode event = JSON.readTree(e.get("message").asText());
        if ("Instance".equals(event.path("Type").asText())) {
          instance = event;
        }
      }
    }
    assertThat(instance).isNotNull();
    assertThat(instance.get("Sources").isArray()).isTrue();
    assertThat(instance.get("Sources").toString()).isEqualTo("[\"cadvisor\",\"/proc\",\"ecsagent\",\"calculated\"]");
    assertThat(instance.get("ClusterName").asText()).isEqualTo("prod");
    assertThat(instance.get("instance_cpu_utilization").asDouble()).isCloseTo(25.0, within(1e-6));
    List<String> dimensionSets = new ArrayList<>();
    for (JsonNode directive : instance.path("_aws").path("CloudWatchMetrics")) {
      assertThat(directive.get("Namespace").asText()).isEqualTo("ECS/ContainerInsights");
      directive.get("Dimensions").forEach(d -> dimensionSets.add(d.toString()));
    }
    // awsemf sorts the names of a declared dimension set, as the collector does.
    assertThat(dimensionSets).contains("[\"ClusterName\",\"ContainerInstanceId\",\"InstanceId\"]", "[\"ClusterName\"]");
  }
}
