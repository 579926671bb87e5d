package dev.kansoku.deploy.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploySettingsTest {
  @TempDir
  Path dir;

  @Test
  void defaults_areTheSeeds() throws Exception {
    Files.writeString(dir.resolve("collector.yaml"), "receivers: {}\n");
    DeploySettings s = DeploySettings.from(Map.<String, Object>of()::get, name -> null, dir);
    assertThat(s.account()).isNull();
    assertThat(s.region()).isEqualTo("us-west-2");
    assertThat(s.appName()).isEqualTo("dice");
    assertThat(s.collector()).isEqualTo(DeploySettings.Collector.ADOT);
    assertThat(s.collectorImageTag()).isEqualTo("v0.35.0");
    assertThat(s.diceImageTag()).isEqualTo("latest");
    assertThat(s.desiredCount()).isEqualTo(1);
    assertThat(s.vpcId()).isNull();
    assertThat(s.parameterName()).isEqualTo("otel-collector-config");
    assertThat(s.parameterPath()).isEqualTo("/otel-collector-config");
    assertThat(s.collectorConfigYaml()).isEqualTo("receivers: {}\n");
    assertThat(s.allowedCidr()).isEqualTo("0.0.0.0/0");
  }

  @Test
  void accountAndRegion_fromTheCliEnvironment_unlessGivenInContext() throws Exception {
    Files.writeString(dir.resolve("collector.yaml"), "receivers: {}\n");
    Map<String, String> env = Map.of("CDK_DEFAULT_ACCOUNT", "210987654321", "CDK_DEFAULT_REGION", "ap-northeast-1");
    DeploySettings fromEnv = DeploySettings.from(Map.<String, Object>of()::get, env::get, dir);
    assertThat(fromEnv.account()).isEqualTo("210987654321");
    assertThat(fromEnv.region()).isEqualTo("ap-northeast-1");
    DeploySettings fromContext = DeploySettings.from(Map.<String, Object>of("region", "eu-west-1")::get, env::get, dir);
    assertThat(fromContext.region()).isEqualTo("eu-west-1");
  }

  @Test
  void kansokuCollector_defaultsToTagLatest() throws Exception {
    Files.writeString(dir.resolve("collector.yaml"), "receivers: {}\n");
    DeploySettings s = DeploySettings.from(Map.<String, Object>of("collector", "kansoku")::get, name -> null, dir);
    assertThat(s.collector()).isEqualTo(DeploySettings.Collector.KANSOKU);
    assertThat(s.collectorImageTag()).isEqualTo("latest");
  }

  @Test
  void badValues_nameTheKeyTheValueAndTheExpectation() throws Exception {
    Files.writeString(dir.resolve("collector.yaml"), "receivers: {}\n");
    check(Map.of("collector", "otelcol"), "collector: \"otelcol\" (expected: adot or kansoku)");
    check(Map.of("desiredCount", "two"), "desiredCount: \"two\" (expected: a whole number from 0 to 100)");
    check(Map.of("desiredCount", "-1"), "desiredCount: \"-1\" (expected: a whole number from 0 to 100)");
    check(Map.of("region", "Oregon"), "region: \"Oregon\" (expected: a region name such as us-west-2)");
    check(Map.of("account", "1234"), "account: \"1234\" (expected: 12 digits)");
    check(Map.of("diceImageTag", "a b"), "diceImageTag: \"a b\" (expected: an image tag)");
    check(Map.of("vpcId", "default"), "vpcId: \"default\" (expected: a VPC id such as vpc-0123456789abcdef0)");
    check(Map.of("vpcId", "vpc-0123456789abcdef0"),
        "vpcId: looking up an existing VPC needs the account (-c account=123456789012 or AWS credentials)");
    check(Map.of("keyAdminArn", "admin"), "keyAdminArn: \"admin\" (expected: an IAM user or role ARN)");
    check(Map.of("allowedCidr", "everyone"), "allowedCidr: \"everyone\" (expected: an IPv4 CIDR such as 203.0.113.0/24)");
    check(Map.of("appName", "Dice"),
        "appName: \"Dice\" (expected: lower-case letters, digits and '-', starting with a letter, at most 31 characters)");
  }

  @Test
  void collectorConfig_mustBeReadableNonEmptyAndFitAStandardParameter() throws Exception {
    assertThatThrownBy(() -> DeploySettings.from(Map.<String, Object>of("collectorConfig", "missing.yaml")::get,
        name -> null, dir))
        .hasMessage("collectorConfig: cannot read " + dir.resolve("missing.yaml").toAbsolutePath());
    Files.writeString(dir.resolve("empty.yaml"), "  \n");
    check(Map.of("collectorConfig", "empty.yaml"), "collectorConfig: empty.yaml is empty (expected: the collector YAML)");
    Files.writeString(dir.resolve("big.yaml"), "#".repeat(4097));
    check(Map.of("collectorConfig", "big.yaml"), "collectorConfig: big.yaml is larger than 4096 bytes, the limit of"
        + " a standard SSM parameter (expected: a smaller YAML)");
  }

  private void check(Map<String, Object> context, String message) {
    assertThatThrownBy(() -> DeploySettings.from(context::get, name -> null, dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
