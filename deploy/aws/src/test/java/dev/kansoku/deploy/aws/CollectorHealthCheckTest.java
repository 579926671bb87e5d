package dev.kansoku.deploy.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.services.ecs.HealthCheck;

/** The collector container gets a health check exactly when its YAML runs health_check. */
class CollectorHealthCheckTest {
  private static final String WITH_HEALTH_CHECK = """
      extensions:
        health_check:
          endpoint: 0.0.0.0:13134
          path: /health
      receivers: {otlp: {protocols: {grpc: }}}
      exporters: {awsxray: {region: us-west-2}}
      service:
        extensions: [health_check]
        pipelines: {traces: {receivers: [otlp], exporters: [awsxray]}}
      """;

  @Test
  void theSeedsYaml_hasNoHealthCheckExtension_soTheContainerGetsNone() throws Exception {
    String seed = Files.readString(Path.of("collector.yaml"));
    assertThat(CollectorHealthCheck.of(DeploySettings.Collector.ADOT, seed)).isEmpty();
    assertThat(CollectorHealthCheck.of(DeploySettings.Collector.KANSOKU, seed)).isEmpty();
  }

  @Test
  void withHealthCheck_adotUsesItsBinary_kansokuItsCommandOnTheConfiguredPortAndPath() {
    HealthCheck adot = CollectorHealthCheck.of(DeploySettings.Collector.ADOT, WITH_HEALTH_CHECK).orElseThrow();
    assertThat(adot.getCommand()).containsExactly("CMD", "/healthcheck");
    HealthCheck kansoku = CollectorHealthCheck.of(DeploySettings.Collector.KANSOKU, WITH_HEALTH_CHECK).orElseThrow();
    assertThat(kansoku.getCommand()).containsExactly("CMD", "/usr/bin/java", "-jar", "/opt/kansoku/kansoku.jar",
        "healthcheck", "--url", "http://localhost:13134/health");
    assertThat(kansoku.getRetries()).isEqualTo(3);
  }

  @Test
  void defaults_areTheExtensionsOwn() {
    HealthCheck kansoku = CollectorHealthCheck.of(DeploySettings.Collector.KANSOKU,
        WITH_HEALTH_CHECK.replace("    endpoint: 0.0.0.0:13134\n    path: /health\n", "")).orElseThrow();
    assertThat(kansoku.getCommand()).endsWith("--url", "http://localhost:13133/");
  }

  @Test
  void notYaml_failsTheSynth() {
    assertThatThrownBy(() -> CollectorHealthCheck.of(DeploySettings.Collector.KANSOKU, "service: [\n"))
        .hasMessageStartingWith("collector configuration: not YAML");
  }
}
