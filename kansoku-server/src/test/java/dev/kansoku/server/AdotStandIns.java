package dev.kansoku.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What ADOT's shipped configurations expect around them, on one loopback port: the ECS task metadata
 * endpoint v4 (under {@link #TASK_PATH}, answered from tests/adot/fixtures as tests/adot/ecs-metadata.js
 * does), an instance metadata service that says "not EC2" (404), AWS APIs that accept anything,
 * a remote-write endpoint, a Prometheus target on {@code /metrics}, and a Kubernetes API with no
 * objects (lists are empty; watches stay open and send nothing). Every request's method and path is
 * recorded.
 */
final class AdotStandIns implements AutoCloseable {
  static final String TASK_PATH = "/v4/6f0c1b2a9d3e4f5a8b7c6d5e4f3a2b1c-2602457921";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Kubernetes list kinds by the resource a discovery lists. */
  private static final Map<String, String> LIST_KINDS = Map.of("pods", "PodList", "endpoints", "EndpointsList",
      "services", "ServiceList", "nodes", "NodeList", "endpointslices", "EndpointSliceList");

  private final JsonNode container;
  private final JsonNode task;
  private final ObjectNode taskStats;
  private final AtomicInteger resourceVersion = new AtomicInteger(100);
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final Map<HttpResponseWriter, Boolean> watches = new ConcurrentHashMap<>();
  private final Server server;

  AdotStandIns(Path fixtures) throws IOException {
    container = JSON.readTree(Files.readString(fixtures.resolve("container.json")));
    task = JSON.readTree(Files.readString(fixtures.resolve("task.json")));
    taskStats = (ObjectNode) JSON.readTree(Files.readString(fixtures.resolve("task-stats.json")));
    server = Server.builder().http(new InetSocketAddress("127.0.0.1", 0))
        .serviceUnder("/", (ctx, req) -> {
          requests.add(req.method() + " " + req.path());
          return answer(ctx, req.method().name(), ctx.path(), ctx.query());
        })
        .build();
    server.start().join();
  }

  String url() {
    return "http://127.0.0.1:" + server.activeLocalPort();
  }

  List<String> requests() {
    return List.copyOf(requests);
  }

  private HttpResponse answer(ServiceRequestContext ctx, String method, String path, String query) {
    if (path.equals(TASK_PATH)) {
      return json(container);
    } else if (path.equals(TASK_PATH + "/task")) {
      return json(task);
    } else if (path.equals(TASK_PATH + "/stats")) {
      return json(taskStats.get(container.get("DockerId").asText()));
    } else if (path.equals(TASK_PATH + "/task/stats")) {
      return json(taskStats);
    } else if (path.startsWith("/latest/")) {
      return HttpResponse.of(HttpStatus.NOT_FOUND);
    } else if (path.equals("/metrics")) {
      return HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8,
          "# TYPE checkout_orders_total counter\ncheckout_orders_total{region=\"west\"} 42\n");
    } else if (path.startsWith("/api/") || path.startsWith("/apis/")) {
      return kubernetes(ctx, path, query);
    } else if (method.equals("POST")) {
      return HttpResponse.of(HttpStatus.OK, MediaType.JSON, "{}");
    }
    return HttpResponse.of(HttpStatus.NOT_FOUND);
  }

  /** An empty list for a list call; for a watch, headers and then nothing until the server stops. */
  private HttpResponse kubernetes(ServiceRequestContext ctx, String path, String query) {
    if (query != null && query.contains("watch=true")) {
      ctx.clearRequestTimeout();
      HttpResponseWriter watch = HttpResponse.streaming();
      watch.write(ResponseHeaders.of(HttpStatus.OK, "content-type", "application/json"));
      watches.put(watch, true);
      return watch;
    }
    String resource = path.substring(path.lastIndexOf('/') + 1);
    ObjectNode list = JSON.createObjectNode()
        .put("apiVersion", path.startsWith("/apis/") ? path.split("/")[2] + "/" + path.split("/")[3] : "v1")
        .put("kind", LIST_KINDS.getOrDefault(resource, "List"));
    list.putObject("metadata").put("resourceVersion", Integer.toString(resourceVersion.incrementAndGet()));
    list.putArray("items");
    return json(list);
  }

  private static HttpResponse json(JsonNode body) {
    return HttpResponse.of(HttpStatus.OK, MediaType.JSON, body.toString());
  }

  @Override
  public void close() {
    watches.keySet().forEach(HttpResponseWriter::close);
    server.stop().join();
  }
}
