package dev.kansoku.contrib.resourcedetection;

import static dev.kansoku.contrib.attraction.TestAttrs.attrs;
import static dev.kansoku.contrib.attraction.TestAttrs.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.pipeline.ComponentRegistry;
import dev.kansoku.pipeline.Service;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.config.ConfigLoader;
import dev.kansoku.pipeline.config.ConfigSource;
import dev.kansoku.pipeline.testing.TestComponents;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The processor in a running service: detection at start, the merge rules, sharing and failures. */
class ResourceDetectionProcessorTest {
  private final Map<String, String> env = new HashMap<>();
  private final FakeHost host = new FakeHost();
  private TestComponents components;

  private static final String PIPELINES = """
      receivers: {push: }
      exporters: {capture: }
      service:
        pipelines:
          traces: {receivers: [push], processors: [%1$s], exporters: [capture]}
          metrics: {receivers: [push], processors: [%1$s], exporters: [capture]}
          logs: {receivers: [push], processors: [%1$s], exporters: [capture]}
      """;

  private Service start(String processors, String names) throws Exception {
    components = new TestComponents();
    ComponentRegistry registry = components.registry(new ResourceDetectionProcessorFactory(host, null));
    String yaml = "processors:\n" + processors + PIPELINES.formatted(names);
    Service service = Service.create(new ConfigLoader(registry).load(ConfigSource.load(List.of("yaml:" + yaml),
        n -> null)), registry, env::get);
    service.start();
    return service;
  }

  private <T> T roundTrip(Signal<T> signal, T data) throws Exception {
    components.exporter("capture").clear();
    components.receiver("push").push(signal, data);
    return components.exporter("capture").received(signal).get(0);
  }

