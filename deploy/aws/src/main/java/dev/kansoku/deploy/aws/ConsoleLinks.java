package dev.kansoku.deploy.aws;

import java.util.List;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;

/** The stack's outputs a person opens: the app's URL and where its traces, logs and metrics show. */
final class ConsoleLinks {
  private ConsoleLinks() {}

  static void add(Stack stack, DeploySettings settings, DiceService dice) {
    String region = settings.region();
    String cloudWatch = "https://" + region + ".console.aws.amazon.com/cloudwatch/home?region=" + region;
    output(stack, "DiceUrl", "curl this to roll the dice (the seed's load loop)",
        Fn.join("", List.of("http://", dice.loadBalancer.getLoadBalancerDnsName(), "/rolldice")));
    output(stack, "XRayTracesConsole", "X-Ray traces; open one to see its log lines",
        cloudWatch + "#xray:traces/query");
    output(stack, "XRayServiceMapConsole", "X-Ray trace map", cloudWatch + "#xray:service-map/map");
    output(stack, "DiceLogsConsole", "the dice container's log group",
        cloudWatch + "#logsV2:log-groups/log-group/" + consolePath("/ecs/" + settings.appName()));
    output(stack, "CollectorLogsConsole", "the collector sidecar's log group",
        cloudWatch + "#logsV2:log-groups/log-group/" + consolePath(DiceService.COLLECTOR_LOG_GROUP));
    output(stack, "MetricsConsole", "CloudWatch metrics: the dice-server namespace (awsemf) and ECS/ContainerInsights",
        cloudWatch + "#metricsV2");
    output(stack, "ServiceConsole", "the ECS service",
        Fn.join("", List.of("https://", region, ".console.aws.amazon.com/ecs/v2/clusters/",
            dice.cluster.getClusterName(), "/services/", dice.service.getServiceName(), "/health?region=", region)));
  }

  /** The console's way of putting a log group name in its URL fragment: '/' becomes $252F. */
  static String consolePath(String logGroup) {
    return logGroup.replace("/", "$252F");
  }

  private static void output(Stack stack, String id, String description, String value) {
    CfnOutput.Builder.create(stack, id).description(description).value(value).build();
  }
}
