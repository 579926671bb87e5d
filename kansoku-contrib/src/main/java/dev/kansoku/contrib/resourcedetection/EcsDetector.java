package dev.kansoku.contrib.resourcedetection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.annotation.Nullable;

/**
 * {@code ecs}: the task metadata endpoint ({@code ECS_CONTAINER_METADATA_URI_V4}, else
 * {@code ECS_CONTAINER_METADATA_URI}); without either variable Kansoku is not in an ECS task and the
 * detector adds nothing. {@code GET <endpoint>/task} gives the task (ARN, family, revision, cluster,
 * zone, launch type), {@code GET <endpoint>} this container, whose own log configuration is left
 * out of the aws.log.* lists (the collector runs as a sidecar and describes the others).
 */
final class EcsDetector implements Detector {
  static final String V4 = "ECS_CONTAINER_METADATA_URI_V4";
  static final String V3 = "ECS_CONTAINER_METADATA_URI";
  static final String SCHEMA_URL = "https://opentelemetry.io/schemas/1.39.0";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Nullable private final URI endpoint;
  private final Predicate<String> enabled;
  private final MetadataHttp http = new MetadataHttp();

  EcsDetector(Function<String, String> env, DetectorSettings.Ecs settings) {
    URI e = endpoint(env.apply(V4));
    this.endpoint = e != null ? e : endpoint(env.apply(V3));
    this.enabled = settings.enabled();
  }

  /** The endpoint when {@code value} is an absolute URL, as Go's url.ParseRequestURI wants; else none. */
  @Nullable
  private static URI endpoint(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      URI uri = new URI(value.trim());
      return uri.isAbsolute() ? uri : null;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  @Override
  public Detected detect(Instant deadline) throws DetectionException {
    if (endpoint == null) {
      return Detected.NONE;
    }
    JsonNode task = fetch("/task", deadline, "unable to fetch task metadata");
    Attributes a = new Attributes(enabled).str("cloud.provider", "aws").str("cloud.platform", "aws_ecs");
    String taskArn = task.path("TaskARN").asText("");
    a.str("aws.ecs.task.arn", taskArn).str("aws.ecs.task.family", task.path("Family").asText(""))
        .str("aws.ecs.task.revision", task.path("Revision").asText(""));
    String[] parts = taskArn.split(":", -1);
    String region = "";
    String account = "";
    if (parts.length >= 6) {
      region = parts[3];
      account = parts[4];
      // Old task ARNs end task/<id>, new ones task/<cluster>/<id>.
      String[] resource = parts[5].split("/", -1);
      String taskId = resource[resource.length - 1];
      if (!account.isEmpty()) {
        a.str("cloud.account.id", account);
      }
      if (!region.isEmpty()) {
        a.str("cloud.region", region);
      }
      if (!taskId.isEmpty()) {
        a.str("aws.ecs.task.id", taskId);
      }
    }
    String cluster = task.path("Cluster").asText("");
    a.str("aws.ecs.cluster.arn", cluster.contains(":") ? cluster
        : "arn:aws:ecs:" + region + ":" + account + ":cluster/" + cluster);
    String zone = task.path("AvailabilityZone").asText("");
    if (!zone.isEmpty()) {
      a.str("cloud.availability_zone", zone);
    }
    String launchType = task.path("LaunchType").asText("").toLowerCase(Locale.ROOT);
    if (launchType.equals("ec2") || launchType.equals("fargate")) {
      a.str("aws.ecs.launchtype", launchType);
    }
    JsonNode self = fetch("", deadline, "unable to fetch container metadata");
    logs(task.path("Containers"), self.path("DockerId").asText(""), account, a);
    return a.detected(SCHEMA_URL);
  }

  /**
   * The log groups and streams of the task's other running, normal containers that log with awslogs;
   * the four lists are set only when there is one.
   */
  private static void logs(JsonNode containers, String selfDockerId, String account, Attributes a) {
    List<String> groups = new ArrayList<>();
    List<String> groupArns = new ArrayList<>();
    List<String> streams = new ArrayList<>();
    List<String> streamArns = new ArrayList<>();
    for (JsonNode c : containers) {
      JsonNode options = c.path("LogOptions");
      String group = options.path("awslogs-group").asText("");
      String region = options.path("awslogs-region").asText("");
      String stream = options.path("awslogs-stream").asText("");
      boolean hasOptions = !group.isEmpty() || !region.isEmpty() || !stream.isEmpty();
      if (c.path("Type").asText("").equals("NORMAL") && c.path("KnownStatus").asText("").equals("RUNNING")
          && c.path("LogDriver").asText("").equals("awslogs") && !c.path("DockerId").asText("").equals(selfDockerId)
          && hasOptions) {
        String groupArn = "arn:aws:logs:" + region + ":" + account + ":log-group:" + group;
        groups.add(group);
        groupArns.add(groupArn);
        streams.add(stream);
        streamArns.add(groupArn + ":log-stream:" + stream);
      }
    }
    if (!groups.isEmpty()) {
      a.strings("aws.log.group.names", groups).strings("aws.log.group.arns", groupArns)
          .strings("aws.log.stream.names", streams).strings("aws.log.stream.arns", streamArns);
    }
  }

  private JsonNode fetch(String path, Instant deadline, String what) throws DetectionException {
    URI uri = URI.create(endpoint + path);
    try {
      MetadataHttp.Response r = http.get(uri, Map.of(), deadline);
      if (!r.ok()) {
        throw new DetectionException(what + ": request GET " + uri + " failed - status " + r.status() + ", response: "
            + EnvDetector.goQuote(r.body()), false);
      }
      JsonNode node = JSON.readTree(r.body());
      if (node == null || !node.isObject()) {
        throw new DetectionException(what + ": GET " + uri + " did not answer a JSON object", false);
      }
      return node;
    } catch (IOException e) {
      throw new DetectionException(what + ": GET " + uri, e);
    }
  }
}
