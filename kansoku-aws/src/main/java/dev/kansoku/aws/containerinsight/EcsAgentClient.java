package dev.kansoku.aws.containerinsight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The ECS agent's introspection API ({@code :51678/v1/metadata} and {@code /v1/tasks}), each call
 * bounded by one second as the collector's client is. Thread-safe.
 */
final class EcsAgentClient {
  static final int PORT = 51678;
  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  /** The collector refuses answers of 5 MiB and more. */
  private static final int MAX_BODY = 5 * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The container instance: cluster name and the id at the end of its ARN. */
  record Instance(String cluster, String containerInstanceId) {}

  /** A task the agent knows in status RUNNING, with its containers' docker ids. */
  record Task(String arn, List<String> dockerIds) {}

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
      .followRedirects(HttpClient.Redirect.NEVER).build();

  Instance instance(URI base) throws IOException {
    JsonNode n = get(base, "/v1/metadata");
    return new Instance(n.path("Cluster").asText(""), containerInstanceId(n.path("ContainerInstanceArn").asText("")));
  }

  List<Task> runningTasks(URI base) throws IOException {
    JsonNode n = get(base, "/v1/tasks");
    List<Task> out = new ArrayList<>();
    for (JsonNode t : n.path("Tasks")) {
      if (!"RUNNING".equals(t.path("KnownStatus").asText())) {
        continue;
      }
      List<String> dockerIds = new ArrayList<>();
      for (JsonNode c : t.path("Containers")) {
        dockerIds.add(c.path("DockerId").asText(""));
      }
      out.add(new Task(t.path("Arn").asText(""), dockerIds));
    }
    return out;
  }

  /**
   * The last part of {@code arn:aws:ecs:region:account:container-instance/[cluster/]id} (both ARN
   * formats), or "" when the ARN has neither form; the same rule gives a task's id from its ARN.
   */
  static String containerInstanceId(String arn) {
    String[] parts = arn.split(":", -1);
    if (parts.length < 6) {
      return "";
    }
    String[] path = parts[5].split("/", -1);
    return path.length == 2 ? path[1] : path.length == 3 ? path[2] : "";
  }

  private JsonNode get(URI base, String path) throws IOException {
    URI uri = URI.create(base.toString().replaceAll("/+$", "") + path);
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("GET " + uri + ": interrupted", e);
    }
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException("GET " + uri + ": status " + response.statusCode());
      }
      byte[] bytes = body.readNBytes(MAX_BODY);
      if (bytes.length == MAX_BODY) {
        throw new IOException("GET " + uri + ": the answer exceeds " + MAX_BODY + " bytes");
      }
      JsonNode n = JSON.readTree(bytes);
      if (n == null || !n.isObject()) {
        throw new IOException("GET " + uri + ": not a JSON object");
      }
      return n;
    }
  }
}
