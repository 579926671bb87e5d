package dev.kansoku.awsapi.xray;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The ECS facts of a segment document that the awsxray receiver's mapping leaves out, as the
 * collector's does: the {@code aws.ecs} block's task, cluster and container ARNs, task family and
 * launch type, and the launch-type origins {@code AWS::ECS::EC2} and {@code AWS::ECS::Fargate}.
 * PutTraceSegments keeps them as the resource attributes the awsxray exporter reads, because
 * BatchGetTraces renders stored spans with that exporter's translator: so a segment that ADOT's
 * awsxray exporter sent from an ECS task comes back with its origin and {@code aws.ecs} block.
 * Stateless.
 */
final class SegmentEcsResource {
  private static final Map<String, String> ECS_FIELDS = Map.of(
      "task_arn", "aws.ecs.task.arn",
      "task_family", "aws.ecs.task.family",
      "cluster_arn", "aws.ecs.cluster.arn",
      "container_arn", "aws.ecs.container.arn");

  private SegmentEcsResource() {}

  /** {@code spans} (translated from {@code doc}) with the document's ECS facts added to its resource. */
  static ResourceSpans complete(ResourceSpans spans, byte[] doc) {
    String text = new String(doc, StandardCharsets.UTF_8);
    // Most documents have neither; this spares them a second parse.
    if (!text.contains("\"ecs\"") && !text.contains("AWS::ECS::")) {
      return spans;
    }
    JsonNode root;
    try {
      root = XrayApi.MAPPER.readTree(doc);
    } catch (IOException e) {
      return spans; // SegmentsToSpans accepted it, so this does not happen; nothing to add then
    }
    Map<String, String> add = new LinkedHashMap<>();
    JsonNode ecs = root.path("aws").path("ecs");
    ECS_FIELDS.forEach((field, key) -> {
      if (ecs.path(field).isTextual()) {
        add.put(key, ecs.path(field).asText());
      }
    });
    if (ecs.path("launch_type").isTextual()) {
      add.put("aws.ecs.launchtype", ecs.path("launch_type").asText().toLowerCase(Locale.ROOT));
    }
    // An origin says where the service runs, over the mapping's "unknown" for a document without an
    // aws block, as the receiver's own origins do.
    Map<String, String> replace = new LinkedHashMap<>();
    String origin = root.path("origin").asText("");
    if (origin.equals("AWS::ECS::EC2") || origin.equals("AWS::ECS::Fargate")) {
      replace.put("cloud.provider", "aws");
      replace.put("cloud.platform", "aws_ecs");
      add.putIfAbsent("aws.ecs.launchtype", origin.equals("AWS::ECS::EC2") ? "ec2" : "fargate");
    }
    if (add.isEmpty() && replace.isEmpty()) {
      return spans;
    }
    Resource.Builder resource = Resource.newBuilder();
    for (KeyValue kv : spans.getResource().getAttributesList()) {
      add.remove(kv.getKey());
      if (!replace.containsKey(kv.getKey())) {
        resource.addAttributes(kv);
      }
    }
    add.putAll(replace);
    add.forEach((key, value) -> resource.addAttributes(
        KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value))));
    return spans.toBuilder().setResource(resource).build();
  }
}
