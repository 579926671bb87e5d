package dev.kansoku.aws.xray;

import static dev.kansoku.aws.xray.Attrs.str;
import static dev.kansoku.aws.xray.Segment.nonEmpty;

import io.opentelemetry.proto.common.v1.AnyValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * The {@code aws} block: the call (operation, account, region, request id, SQS queue, DynamoDB
 * tables) from span attributes, and where the service runs (EC2, ECS, Elastic Beanstalk, EKS, SDK,
 * CloudWatch log groups) from resource attributes. Spans of a resource on another cloud get none.
 */
final class AwsBlock {
  private AwsBlock() {}

  record Result(Map<String, AnyValue> filtered, @Nullable Segment.Aws aws) {}

  static Result make(Map<String, AnyValue> attributes, Map<String, AnyValue> resource,
      @Nullable List<String> logGroupNames) {
    String cloud = "";
    String platform = "";
    String account = "";
    String zone = "";
    String hostId = "";
    String hostType = "";
    String amiId = "";
    String container = "";
    String namespace = "";
    String deployId = "";
    String versionLabel = "";
    String sdkName = "";
    String sdkLanguage = "";
    String sdkVersion = "";
    String autoVersion = "";
    String containerId = "";
    String clusterName = "";
    String pod = "";
    String clusterArn = "";
    String containerArn = "";
    String taskArn = "";
    String taskFamily = "";
    String launchType = "";
    List<String> logGroups = null;
    List<String> logGroupArns = null;
    for (Map.Entry<String, AnyValue> e : resource.entrySet()) {
      AnyValue v = e.getValue();
      switch (e.getKey()) {
        case "cloud.provider" -> cloud = str(v);
        case "cloud.platform" -> platform = str(v);
        case "cloud.account.id" -> account = str(v);
        case "cloud.availability_zone" -> zone = str(v);
        case "host.id" -> hostId = str(v);
        case "host.type" -> hostType = str(v);
        case "host.image.id" -> amiId = str(v);
        case "container.name" -> {
          if (container.isEmpty()) {
            container = str(v);
          }
        }
        case "k8s.pod.name" -> pod = str(v);
        case "service.namespace" -> namespace = str(v);
        case "service.instance.id" -> deployId = str(v);
        case "service.version" -> versionLabel = str(v);
        case "telemetry.sdk.name" -> sdkName = str(v);
        case "telemetry.sdk.language" -> sdkLanguage = str(v);
        case "telemetry.sdk.version" -> sdkVersion = str(v);
        case "telemetry.auto.version", "telemetry.distro.version" -> autoVersion = str(v);
        case "container.id" -> containerId = str(v);
        case "k8s.cluster.name" -> clusterName = str(v);
        case "aws.ecs.cluster.arn" -> clusterArn = str(v);
        case "aws.ecs.container.arn" -> containerArn = str(v);
        case "aws.ecs.task.arn" -> taskArn = str(v);
        case "aws.ecs.task.family" -> taskFamily = str(v);
        case "aws.ecs.launchtype" -> launchType = str(v);
        case "aws.log.group.names" -> logGroups = toList(v);
        case "aws.log.group.arns" -> logGroupArns = toList(v);
        default -> { }
      }
    }

    String operation = "";
    String region = "";
    String requestId = "";
    String queueUrl = "";
    String tableName = "";
    List<String> tableNames = null;
    AnyValue op = attributes.get("aws.operation");
    if (op == null) {
      op = attributes.get("rpc.method");
    }
    if (op != null) {
      operation = str(op);
    }
    Map<String, AnyValue> filtered = new LinkedHashMap<>();
    for (Map.Entry<String, AnyValue> e : attributes.entrySet()) {
      AnyValue v = e.getValue();
      switch (e.getKey()) {
        case "rpc.method", "aws.operation" -> { }
        case "aws.account_id" -> {
          if (v.getValueCase() != AnyValue.ValueCase.VALUE_NOT_SET) {
            account = str(v);
          }
        }
        case "aws.region" -> region = str(v);
        case "aws.request_id", "aws.requestId" -> requestId = str(v);
        case "aws.queue_url", "aws.queue.url" -> queueUrl = str(v);
        case "aws.table_name", "aws.table.name" -> tableName = str(v);
        default -> filtered.put(e.getKey(), v);
      }
    }
    if (!cloud.isEmpty() && !cloud.equals("aws")) {
      return new Result(filtered, null);
    }

    // The semantic-convention attributes for SQS and DynamoDB win over the older ones.
    AnyValue messagingUrl = attributes.get("messaging.url");
    if (messagingUrl != null) {
      queueUrl = str(messagingUrl);
    }
    AnyValue tables = attributes.get("aws.dynamodb.table_names");
    if (tables != null) {
      if (tables.getValueCase() == AnyValue.ValueCase.ARRAY_VALUE) {
        List<AnyValue> list = tables.getArrayValue().getValuesList();
        if (list.size() == 1) {
          tableName = str(list.get(0));
        } else if (list.size() > 1) {
          tableName = "";
          tableNames = new ArrayList<>(list.size());
          for (AnyValue t : list) {
            tableNames.add(str(t));
          }
        }
      } else if (tables.getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
        tableName = tables.getStringValue();
      }
    }

    Segment.Aws aws = new Segment.Aws();
    if (platform.equals("aws_ec2") || !hostId.isEmpty()) {
      aws.ec2 = new Segment.Ec2(nonEmpty(hostId), nonEmpty(zone), nonEmpty(hostType), nonEmpty(amiId));
    }
    if (platform.equals("aws_ecs")) {
      aws.ecs = new Segment.Ecs(nonEmpty(container), nonEmpty(containerId), nonEmpty(taskArn), nonEmpty(taskFamily),
          nonEmpty(clusterArn), nonEmpty(containerArn), nonEmpty(zone), nonEmpty(launchType));
    }
    if (platform.equals("aws_elastic_beanstalk") && !deployId.isEmpty()) {
      long deployment;
      try {
        deployment = Long.parseLong(deployId);
      } catch (NumberFormatException e) {
        deployment = 0;
      }
      aws.beanstalk = new Segment.Beanstalk(nonEmpty(namespace), nonEmpty(versionLabel), deployment);
    }
    if (platform.equals("aws_eks") || !clusterName.isEmpty()) {
      aws.eks = new Segment.Eks(nonEmpty(clusterName), nonEmpty(pod), nonEmpty(containerId));
    }
    // Log groups: ARNs from the resource, else names from the resource, else aws_log_groups.
    if (logGroupArns != null && !logGroupArns.isEmpty()) {
      aws.cloudwatchLogs = new ArrayList<>();
      for (String arn : logGroupArns) {
        aws.cloudwatchLogs.add(new Segment.LogGroup(nonEmpty(logGroupFromArn(arn)), nonEmpty(arn)));
      }
    } else if (logGroups != null && !logGroups.isEmpty()) {
      aws.cloudwatchLogs = names(logGroups);
    } else if (logGroupNames != null) {
      aws.cloudwatchLogs = names(logGroupNames);
    }
    String sdk = !sdkName.isEmpty() && !sdkLanguage.isEmpty() ? sdkName + " for " + sdkLanguage : sdkName;
    aws.xray = new Segment.XRay(nonEmpty(sdk), nonEmpty(sdkVersion), !autoVersion.isEmpty());
    aws.accountId = nonEmpty(account);
    aws.operation = nonEmpty(operation);
    aws.region = nonEmpty(region);
    aws.requestId = nonEmpty(requestId);
    aws.queueUrl = nonEmpty(queueUrl);
    aws.tableName = nonEmpty(tableName);
    aws.tableNames = tableNames;
    return new Result(filtered, aws);
  }

  private static List<Segment.LogGroup> names(List<String> names) {
    List<Segment.LogGroup> out = new ArrayList<>(names.size());
    for (String n : names) {
      out.add(new Segment.LogGroup(nonEmpty(n), null));
    }
    return out;
  }

  /**
   * A string attribute is split on '&' so OTEL_RESOURCE_ATTRIBUTES can carry several groups
   * ({@code aws.log.group.names=a&b}); a list is taken as is (non-strings become ""); other types give none.
   */
  private static List<String> toList(AnyValue v) {
    List<String> out = new ArrayList<>();
    if (v.getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
      for (String item : v.getStringValue().split("&")) {
        if (!item.isEmpty()) {
          out.add(item);
        }
      }
    } else if (v.getValueCase() == AnyValue.ValueCase.ARRAY_VALUE) {
      for (AnyValue item : v.getArrayValue().getValuesList()) {
        out.add(str(item));
      }
    }
    return out;
  }

  /** The log group name is the 7th field of its ARN (arn:aws:logs:region:account:log-group:NAME:*). */
  static String logGroupFromArn(String arn) {
    String[] parts = arn.split(":", -1);
    return parts.length >= 7 ? parts[6] : arn;
  }
}
