package dev.kansoku.deploy.aws;

import static dev.kansoku.deploy.aws.Synth.json;
import static dev.kansoku.deploy.aws.Synth.only;
import static dev.kansoku.deploy.aws.Synth.strings;
import static dev.kansoku.deploy.aws.Synth.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The default deployment (the seed's: ADOT sidecar, us-west-2, a new VPC), resource by resource. */
class DiceStackTest {
  static final String PARAMETER_ARN = "arn:${Ref:AWS::Partition}:ssm:us-west-2:123456789012:parameter/otel-collector-config";

  static Template template;
  static String keyArn;
  static String executionRoleArn;

  @BeforeAll
  static void synth() {
    template = Synth.template(Map.of());
    keyArn = "${" + template.getResourceId("AWS::KMS::Key") + ".Arn}";
    executionRoleArn = "${" + roleId("ECS pulls") + ".Arn}";
  }

  @Test
  void taskRole_hasTheSeedPolicyOnly() {
    JsonNode statements = policyOf(roleId("collector sidecar"));
    assertThat(statements).hasSize(1);
    assertThat(strings(statements.get(0).get("Action"))).containsExactly(
        "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets",
        "xray:GetSamplingStatisticSummaries", "cloudwatch:PutMetricData", "logs:PutLogEvents",
        "logs:DescribeLogStreams", "logs:DescribeLogGroups", "logs:CreateLogStream", "logs:CreateLogGroup");
    assertThat(strings(statements.get(0).get("Resource"))).containsExactly("*");
    assertThat(statements.get(0).get("Effect").asText()).isEqualTo("Allow");
  }

  @Test
  void executionRole_managedPolicy_andConfigReadOnExactlyParameterAndKey() {
    Map<String, Object> role = properties("AWS::IAM::Role", roleId("ECS pulls"));
    assertThat(text(json(role).get("ManagedPolicyArns").get(0)))
        .isEqualTo("arn:${Ref:AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy");
    assertThat(json(role).get("ManagedPolicyArns")).hasSize(1);
    assertThat(json(role).at("/AssumeRolePolicyDocument/Statement/0/Principal/Service").asText())
        .isEqualTo("ecs-tasks.amazonaws.com");
    JsonNode statements = policyOf(roleId("ECS pulls"));
    assertThat(statements).hasSize(1);
    assertThat(strings(statements.get(0).get("Action"))).containsExactly("ssm:GetParameters", "kms:Decrypt");
    assertThat(strings(statements.get(0).get("Resource"))).containsExactly(PARAMETER_ARN, keyArn);
  }

  @Test
  void key_hasTheSeedKeyPolicy_withoutAdminsUnlessNamed() {
    Map<String, Object> key = only(template, "AWS::KMS::Key");
    assertThat(key.get("EnableKeyRotation")).isEqualTo(true);
    JsonNode statements = json(key).at("/KeyPolicy/Statement");
    assertThat(statements).extracting(s -> s.get("Sid").asText()).containsExactly(
        "Enable IAM User Permissions", "Allow use of the key", "Allow attachment of persistent resources");
    assertThat(text(statements.get(0).at("/Principal/AWS"))).isEqualTo("arn:${Ref:AWS::Partition}:iam::123456789012:root");
    assertThat(strings(statements.get(0).get("Action"))).containsExactly("kms:*");
    assertThat(text(statements.get(1).at("/Principal/AWS"))).isEqualTo(executionRoleArn);
    assertThat(strings(statements.get(1).get("Action")))
        .containsExactly("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey");
    assertThat(text(statements.get(2).at("/Principal/AWS"))).isEqualTo(executionRoleArn);
    assertThat(strings(statements.get(2).get("Action"))).containsExactly("kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant");
    assertThat(statements.get(2).at("/Condition/Bool/kms:GrantIsForAWSResource").asText()).isEqualTo("true");
    for (JsonNode s : statements) {
      assertThat(strings(s.get("Resource"))).containsExactly("*");
    }
  }

  @Test
  void secureString_putOnCreateAndUpdate_withTheKey_deletedOnDelete() throws Exception {
    Map<String, Object> resource = only(template, "Custom::SecureStringParameter");
    for (String event : List.of("Create", "Update")) {
      JsonNode call = Synth.JSON.readTree(text(resource.get(event)));
      assertThat(call.get("service").asText()).isEqualTo("SSM");
      assertThat(call.get("action").asText()).isEqualTo("PutParameter");
      assertThat(call.at("/parameters/Name").asText()).isEqualTo("otel-collector-config");
      assertThat(call.at("/parameters/Type").asText()).isEqualTo("SecureString");
      assertThat(call.at("/parameters/KeyId").asText()).isEqualTo(keyArn);
      assertThat(call.at("/parameters/Overwrite").asBoolean()).isTrue();
      assertThat(call.at("/parameters/Value").asText())
          .isEqualTo(Files.readString(Path.of("collector.yaml")));
      assertThat(call.at("/physicalResourceId/id").asText()).isEqualTo("otel-collector-config");
      assertThat(call.get("logApiResponseData").asBoolean()).isFalse();
    }
    JsonNode delete = Synth.JSON.readTree(text(resource.get("Delete")));
    assertThat(delete.get("action").asText()).isEqualTo("DeleteParameter");
    assertThat(delete.at("/parameters/Name").asText()).isEqualTo("otel-collector-config");
    assertThat(resource.get("InstallLatestAwsSdk")).isEqualTo(false);
  }

  @Test
  void secureStringLambda_mayTouchOnlyTheParameterAndTheKey() {
    String function = template.getResourceId("AWS::Lambda::Function");
    String lambdaRole = json(properties("AWS::Lambda::Function", function)).at("/Role/Fn::GetAtt/0").asText();
    JsonNode statements = policyOf(lambdaRole);
    assertThat(statements).hasSize(2);
    assertThat(strings(statements.get(0).get("Action"))).containsExactly("ssm:PutParameter", "ssm:DeleteParameter");
    assertThat(strings(statements.get(0).get("Resource"))).containsExactly(PARAMETER_ARN);
    assertThat(strings(statements.get(1).get("Action"))).containsExactly("kms:Encrypt", "kms:GenerateDataKey");
    assertThat(strings(statements.get(1).get("Resource"))).containsExactly(keyArn);
  }

  @Test
  void cluster_hasContainerInsights() {
    template.hasResourceProperties("AWS::ECS::Cluster", Map.of("ClusterSettings",
        List.of(Map.of("Name", "containerInsights", "Value", "enabled"))));
  }

  @Test
  void ecrRepository_forTheDiceImage_emptiedOnDelete() {
    template.hasResourceProperties("AWS::ECR::Repository", Map.of("RepositoryName", "dice", "EmptyOnDelete", true));
    template.resourceCountIs("AWS::ECR::Repository", 1);
  }

  @Test
  void taskDefinition_diceAndCollector_asInTheSeed() {
    Map<String, Object> task = only(template, "AWS::ECS::TaskDefinition");
    JsonNode t = json(task);
    assertThat(t.get("RequiresCompatibilities").get(0).asText()).isEqualTo("FARGATE");
    assertThat(t.get("NetworkMode").asText()).isEqualTo("awsvpc");
    assertThat(text(t.get("TaskRoleArn"))).isEqualTo("${" + roleId("collector sidecar") + ".Arn}");
    assertThat(text(t.get("ExecutionRoleArn"))).isEqualTo(executionRoleArn);
    JsonNode containers = t.get("ContainerDefinitions");
    assertThat(containers).extracting(c -> c.get("Name").asText()).containsExactly("dice", "aws-otel-collector");

    JsonNode dice = containers.get(0);
    String repo = template.getResourceId("AWS::ECR::Repository");
    assertThat(text(dice.get("Image"))).isEqualTo("${Fn::Select}.dkr.ecr.${Fn::Select}.${Ref:AWS::URLSuffix}/${Ref:" + repo + "}:latest");
    assertThat(dice.get("Essential").asBoolean()).isTrue();
    assertThat(dice.get("PortMappings")).hasSize(1);
    JsonNode port = dice.get("PortMappings").get(0);
    assertThat(port.get("Name").asText()).isEqualTo("dice-8080-tcp");
    assertThat(port.get("ContainerPort").asInt()).isEqualTo(8080);
    assertThat(port.get("HostPort").asInt()).isEqualTo(8080);
    assertThat(port.get("Protocol").asText()).isEqualTo("tcp");
    assertThat(port.get("AppProtocol").asText()).isEqualTo("http");
    assertAwslogs(dice, "/ecs/dice");
    assertThat(dice.has("Secrets")).isFalse();

    JsonNode collector = containers.get(1);
    assertThat(collector.get("Image").asText()).isEqualTo("public.ecr.aws/aws-observability/aws-otel-collector:v0.35.0");
    assertThat(collector.get("Essential").asBoolean()).isTrue();
    assertThat(collector.get("Secrets")).hasSize(1);
    assertThat(collector.at("/Secrets/0/Name").asText()).isEqualTo("AOT_CONFIG_CONTENT");
    assertThat(text(collector.at("/Secrets/0/ValueFrom"))).isEqualTo(PARAMETER_ARN);
    assertThat(collector.has("Environment")).isFalse();
    assertAwslogs(collector, "/ecs/ecs-aws-otel-sidecar-collector");
  }

  @Test
  void logGroups_madeByTheStack() {
    template.hasResourceProperties("AWS::Logs::LogGroup", Map.of("LogGroupName", "/ecs/dice", "RetentionInDays", 30));
    template.hasResourceProperties("AWS::Logs::LogGroup",
        Map.of("LogGroupName", "/ecs/ecs-aws-otel-sidecar-collector", "RetentionInDays", 30));
  }

  @Test
  void service_inPrivateSubnets_startsAfterTheParameter_behindTheNlb() {
    String serviceId = template.getResourceId("AWS::ECS::Service");
    JsonNode service = json(template.findResources("AWS::ECS::Service").get(serviceId));
    JsonNode props = service.get("Properties");
    assertThat(props.get("LaunchType").asText()).isEqualTo("FARGATE");
    assertThat(props.get("DesiredCount").asInt()).isEqualTo(1);
    assertThat(props.at("/NetworkConfiguration/AwsvpcConfiguration/AssignPublicIp").asText()).isEqualTo("DISABLED");
    assertThat(strings(props.at("/NetworkConfiguration/AwsvpcConfiguration/Subnets")))
        .allMatch(s -> s.contains("PrivateSubnet")).hasSize(2);
    assertThat(props.at("/DeploymentConfiguration/DeploymentCircuitBreaker/Rollback").asBoolean()).isTrue();
    assertThat(props.at("/LoadBalancers/0/ContainerName").asText()).isEqualTo("dice");
    assertThat(props.at("/LoadBalancers/0/ContainerPort").asInt()).isEqualTo(8080);
    assertThat(strings(service.get("DependsOn"))).contains(template.getResourceId("Custom::SecureStringParameter"));
  }

  @Test
  void nlb_internetFacing_ipTargetGroup_securityGroups() {
    Map<String, Object> lb = only(template, "AWS::ElasticLoadBalancingV2::LoadBalancer");
    assertThat(lb.get("Type")).isEqualTo("network");
    assertThat(lb.get("Scheme")).isEqualTo("internet-facing");
    template.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup",
        Map.of("TargetType", "ip", "Port", 8080, "Protocol", "TCP"));
    template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Map.of("Port", 80, "Protocol", "TCP"));

    String lbGroup = json(lb).at("/SecurityGroups/0/Fn::GetAtt/0").asText();
    JsonNode lbGroupProps = json(properties("AWS::EC2::SecurityGroup", lbGroup));
    assertThat(lbGroupProps.at("/SecurityGroupIngress/0/CidrIp").asText()).isEqualTo("0.0.0.0/0");
    assertThat(lbGroupProps.at("/SecurityGroupIngress/0/FromPort").asInt()).isEqualTo(80);
    String serviceGroup = json(only(template, "AWS::ECS::Service"))
        .at("/NetworkConfiguration/AwsvpcConfiguration/SecurityGroups/0/Fn::GetAtt/0").asText();
    template.hasResourceProperties("AWS::EC2::SecurityGroupIngress", Map.of(
        "GroupId", Map.of("Fn::GetAtt", List.of(serviceGroup, "GroupId")),
        "SourceSecurityGroupId", Map.of("Fn::GetAtt", List.of(lbGroup, "GroupId")),
        "FromPort", 8080, "ToPort", 8080, "IpProtocol", "tcp"));
    template.resourceCountIs("AWS::EC2::SecurityGroupIngress", 1);
  }

  @Test
  void outputs_urlAndConsoleLinks() {
    Map<String, Map<String, Object>> outputs = template.findOutputs("*");
    String lb = template.getResourceId("AWS::ElasticLoadBalancingV2::LoadBalancer");
    assertThat(text(outputs.get("DiceUrl").get("Value"))).isEqualTo("http://${" + lb + ".DNSName}/rolldice");
    assertThat(text(outputs.get("XRayTracesConsole").get("Value")))
        .isEqualTo("https://us-west-2.console.aws.amazon.com/cloudwatch/home?region=us-west-2#xray:traces/query");
    assertThat(text(outputs.get("DiceLogsConsole").get("Value"))).endsWith("#logsV2:log-groups/log-group/$252Fecs$252Fdice");
    assertThat(text(outputs.get("ServiceConsole").get("Value"))).contains("/ecs/v2/clusters/${Ref:");
    assertThat(outputs).containsKeys("XRayServiceMapConsole", "CollectorLogsConsole", "MetricsConsole", "DiceRepositoryUri")
        .doesNotContainKey("CollectorRepositoryUri");
  }

  @Test
  void nothingGrantsStarExceptTheSeedTaskPolicyAndTheAccountRoot() {
    List<String> starGrants = new ArrayList<>();
    template.findResources("AWS::IAM::Policy").forEach((id, policy) -> {
      for (JsonNode s : json(policy).at("/Properties/PolicyDocument/Statement")) {
        if (strings(s.get("Resource")).contains("*")) {
          starGrants.add(id);
        }
      }
    });
    assertThat(starGrants).containsExactly(template.findResources("AWS::IAM::Policy", Match.objectLike(Map.of(
        "Properties", Map.of("Roles", List.of(Map.of("Ref", roleId("collector sidecar"))))))).keySet().iterator().next());
  }

  private static void assertAwslogs(JsonNode container, String group) {
    assertThat(container.at("/LogConfiguration/LogDriver").asText()).isEqualTo("awslogs");
    JsonNode options = container.at("/LogConfiguration/Options");
    String groupId = options.at("/awslogs-group/Ref").asText();
    assertThat(properties("AWS::Logs::LogGroup", groupId).get("LogGroupName")).isEqualTo(group);
    assertThat(options.get("awslogs-region").asText()).isEqualTo("us-west-2");
    assertThat(options.get("awslogs-stream-prefix").asText()).isEqualTo("ecs");
  }

  /** The logical id of the role whose description starts with {@code prefix}. */
  static String roleId(String prefix) {
    List<String> ids = new ArrayList<>();
    template.findResources("AWS::IAM::Role").forEach((id, r) -> {
      if (json(r).at("/Properties/Description").asText().contains(prefix)) {
        ids.add(id);
      }
    });
    assertThat(ids).as("roles described with %s", prefix).hasSize(1);
    return ids.get(0);
  }

  /** The statements of every AWS::IAM::Policy attached to {@code roleId}. */
  static JsonNode policyOf(String roleId) {
    List<JsonNode> statements = new ArrayList<>();
    template.findResources("AWS::IAM::Policy").values().forEach(p -> {
      JsonNode props = json(p).get("Properties");
      for (JsonNode r : props.get("Roles")) {
        if (r.path("Ref").asText().equals(roleId)) {
          props.at("/PolicyDocument/Statement").forEach(statements::add);
        }
      }
    });
    return Synth.JSON.valueToTree(statements);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> properties(String type, String logicalId) {
    Map<String, Object> resource = template.findResources(type).get(logicalId);
    assertThat(resource).as("%s %s", type, logicalId).isNotNull();
    return (Map<String, Object>) resource.get("Properties");
  }
}
