package dev.kansoku.contrib.resourcedetection;

import static dev.kansoku.contrib.attraction.TestAttrs.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.ComponentKind;
import dev.kansoku.pipeline.ComponentRegistry;
import dev.kansoku.pipeline.Service;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.config.ConfigException;
import dev.kansoku.pipeline.config.ConfigLoader;
import dev.kansoku.pipeline.config.ConfigSource;
import dev.kansoku.pipeline.config.ServiceConfig;
import dev.kansoku.pipeline.testing.TestComponents;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The keys ADOT's shipped configurations use for {@code resourcedetection}, in configurations of the
 * same shape written here, and the errors a wrong key or value gets.
 */
class ResourceDetectionConfigTest {
  private static final String ADOT_SHAPED = """
      receivers: {push: }
      processors:
        resourcedetection:
          detectors: [env, system, ecs, ec2]
        resourcedetection/ec2:
          detectors: [env]
          timeout: 2s
          override: false
      exporters: {capture: }
      service:
        pipelines:
          traces: {receivers: [push], processors: [resourcedetection], exporters: [capture]}
          metrics: {receivers: [push], processors: [resourcedetection/ec2], exporters: [capture]}
      """;

  private final Map<String, String> env = new HashMap<>();
  private final TestComponents components = new TestComponents();
  private final ComponentRegistry registry = components.registry(
      new ResourceDetectionProcessorFactory(new FakeHost(), null));

  private ServiceConfig load(String yaml) throws ConfigException {
    return new ConfigLoader(registry).load(ConfigSource.load(List.of("yaml:" + yaml), n -> null));
  }

  @Test
  void adots_keys_validate_and_bind() throws Exception {
    ServiceConfig c = load(ADOT_SHAPED);
    ResourceDetectionConfig all = (ResourceDetectionConfig) c.config(ComponentKind.PROCESSOR,
        ComponentId.parse("resourcedetection"));
    assertThat(all.detectorNames()).containsExactly("env", "system", "ecs", "ec2");
    assertThat(all.override).isTrue();
    assertThat(all.timeout).isEqualTo(Duration.ofSeconds(5));
    ResourceDetectionConfig ec2 = (ResourceDetectionConfig) c.config(ComponentKind.PROCESSOR,
        ComponentId.parse("resourcedetection/ec2"));
    assertThat(ec2.detectorNames()).containsExactly("env");
    assertThat(ec2.override).isFalse();
    assertThat(ec2.timeout).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void adots_configuration_runs_off_aws_with_what_env_and_system_find() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      env.put(Imds.ENDPOINT_VARIABLE, "http://127.0.0.1:" + s.getLocalPort()); // nothing answers there: not EC2
    }
    env.put("OTEL_RESOURCE_ATTRIBUTES", "service.namespace=dice");
    Service service = Service.create(load(ADOT_SHAPED), registry, env::get);
    service.start();
    try {
      components.receiver("push").push(Signal.TRACES, ExportTraceServiceRequest.newBuilder()
          .addResourceSpans(ResourceSpans.newBuilder()).build());
      ExportTraceServiceRequest out = components.exporter("capture").received(Signal.TRACES).get(0);
      assertThat(raw(out.getResourceSpans(0).getResource().getAttributesList())).containsExactly(
          Map.entry("service.namespace", "dice"), Map.entry("host.name", "ip-10-0-1-17.us-west-2.compute.internal"),
          Map.entry("os.type", "linux"));
    } finally {
      service.shutdown();
    }
  }

  @Test
  void every_detector_block_and_key_of_upstream_binds() throws Exception {
    ResourceDetectionConfig c = (ResourceDetectionConfig) load("""
        receivers: {push: }
        processors:
          resourcedetection:
            detectors: [env, system, docker, ecs, ec2]
            override: true
            timeout: 500ms
            refresh_interval: 1h
            fail_on_missing_metadata: false
            attributes: [host.name, cloud.region]
            env: {}
            system:
              hostname_sources: [os, dns]
              resource_attributes: {host.id: {enabled: true}, os.description: {enabled: true}}
            ec2:
              tags: ["^Name$"]
              tags_from_imds: true
              max_attempts: 5
              max_backoff: 10s
              resource_attributes: {host.name: {enabled: false}}
            ecs:
              resource_attributes: {aws.log.stream.arns: {enabled: false}}
            docker:
              resource_attributes: {container.name: {enabled: true}}
        exporters: {capture: }
        service: {pipelines: {traces: {receivers: [push], processors: [resourcedetection], exporters: [capture]}}}
        """).config(ComponentKind.PROCESSOR, ComponentId.parse("resourcedetection"));
    assertThat(c.system.sources()).containsExactly("os", "dns");
    assertThat(c.system.enabled().test("host.id")).isTrue();
    assertThat(c.system.enabled().test("host.arch")).isFalse();
    assertThat(c.ec2.enabled().test("host.name")).isFalse();
    assertThat(c.ec2.maxAttempts).isEqualTo(5);
    assertThat(c.refreshInterval).isEqualTo(Duration.ofHours(1));
    assertThat(c.attributes).containsExactly("host.name", "cloud.region");
  }

  @Test
  void wrong_settings_name_their_path() {
    error("detectors: [env, gcp]", "processors::resourcedetection: detectors::1: detector \"gcp\" is not offered by"
        + " Kansoku (offered: env, system, docker, ecs, ec2)");
    error("detectors: [envv]", "detectors::0: invalid detector key: \"envv\"");
    error("detectors: [env]\n    timeoutt: 2s", "unknown key \"timeoutt\"");
    error("detectors: [env]\n    timeout: 0s", "timeout: 0ms (expected: > 0, e.g. 5s)");
    error("system: {hostname_sources: [fqdn]}", "system::hostname_sources: invalid hostname source \"fqdn\"");
    error("ecs: {resource_attributes: {container.id: {enabled: true}}}",
        "ecs::resource_attributes: unknown attribute \"container.id\"");
    error("ec2: {tags: [\"(?<=x)\"]}", "ec2::tags::0: error parsing regexp");
    error("env: {allowlist: [a]}", "unknown key \"allowlist\"");
  }

  @Test
  void ec2_tags_without_describe_tags_in_the_build_need_tags_from_imds() {
    assertThatThrownBy(() -> Service.create(load(config("detectors: [ec2]\n    ec2: {tags: [Name]}")), registry))
        .hasMessageContaining("processors::resourcedetection::ec2::tags: reading tags with EC2 DescribeTags is not"
            + " offered by this build; set ec2::tags_from_imds: true");
  }

  private void error(String settings, String message) {
    assertThatThrownBy(() -> load(config(settings))).as(settings).isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }

  private static String config(String settings) {
    return """
        receivers: {push: }
        processors:
          resourcedetection:
            %s
        exporters: {capture: }
        service: {pipelines: {traces: {receivers: [push], processors: [resourcedetection], exporters: [capture]}}}
        """.formatted(settings);
  }
}
