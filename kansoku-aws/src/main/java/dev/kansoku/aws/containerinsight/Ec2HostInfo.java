package dev.kansoku.aws.containerinsight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kansoku.contrib.resourcedetection.Imds;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The instance this collector runs on: id, type, region and private IP from the instance identity
 * document (IMDSv2), asked until it answers; the auto scaling group from the instance's
 * {@code aws:autoscaling:groupName} tag (EC2 DescribeTags), asked until it is found, as the
 * collector does in ECS mode. Used by the one collection thread.
 */
final class Ec2HostInfo {
  static final String ASG_TAG = "aws:autoscaling:groupName";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TAGS_TIMEOUT = Duration.ofSeconds(5);

  /** The tags of an instance; production is kansoku-aws's EC2 DescribeTags. */
  @FunctionalInterface
  interface TagSource {
    Map<String, String> tags(String region, String instanceId, Duration timeout) throws IOException;
  }

  private final Imds imds;
  private final TagSource tagSource;
  private String instanceId = "";
  private String instanceType = "";
  private String region = "";
  private String privateIp = "";
  private String autoScalingGroup = "";

  Ec2HostInfo(Imds imds, TagSource tagSource) {
    this.imds = imds;
    this.tagSource = tagSource;
  }

  /** Asks instance metadata for the identity document until it has one. */
  void refreshIdentity(Instant deadline) throws IOException {
    if (!instanceId.isEmpty()) {
      return;
    }
    JsonNode doc = JSON.readTree(imds.get("dynamic/instance-identity/document", deadline, Integer.MAX_VALUE));
    if (doc == null || !doc.isObject()) {
      throw new IOException("the instance identity document is not a JSON object");
    }
    instanceType = doc.path("instanceType").asText("");
    region = doc.path("region").asText("");
    privateIp = doc.path("privateIp").asText("");
    instanceId = doc.path("instanceId").asText("");
  }

  /** Asks EC2 for the instance's tags until the auto scaling group is known (an instance outside one keeps asking). */
  void refreshAutoScalingGroup() throws IOException {
    if (!autoScalingGroup.isEmpty() || instanceId.isEmpty() || region.isEmpty()) {
      return;
    }
    autoScalingGroup = tagSource.tags(region, instanceId, TAGS_TIMEOUT).getOrDefault(ASG_TAG, "");
  }

  String instanceId() {
    return instanceId;
  }

  String instanceType() {
    return instanceType;
  }

  String privateIp() {
    return privateIp;
  }

  String autoScalingGroup() {
    return autoScalingGroup;
  }
}
