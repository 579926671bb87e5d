package dev.kansoku.deploy.aws;

import java.util.List;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;

/**
 * The seed's two ECS roles. The task role is what the collector sidecar signs its X-Ray and
 * CloudWatch calls with; the execution role is what ECS uses to pull images, write the awslogs
 * streams and read the collector configuration (that grant is added where the secret is wired, on
 * exactly the parameter and its key).
 */
final class TaskRoles extends Construct {
  /** The seed's task role policy, verbatim: what ADOT's awsxray and awsemf exporters call. */
  static final List<String> COLLECTOR_ACTIONS = List.of(
      "xray:PutTraceSegments",
      "xray:PutTelemetryRecords",
      "xray:GetSamplingRules",
      "xray:GetSamplingTargets",
      "xray:GetSamplingStatisticSummaries",
      "cloudwatch:PutMetricData",
      "logs:PutLogEvents",
      "logs:DescribeLogStreams",
      "logs:DescribeLogGroups",
      "logs:CreateLogStream",
      "logs:CreateLogGroup");

  final Role taskRole;
  final Role executionRole;

  TaskRoles(Construct scope, String id) {
    super(scope, id);
    ServicePrincipal ecsTasks = new ServicePrincipal("ecs-tasks.amazonaws.com");
    taskRole = Role.Builder.create(this, "TaskRole")
        .assumedBy(ecsTasks)
        .description("The collector sidecar's X-Ray and CloudWatch calls (the seed's task role)")
        .build();
    // X-Ray and CloudWatch metrics have no resource-level permissions for these calls, and the
    // awsemf log group is named at run time, hence "*" as in the seed.
    taskRole.addToPolicy(PolicyStatement.Builder.create()
        .actions(COLLECTOR_ACTIONS)
        .resources(List.of("*"))
        .build());
    executionRole = Role.Builder.create(this, "ExecutionRole")
        .assumedBy(ecsTasks)
        .description("ECS pulls the images, writes awslogs and reads the collector configuration")
        .managedPolicies(List.of(
            ManagedPolicy.fromAwsManagedPolicyName("service-role/AmazonECSTaskExecutionRolePolicy")))
        .build();
  }
}