  private static ExportTraceServiceRequest traces(Resource resource, String schemaUrl) {
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder().setResource(resource)
        .setSchemaUrl(schemaUrl)).build();
  }

  private static Resource resource(Object... keyValues) {
    return Resource.newBuilder().addAllAttributes(attrs(keyValues)).build();
  }

  @Test
  void detected_attributes_override_in_place_and_new_ones_are_appended() throws Exception {
    env.put("OTEL_RESOURCE_ATTRIBUTES", "host.name=from-env,deployment.environment=prod");
    Service service = start("  resourcedetection: {detectors: [env, system]}\n", "resourcedetection");
    try {
      ExportTraceServiceRequest out = roundTrip(Signal.TRACES, traces(resource("service.name", "dice",
          "host.name", "laptop", "k", 1), ""));
      // env wins over system (earlier detector); override replaces host.name where it was
      assertThat(raw(out.getResourceSpans(0).getResource().getAttributesList())).containsExactly(
          Map.entry("service.name", "dice"), Map.entry("host.name", "from-env"), Map.entry("k", 1L),
          Map.entry("deployment.environment", "prod"), Map.entry("os.type", "linux"));
      // system's schema URL (env has none) fills an empty one
      assertThat(out.getResourceSpans(0).getSchemaUrl()).isEqualTo("https://opentelemetry.io/schemas/1.6.1");
      ExportTraceServiceRequest own = roundTrip(Signal.TRACES, traces(resource(), "https://opentelemetry.io/schemas/1.24.0"));
      assertThat(own.getResourceSpans(0).getSchemaUrl()).isEqualTo("https://opentelemetry.io/schemas/1.24.0");

      ExportMetricsServiceRequest metrics = roundTrip(Signal.METRICS, ExportMetricsServiceRequest.newBuilder()
          .addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource("host.name", "x"))).build());
      assertThat(raw(metrics.getResourceMetrics(0).getResource().getAttributesList())).containsEntry("host.name",
          "from-env");
      ExportLogsServiceRequest logs = roundTrip(Signal.LOGS, ExportLogsServiceRequest.newBuilder()
          .addResourceLogs(ResourceLogs.newBuilder()).build());
      assertThat(raw(logs.getResourceLogs(0).getResource().getAttributesList())).containsOnlyKeys("host.name",
          "deployment.environment", "os.type");
    } finally {
      service.shutdown();
    }
  }

  @Test
  void without_override_only_missing_attributes_are_added_and_an_unchanged_batch_is_the_same_object()
      throws Exception {
    env.put("OTEL_RESOURCE_ATTRIBUTES", "host.name=from-env,cloud.region=eu-west-1");
    Service service = start("  resourcedetection/ec2: {detectors: [env], timeout: 2s, override: false}\n",
        "resourcedetection/ec2");
    try {
      ExportTraceServiceRequest out = roundTrip(Signal.TRACES, traces(resource("host.name", "laptop"), ""));
      assertThat(raw(out.getResourceSpans(0).getResource().getAttributesList())).containsExactly(
          Map.entry("host.name", "laptop"), Map.entry("cloud.region", "eu-west-1"));
      ExportTraceServiceRequest complete = traces(resource("cloud.region", "x", "host.name", "y"), "");
      assertThat(roundTrip(Signal.TRACES, complete)).isSameAs(complete);
    } finally {
      service.shutdown();
    }
  }

  @Test
  void one_id_detects_once_for_all_its_pipelines_and_the_deprecated_attributes_list_filters() throws Exception {
    host.fqdn = null;
    Service service = start("""
          resourcedetection:
            detectors: [system]
            attributes: [os.type]
        """, "resourcedetection");
    try {
      assertThat(raw(roundTrip(Signal.TRACES, traces(resource(), "")).getResourceSpans(0).getResource()
          .getAttributesList())).containsExactly(Map.entry("os.type", "linux"));
      // three pipelines, one detection: the fake host was asked its name once (dns failed, then os)
      assertThat(host.asked).isEqualTo(1);
    } finally {
      service.shutdown();
    }
  }

  @Test
  void a_detector_failing_until_the_timeout_stops_the_start_with_its_message() throws Exception {
    env.put("OTEL_RESOURCE_ATTRIBUTES", "a=1,b");
    assertThatThrownBy(() -> start("  resourcedetection: {detectors: [env, system]}\n", "resourcedetection"))
        .hasMessageContaining("resourcedetection: env: invalid resource format, invalid text: \"b\"");

    env.clear();
    host.hostname = null;
    host.fqdn = null;
    Instant before = Instant.now();
    assertThatThrownBy(() -> start("  resourcedetection: {detectors: [system], timeout: 300ms}\n", "resourcedetection"))
        .hasMessageContaining("system: all hostname sources failed to get hostname");
    assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void refresh_interval_runs_detection_again() throws Exception {
    env.put("OTEL_RESOURCE_ATTRIBUTES", "version=1");
    Service service = start("  resourcedetection: {detectors: [env], refresh_interval: 100ms}\n", "resourcedetection");
    try {
      env.put("OTEL_RESOURCE_ATTRIBUTES", "version=2");
      long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      Object version = null;
      while (System.nanoTime() < until && !"2".equals(version)) {
        Thread.sleep(50);
        version = raw(roundTrip(Signal.TRACES, traces(resource(), "")).getResourceSpans(0).getResource()
            .getAttributesList()).get("version");
      }
      assertThat(version).isEqualTo("2");
      // a failing refresh keeps the last good resource
      env.put("OTEL_RESOURCE_ATTRIBUTES", "broken");
      Thread.sleep(300);
      assertThat(raw(roundTrip(Signal.TRACES, traces(resource(), "")).getResourceSpans(0).getResource()
          .getAttributesList())).containsEntry("version", "2");
    } finally {
      service.shutdown();
    }
  }

  /**
   * ADOT's ECS configurations name the processor resourcedetection, its name before contrib v0.153; it
   * and the new resource_detection are the same processor, here with the ecs detector on a Fargate task.
   */
  @Test
  void oldAndNewName_detectTheEcsTask() throws Exception {
    try (StandIn tmde = new StandIn((method, path, headers) -> new StandIn.Answer(200,
        StandIn.resource(path.endsWith("/task") ? "ecs-fargate-task.json" : "ecs-fargate-container.json")))) {
      env.put(EcsDetector.V4, tmde.url() + "/v4/158d1c8083dd");
      for (String name : List.of("resourcedetection", "resource_detection")) {
        Service service = start("  " + name + ": {detectors: [env, ecs]}\n", name);
        try {
          assertThat(raw(roundTrip(Signal.TRACES, traces(resource("service.name", "dice-server"), ""))
              .getResourceSpans(0).getResource().getAttributesList())).as(name)
              .containsEntry("service.name", "dice-server").containsEntry("cloud.platform", "aws_ecs")
              .containsEntry("aws.ecs.task.family", "dice-app").containsEntry("aws.ecs.launchtype", "fargate")
              .containsEntry("aws.ecs.cluster.arn", "arn:aws:ecs:us-west-2:111122223333:cluster/dice");
        } finally {
          service.shutdown();
        }
      }
    }
  }
}
