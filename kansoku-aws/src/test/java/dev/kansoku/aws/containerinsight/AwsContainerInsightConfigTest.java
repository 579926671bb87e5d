package dev.kansoku.aws.containerinsight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kansoku.aws.emf.AwsEmfExporterConfig;
import dev.kansoku.aws.emf.AwsEmfExporterFactory;
import dev.kansoku.contrib.healthcheck.HealthCheckExtensionFactory;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.ComponentKind;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.config.ConfigBinder;
import dev.kansoku.pipeline.config.ConfigException;
import dev.kansoku.pipeline.config.ConfigLoader;
import dev.kansoku.pipeline.config.ConfigSource;
import dev.kansoku.pipeline.config.ServiceConfig;
import dev.kansoku.pipeline.testing.TestComponents;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AwsContainerInsightConfigTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private final AwsContainerInsightReceiverFactory factory = new AwsContainerInsightReceiverFactory();

  private AwsContainerInsightReceiverConfig bind(String yaml) throws Exception {
    return ConfigBinder.bind(YAML.readTree(yaml), factory.createDefaultConfig(), "receivers::awscontainerinsightreceiver");
  }

  @Test
  void defaults_asTheCollector() throws Exception {
    AwsContainerInsightReceiverConfig c = bind("{}");

    assertThat(c.collectionInterval).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.containerOrchestrator).isEqualTo("eks");
    assertThat(c.addServiceAsAttribute).isTrue();
    assertThat(c.preferFullPodName).isFalse();
    assertThat(factory.type()).isEqualTo("awscontainerinsight");
    assertThat(factory.deprecatedAlias()).contains("awscontainerinsightreceiver");
    assertThat(factory.signals()).containsExactly(Signal.METRICS);
  }

  @Test
  void everyCollectorKey_binds() throws Exception {
    AwsContainerInsightReceiverConfig c = bind("""
        collection_interval: 10s
        container_orchestrator: ecs
        collection_role: NODE
        add_service_as_attribute: false
        prefer_full_pod_name: true
        add_full_pod_name_metric_label: true
        add_container_name_metric_label: true
        cluster_name: prod
        leader_lock_name: lock
        leader_lock_using_config_map_only: true
        enable_control_plane_metrics: true
        accelerated_compute_metrics: true
        kube_config_path: /root/.kube/config
        host_ip: 10.0.1.12
        host_name: ip-10-0-1-12
        run_on_systemd: true
        middleware: awsmiddleware
        num_workers: 4
        endpoint: http://localhost:4600
        request_timeout_seconds: 5
        max_retries: 1
        no_verify_ssl: true
        proxy_address: http://proxy:3128
        region: us-west-2
        local_mode: true
        resource_arn: arn:aws:ec2:us-west-2:012345678910:instance/i-0b22a22eec53b9321
        role_arn: arn:aws:iam::012345678910:role/ci
        external_id: x
        certificate_file_path: /etc/ssl/ca.pem
        imds_retries: 2
        profile: default
        shared_credentials_file: [/root/.aws/credentials]
        """);

    assertThat(c.collectionInterval).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.containerOrchestrator).isEqualTo("ecs");
    assertThat(c.clusterName).isEqualTo("prod");
    assertThat(c.localMode).isTrue();
    assertThat(c.imdsRetries).isEqualTo(2);
    assertThat(c.sharedCredentialsFile).containsExactly("/root/.aws/credentials");
  }

  @Test
  void badValues_andUnknownKeys_areRefusedWithThePath() {
    assertThatThrownBy(() -> bind("{container_orchestrator: ecs, colection_interval: 10s}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("receivers::awscontainerinsightreceiver: unknown key \"colection_interval\"")
        .hasMessageContaining("collection_interval");
    assertThatThrownBy(() -> bind("{container_orchestrator: k8s}")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("container_orchestrator: \"k8s\" (expected: ecs or eks)");
    assertThatThrownBy(() -> bind("{collection_interval: 0s}")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("collection_interval");
    assertThatThrownBy(() -> bind("{collection_role: BOSS}")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("collection_role: \"BOSS\"");
  }

  @Test
  void configOfAdotsEcsInstanceMetricsShape_validates() throws Exception {
    String yaml = Files.readString(HostFixture.resource("ecs-instance-metrics.yaml"));
    ServiceConfig config = new ConfigLoader(new TestComponents().registry(factory, new AwsEmfExporterFactory(),
        new HealthCheckExtensionFactory())).load(ConfigSource.load(List.of("yaml:" + yaml), n -> null));

    AwsContainerInsightReceiverConfig receiver = (AwsContainerInsightReceiverConfig) config.config(
        ComponentKind.RECEIVER, ComponentId.parse("awscontainerinsightreceiver"));
    assertThat(receiver.containerOrchestrator).isEqualTo("ecs");
    assertThat(receiver.collectionInterval).isEqualTo(Duration.ofSeconds(30));
    AwsEmfExporterConfig emf = (AwsEmfExporterConfig) config.config(ComponentKind.EXPORTER,
        ComponentId.parse("awsemf"));
    assertThat(emf.parseJsonEncodedAttrValues).containsExactly("Sources");
    assertThat(emf.logGroupName).isEqualTo("/aws/ecs/containerinsights/{ClusterName}/performance");
  }
}
