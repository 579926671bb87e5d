package dev.kansoku.deploy.aws;

import static dev.kansoku.deploy.aws.Synth.json;
import static dev.kansoku.deploy.aws.Synth.only;
import static dev.kansoku.deploy.aws.Synth.strings;
import static dev.kansoku.deploy.aws.Synth.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * The context parameters: Kansoku's image as the sidecar, an existing VPC, named key administrators,
 * image tags, desired count, region, parameter name, allowed range. The VPC lookups are answered
 * from context, as cdk.context.json answers them after a first {@code cdk synth} with credentials.
 */
class DiceStackVariantsTest {
  static final String VPC = "vpc-0123456789abcdef0";
  static final String PUBLIC_ONLY_VPC = "vpc-0fedcba9876543210";
  static final String ADMIN = "arn:aws:iam::123456789012:role/KeyAdmins";

  static Template kansoku;
  static Template defaultVpc;

  @BeforeAll
  static void synth() {
    kansoku = Synth.template(Map.of(
        "region", "eu-west-1",
        "collector", "kansoku",
        "collectorImageTag", "0.1.0",
        "diceImageTag", "v7",
        "desiredCount", "3",
        "vpcId", VPC,
        "keyAdminArn", ADMIN,
        "parameterName", "/dice/collector",
        "allowedCidr", "203.0.113.0/24",
        lookupKey(VPC, "eu-west-1"), vpc(VPC, true)));
    defaultVpc = Synth.template(Map.of("vpcId", PUBLIC_ONLY_VPC, lookupKey(PUBLIC_ONLY_VPC, "us-west-2"), vpc(PUBLIC_ONLY_VPC, false)));
  }

  @Test
  void kansokuCollector_fromItsOwnEcrRepository_withTheSameSecret() {
    JsonNode containers = json(only(kansoku, "AWS::ECS::TaskDefinition")).get("ContainerDefinitions");
    JsonNode collector = containers.get(1);
    String repo = kansoku.getResourceId("AWS::ECR::Repository",
        Map.of("Properties", Map.of("RepositoryName", "dice-kansoku")));
    assertThat(text(collector.get("Image"))).endsWith("/${Ref:" + repo + "}:0.1.0");
    assertThat(collector.at("/Secrets/0/Name").asText()).isEqualTo("AOT_CONFIG_CONTENT");
    assertThat(text(collector.at("/Secrets/0/ValueFrom")))
        .isEqualTo("arn:${Ref:AWS::Partition}:ssm:eu-west-1:123456789012:parameter/dice/collector");
    assertThat(text(containers.get(0).get("Image"))).endsWith(":v7");
    assertThat(kansoku.findOutputs("CollectorRepositoryUri")).hasSize(1);
    kansoku.resourceCountIs("AWS::ECR::Repository", 2);
  }

  @Test
  void keyAdministrators_getTheSeedsAdminStatement() {
    JsonNode statements = json(only(kansoku, "AWS::KMS::Key")).at("/KeyPolicy/Statement");
    assertThat(statements).extracting(s -> s.get("Sid").asText()).containsExactly("Enable IAM User Permissions",
        "Allow access for Key Administrators", "Allow use of the key", "Allow attachment of persistent resources");
    assertThat(statements.get(1).at("/Principal/AWS").asText()).isEqualTo(ADMIN);
    assertThat(strings(statements.get(1).get("Action"))).containsExactly("kms:Create*", "kms:Describe*",
        "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*",
        "kms:Delete*", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion");
  }

  @Test
  void existingVpc_privateSubnets_noNewVpc() {
    kansoku.resourceCountIs("AWS::EC2::VPC", 0);
    JsonNode props = json(only(kansoku, "AWS::ECS::Service"));
    assertThat(props.get("DesiredCount").asInt()).isEqualTo(3);
    assertThat(strings(props.at("/NetworkConfiguration/AwsvpcConfiguration/Subnets")))
        .containsExactly("subnet-private-a", "subnet-private-b");
    assertThat(props.at("/NetworkConfiguration/AwsvpcConfiguration/AssignPublicIp").asText()).isEqualTo("DISABLED");
    assertThat(strings(json(only(kansoku, "AWS::ElasticLoadBalancingV2::LoadBalancer")).get("Subnets")))
        .containsExactly("subnet-public-a", "subnet-public-b");
    kansoku.hasResourceProperties("AWS::EC2::SecurityGroup", Map.of("VpcId", VPC,
        "SecurityGroupIngress", List.of(Map.of("CidrIp", "203.0.113.0/24", "FromPort", 80, "ToPort", 80,
            "IpProtocol", "tcp", "Description", "HTTP to the dice app"))));
  }

  @Test
  void existingVpc_withoutPrivateSubnets_tasksGetPublicAddresses() {
    JsonNode props = json(only(defaultVpc, "AWS::ECS::Service"));
    assertThat(props.at("/NetworkConfiguration/AwsvpcConfiguration/AssignPublicIp").asText()).isEqualTo("ENABLED");
    assertThat(strings(props.at("/NetworkConfiguration/AwsvpcConfiguration/Subnets")))
        .containsExactly("subnet-public-a", "subnet-public-b");
  }

  @Test
  void regionAndParameterName_reachEveryReference() {
    JsonNode task = json(only(kansoku, "AWS::ECS::TaskDefinition"));
    for (JsonNode c : task.get("ContainerDefinitions")) {
      assertThat(c.at("/LogConfiguration/Options/awslogs-region").asText()).isEqualTo("eu-west-1");
    }
    JsonNode create = json(only(kansoku, "Custom::SecureStringParameter"));
    assertThat(text(create.get("Create"))).contains("\"Name\":\"/dice/collector\"");
    assertThat(text(kansoku.findOutputs("XRayTracesConsole").get("XRayTracesConsole").get("Value")))
        .startsWith("https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#");
  }

  /** The key under which CDK caches Vpc.fromLookup's answer (cdk.context.json). */
  static String lookupKey(String vpcId, String region) {
    return "vpc-provider:account=" + Synth.ACCOUNT + ":filter.vpc-id=" + vpcId + ":region=" + region
        + ":returnAsymmetricSubnets=true";
  }

  /** A lookup answer: two public subnets, and two private ones when {@code withPrivate}. */
  static Map<String, Object> vpc(String vpcId, boolean withPrivate) {
    List<Map<String, Object>> groups = new ArrayList<>();
    groups.add(group("Public", "public"));
    if (withPrivate) {
      groups.add(group("Private", "private"));
    }
    return Map.of("vpcId", vpcId, "vpcCidrBlock", "10.1.0.0/16", "ownerAccountId", Synth.ACCOUNT,
        "availabilityZones", List.of(), "subnetGroups", groups);
  }

  private static Map<String, Object> group(String type, String name) {
    return Map.of("name", type, "type", type, "subnets", List.of(
        Map.of("subnetId", "subnet-" + name + "-a", "cidr", "10.1." + (name.length()) + ".0/24",
            "availabilityZone", "us-west-2a", "routeTableId", "rtb-" + name + "-a"),
        Map.of("subnetId", "subnet-" + name + "-b", "cidr", "10.1." + (name.length() + 100) + ".0/24",
            "availabilityZone", "us-west-2b", "routeTableId", "rtb-" + name + "-b")));
  }
}
