package dev.kansoku.aws.ecscontainermetrics;

import static dev.kansoku.aws.ecscontainermetrics.TaskMetrics.str;
import static dev.kansoku.aws.ecscontainermetrics.TaskMetrics.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.Locale;

/** The resource attributes the collector's receiver gives a task and each of its containers. */
final class EcsResources {
  private EcsResources() {}

  static Resource task(JsonNode t) {
    String arn = text(t, "TaskARN");
    String region = "";
    String account = "";
    String taskId = "";
    // arn:aws:ecs:region:account:task/id, or task/cluster/id for the newer format.
    if (arn.startsWith("arn:aws:ecs")) {
      String[] slashes = arn.split("/", -1);
      taskId = slashes[slashes.length - 1];
      String[] colons = slashes[0].split(":", -1);
      region = colons.length > 3 ? colons[3] : "";
      account = colons.length > 4 ? colons[4] : "";
    }
    String revision = text(t, "Revision");
    String launchType = text(t, "LaunchType");
    Resource.Builder r = Resource.newBuilder()
        .addAttributes(str("aws.ecs.cluster.name", clusterName(text(t, "Cluster"))))
        .addAttributes(str("aws.ecs.task.arn", arn))
        .addAttributes(str("aws.ecs.task.id", taskId))
        .addAttributes(str("aws.ecs.task.family", text(t, "Family")))
        // The receiver's own name for the revision, and the semantic conventions' one.
        .addAttributes(str("aws.ecs.task.version", revision))
        .addAttributes(str("aws.ecs.task.revision", revision))
        .addAttributes(str("aws.ecs.service.name", text(t, "ServiceName")))
        .addAttributes(str("cloud.availability_zone", text(t, "AvailabilityZone")))
        .addAttributes(str("aws.ecs.task.pull_started_at", text(t, "PullStartedAt")))
        .addAttributes(str("aws.ecs.task.pull_stopped_at", text(t, "PullStoppedAt")))
        .addAttributes(str("aws.ecs.task.known_status", text(t, "KnownStatus")))
        .addAttributes(str("aws.ecs.task.launch_type", launchType));
    String lower = launchType.toLowerCase(Locale.ROOT);
    if (lower.equals("ec2") || lower.equals("fargate")) {
      r.addAttributes(str("aws.ecs.launchtype", lower));
    }
    return r.addAttributes(str("cloud.region", region)).addAttributes(str("cloud.account.id", account)).build();
  }

  static Resource.Builder container(JsonNode c) {
    String image = text(c, "Image");
    String[] repositoryAndTag = image(image);
    Resource.Builder r = Resource.newBuilder()
        .addAttributes(str("container.name", text(c, "Name")))
        .addAttributes(str("container.id", text(c, "DockerId")))
        .addAttributes(str("aws.ecs.docker.name", text(c, "DockerName")))
        .addAttributes(str("container.image.name", repositoryAndTag[0]))
        .addAttributes(str("aws.ecs.container.image.id", text(c, "ImageID")))
        .addAttributes(str("container.image.tag", repositoryAndTag[1]))
        .addAttributes(str("aws.ecs.container.created_at", text(c, "CreatedAt")))
        .addAttributes(str("aws.ecs.container.started_at", text(c, "StartedAt")));
    if (!text(c, "FinishedAt").isEmpty()) {
      r.addAttributes(str("aws.ecs.container.finished_at", text(c, "FinishedAt")));
    }
    // "know_status" is the receiver's spelling, kept so that existing dashboards and filters match.
    r.addAttributes(str("aws.ecs.container.know_status", text(c, "KnownStatus")));
    if (c.path("ExitCode").isIntegralNumber()) {
      r.addAttributes(KeyValue.newBuilder().setKey("aws.ecs.container.exit_code")
          .setValue(AnyValue.newBuilder().setIntValue(c.path("ExitCode").asLong())));
    }
    return r;
  }

  /** The cluster's name from its ARN ({@code arn:aws:ecs:region:account:cluster/name}), else as given. */
  static String clusterName(String cluster) {
    if (!cluster.startsWith("arn:aws")) {
      return cluster;
    }
    return cluster.substring(cluster.lastIndexOf('/') + 1);
  }

  /**
   * Repository and tag of a docker image reference: {@code registry:5000/repo:tag@sha256:...}; a
   * reference without a tag is {@code latest}.
   */
  static String[] image(String image) {
    if (image.isEmpty()) {
      return new String[] {"", ""};
    }
    String name = image;
    int at = name.indexOf('@');
    if (at >= 0) {
      name = name.substring(0, at);
    }
    int colon = name.lastIndexOf(':');
    if (colon > name.lastIndexOf('/')) {
      return new String[] {name.substring(0, colon), name.substring(colon + 1)};
    }
    return new String[] {name, "latest"};
  }
}
