package dev.kansoku.deploy.aws;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ecs.AppProtocol;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.GenericLogDriver;
import software.amazon.awscdk.services.ecs.GenericLogDriverProps;
import software.amazon.awscdk.services.ecs.LoadBalancerTargetOptions;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.Protocol;
import software.amazon.awscdk.services.ecs.Secret;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddNetworkTargetsProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseNetworkListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.NetworkListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.NetworkLoadBalancer;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The seed's running system: an ECS cluster with Container Insights, the Fargate task with the
 * {@code dice} container and the collector sidecar, and the service behind an internet-facing NLB
 * whose {@code ip} target group points at the tasks.
 */
final class DiceService extends Construct {
  static final String COLLECTOR_CONTAINER = "aws-otel-collector";
  static final String COLLECTOR_LOG_GROUP = "/ecs/ecs-aws-otel-sidecar-collector";
  static final int DICE_PORT = 8080;

  final Cluster cluster;
  final FargateService service;
  final NetworkLoadBalancer loadBalancer;
  final LogGroup diceLogs;

  DiceService(Construct scope, String id, DeploySettings settings, IVpc vpc, TaskRoles roles,
      CollectorConfigParameter config, String diceImage, String collectorImage) {
    super(scope, id);
    cluster = Cluster.Builder.create(this, "Cluster")
        .vpc(vpc)
        .containerInsightsV2(ContainerInsights.ENABLED)
        .build();

    FargateTaskDefinition task = FargateTaskDefinition.Builder.create(this, "Task")
        .family(settings.appName())
        .cpu(512)
        .memoryLimitMiB(1024)
        .taskRole(roles.taskRole)
        .executionRole(roles.executionRole)
        .build();

    diceLogs = logGroup("DiceLogs", "/ecs/" + settings.appName());
    task.addContainer("Dice", ContainerDefinitionOptions.builder()
        .containerName(settings.appName())
        .image(ContainerImage.fromRegistry(diceImage))
        .essential(true)
        .portMappings(List.of(PortMapping.builder()
            .name(settings.appName() + "-" + DICE_PORT + "-tcp")
            .containerPort(DICE_PORT)
            .hostPort(DICE_PORT)
            .protocol(Protocol.TCP)
            .appProtocol(AppProtocol.getHttp())
            .build()))
        .logging(awslogs(diceLogs, settings.region()))
        .build());

    Secret configSecret = new ParameterSecret(config.parameterArn, config.key.getKeyArn());
    ContainerDefinitionOptions.Builder collector = ContainerDefinitionOptions.builder()
        .containerName(COLLECTOR_CONTAINER)
        .image(ContainerImage.fromRegistry(collectorImage))
        .essential(true)
        .secrets(Map.of("AOT_CONFIG_CONTENT", configSecret))
        // A new digest makes a new task definition revision, so a changed YAML rolls the tasks.
        .dockerLabels(Map.of("dev.kansoku.collector-config-sha256", Digest.sha256(settings.collectorConfigYaml())))
        .logging(awslogs(logGroup("CollectorLogs", COLLECTOR_LOG_GROUP), settings.region()));
    CollectorHealthCheck.of(settings.collector(), settings.collectorConfigYaml()).ifPresent(collector::healthCheck);
    task.addContainer("Collector", collector.build());

    boolean privateSubnets = !vpc.getPrivateSubnets().isEmpty();
    SecurityGroup lbGroup = SecurityGroup.Builder.create(this, "LoadBalancerSecurityGroup")
        .vpc(vpc)
        .description("The NLB: HTTP in from the allowed range, out to the dice port of the tasks")
        .allowAllOutbound(false)
        .build();
    lbGroup.addIngressRule(Peer.ipv4(settings.allowedCidr()), Port.tcp(80), "HTTP to the dice app");
    SecurityGroup taskGroup = SecurityGroup.Builder.create(this, "ServiceSecurityGroup")
        .vpc(vpc)
        .description("The tasks: the dice port from the NLB only; out to ECR, X-Ray and CloudWatch")
        .allowAllOutbound(true)
        .build();
    taskGroup.getConnections().allowFrom(lbGroup, Port.tcp(DICE_PORT), "NLB to the dice container");

    service = FargateService.Builder.create(this, "Service")
        .cluster(cluster)
        .taskDefinition(task)
        .desiredCount(settings.desiredCount())
        .minHealthyPercent(100)
        .maxHealthyPercent(200)
        .securityGroups(List.of(taskGroup))
        .vpcSubnets(SubnetSelection.builder()
            .subnetType(privateSubnets ? SubnetType.PRIVATE_WITH_EGRESS : SubnetType.PUBLIC)
            .build())
        // Without private subnets (a default VPC) tasks need a public address to pull images.
        .assignPublicIp(!privateSubnets)
        .circuitBreaker(DeploymentCircuitBreaker.builder().rollback(true).build())
        .build();
    // Tasks read AOT_CONFIG_CONTENT when they start: the parameter must exist by then.
    service.getNode().addDependency(config.resource);

    loadBalancer = NetworkLoadBalancer.Builder.create(this, "LoadBalancer")
        .vpc(vpc)
        .internetFacing(true)
        .securityGroups(List.of(lbGroup))
        .build();
    NetworkListener listener = loadBalancer.addListener("Http", BaseNetworkListenerProps.builder().port(80).build());
    listener.addTargets("Dice", AddNetworkTargetsProps.builder()
        .port(DICE_PORT)
        .targets(List.of(service.loadBalancerTarget(LoadBalancerTargetOptions.builder()
            .containerName(settings.appName())
            .containerPort(DICE_PORT)
            .build())))
        .deregistrationDelay(Duration.seconds(30))
        .build());
  }

  private LogGroup logGroup(String id, String name) {
    return LogGroup.Builder.create(this, id)
        .logGroupName(name)
        .retention(RetentionDays.ONE_MONTH)
        .removalPolicy(RemovalPolicy.DESTROY)
        .build();
  }

  /**
   * The seed's awslogs options. The generic driver, not CDK's AwsLogDriver, because the latter also
   * grants the execution role write access that AmazonECSTaskExecutionRolePolicy already gives; the
   * groups are made by the stack, so the seed's awslogs-create-group is not needed. Sorted, so that
   * every synth writes the same template.
   */
  private static LogDriver awslogs(LogGroup group, String region) {
    return new GenericLogDriver(GenericLogDriverProps.builder()
        .logDriver("awslogs")
        .options(new TreeMap<>(Map.of(
            "awslogs-group", group.getLogGroupName(),
            "awslogs-region", region,
            "awslogs-stream-prefix", "ecs")))
        .build());
  }
}
