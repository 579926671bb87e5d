package dev.kansoku.aws.xrayreceiver;

import static dev.kansoku.aws.xrayreceiver.SegmentFields.appendStr;
import static dev.kansoku.aws.xrayreceiver.SegmentFields.describe;
import static dev.kansoku.aws.xrayreceiver.SegmentFields.integer;
import static dev.kansoku.aws.xrayreceiver.SegmentFields.object;
import static dev.kansoku.aws.xrayreceiver.SegmentFields.putStr;
import static dev.kansoku.aws.xrayreceiver.SegmentFields.str;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.common.v1.AnyValue;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * The resource of one segment document: the service (its name, the {@code aws} block's EC2 / ECS /
 * Beanstalk / EKS / CloudWatch Logs fields, the SDK), as the collector's awsxrayreceiver maps it.
 * Stateless and thread-safe.
 */
final class SegmentResource {
  private SegmentResource() {}

  static Map<String, AnyValue> attributes(JsonNode doc) throws InvalidSegmentException {
    Map<String, AnyValue> attrs = new LinkedHashMap<>();
    putStr(attrs, "service.name", str(doc, "name", ""));
    JsonNode aws = object(doc, "aws", "");
    if (aws == null) {
      // Not sent by an AWS-hosted SDK, as far as the document tells.
      attrs.put("cloud.provider", str("unknown"));
    } else {
      attrs.put("cloud.provider", str("aws"));
      putStr(attrs, "cloud.account.id", str(aws, "account_id", "aws."));
      cloudWatchLogs(aws, attrs);
      JsonNode ec2 = object(aws, "ec2", "aws.");
      if (ec2 != null) {
        putStr(attrs, "cloud.availability_zone", str(ec2, "availability_zone", "aws.ec2."));
        putStr(attrs, "host.id", str(ec2, "instance_id", "aws.ec2."));
        putStr(attrs, "host.type", str(ec2, "instance_size", "aws.ec2."));
        putStr(attrs, "host.image.id", str(ec2, "ami_id", "aws.ec2."));
      }
      JsonNode ecs = object(aws, "ecs", "aws.");
      if (ecs != null) {
        putStr(attrs, "container.name", str(ecs, "container", "aws.ecs."));
        putStr(attrs, "cloud.availability_zone", str(ecs, "availability_zone", "aws.ecs."));
        putStr(attrs, "container.id", str(ecs, "container_id", "aws.ecs."));
      }
      JsonNode beanstalk = object(aws, "elastic_beanstalk", "aws.");
      if (beanstalk != null) {
        String bp = "aws.elastic_beanstalk.";
        putStr(attrs, "service.namespace", str(beanstalk, "environment_name", bp));
        Long deployment = integer(beanstalk, "deployment_id", bp);
        putStr(attrs, "service.instance.id", deployment == null ? null : deployment.toString());
        putStr(attrs, "service.version", str(beanstalk, "version_label", bp));
      }
      JsonNode eks = object(aws, "eks", "aws.");
      if (eks != null) {
        putStr(attrs, "container.id", str(eks, "container_id", "aws.eks."));
        putStr(attrs, "k8s.cluster.name", str(eks, "cluster_name", "aws.eks."));
        putStr(attrs, "k8s.pod.name", str(eks, "pod", "aws.eks."));
      }
      sdk(doc, aws, attrs);
    }
    // Not in the reference: the exporter derives origin from cloud.platform, so keeping it makes the
    // round trip lossless.
    String platform = platform(str(doc, "origin", ""));
    if (platform != null) {
      attrs.put("cloud.provider", str("aws"));
      attrs.put("cloud.platform", str(platform));
    }
    JsonNode service = object(doc, "service", "");
    if (service != null) {
      putStr(attrs, "service.version", str(service, "version", "service."));
    }
    putStr(attrs, "aws.xray.resource_arn", str(doc, "resource_arn", ""));
    return attrs;
  }

  /** Each log group adds to one list of arns and one of names, as the reference's addStringSlice. */
  private static void cloudWatchLogs(JsonNode aws, Map<String, AnyValue> attrs) throws InvalidSegmentException {
    JsonNode logs = aws.get("cloudwatch_logs");
    if (logs == null || logs.isNull()) {
      return;
    }
    if (!logs.isArray()) {
      throw new InvalidSegmentException("aws.cloudwatch_logs: " + describe(logs) + " (expected: an array)");
    }
    for (int i = 0; i < logs.size(); i++) {
      JsonNode group = logs.get(i);
      String lp = "aws.cloudwatch_logs[" + i + "]";
      if (!group.isObject() && !group.isNull()) {
        throw new InvalidSegmentException(lp + ": " + describe(group) + " (expected: a log group object)");
      }
      appendStr(attrs, "aws.log.group.arns", str(group, "arn", lp + "."));
      appendStr(attrs, "aws.log.group.names", str(group, "log_group", lp + "."));
    }
  }

  private static void sdk(JsonNode doc, JsonNode aws, Map<String, AnyValue> attrs) throws InvalidSegmentException {
    JsonNode xray = object(aws, "xray", "aws.");
    if (xray == null) {
      return;
    }
    putStr(attrs, "telemetry.sdk.version", str(xray, "sdk_version", "aws.xray."));
    String sdk = str(xray, "sdk", "aws.xray.");
    if (sdk == null) {
      return;
    }
    attrs.put("telemetry.sdk.name", str(sdk));
    String language = null;
    if (hasExceptions(doc)) {
      // As the reference: the exporter renders exception.stacktrace in Java's layout whatever
      // the SDK, and reads the layout from this attribute.
      language = "java";
    } else if (sdk.contains("for ")) {
      language = sdk.substring(sdk.indexOf("for ") + 4); // "X-Ray for Go" -> Go
    }
    putStr(attrs, "telemetry.sdk.language", language);
  }

  private static boolean hasExceptions(JsonNode doc) {
    JsonNode exceptions = doc.path("cause").path("exceptions");
    return exceptions.isArray() && !exceptions.isEmpty();
  }

  @Nullable
  private static String platform(@Nullable String origin) {
    if (origin == null) {
      return null;
    }
    return switch (origin) {
      case "AWS::EC2::Instance" -> "aws_ec2";
      case "AWS::ECS::Container" -> "aws_ecs";
      case "AWS::EKS::Container" -> "aws_eks";
      case "AWS::ElasticBeanstalk::Environment" -> "aws_elastic_beanstalk";
      case "AWS::Lambda::Function" -> "aws_lambda";
      case "AWS::AppRunner::Service" -> "aws_app_runner";
      default -> null;
    };
  }
}
