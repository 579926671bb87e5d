package dev.kansoku.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.ComponentKind;
import dev.kansoku.pipeline.ComponentRegistry;
import dev.kansoku.pipeline.Service;
import dev.kansoku.pipeline.config.PipelineConfig;
import dev.kansoku.pipeline.config.ServiceConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * Kansoku's own configurations in the shape of each of the 19 that ADOT collector v0.49.0 ships
 * (src/test/resources/adot-shaped): each validates through the path {@code kansoku validate} takes,
 * has the pipelines it says and those of the shipped file, sets every key the shipped file sets on
 * each component (shipped-keys.txt, a transcription of their key paths), and starts with the service's
 * environment pointing at local stand-ins ({@link AdotStandIns}) instead of ECS, EC2, Kubernetes and
 * AWS, answers its health check, and shuts down releasing its ports.
 */
class AdotShapedConfigsTest {
  private static final Path DIR = Path.of("src/test/resources/adot-shaped");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  /** The keys shipped-keys.txt records with their values. */
  private static final Set<String> VALUED = Set.of("action", "role", "detectors", "match_type",
      "container_orchestrator", "transport");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static AdotStandIns standIns;
  private static Map<String, Shipped> shipped;
  private final ComponentRegistry registry = Components.registry();

  /** One shipped file's entry in shipped-keys.txt. */
  record Shipped(Map<String, Integer> counts, Map<String, Set<String>> keys, Set<String> extensions,
      List<String> pipelines) {}

  @BeforeAll
  static void standUp() throws IOException {
    standIns = new AdotStandIns(Path.of("../tests/adot/fixtures"));
    shipped = parseShipped(Files.readAllLines(DIR.resolve("shipped-keys.txt")));
  }

  @AfterAll
  static void tearDown() {
    standIns.close();
  }

  static Stream<String> files() throws IOException {
    return parseShipped(Files.readAllLines(DIR.resolve("shipped-keys.txt"))).keySet().stream();
  }

  @Test
  void oneConfigurationPerShippedFile() throws IOException {
    try (Stream<Path> list = Files.list(DIR)) {
      assertThat(list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")))
          .containsExactlyInAnyOrderElementsOf(shipped.keySet());
    }
    assertThat(shipped).hasSize(19);
  }

  @ParameterizedTest
  @MethodSource("files")
  void validates_hasTheShippedShape_startsAndStops(String file) throws Exception {
    Map<String, String> env = env(true);
    ServiceConfig config = Kansoku.load(List.of(DIR.resolve(file).toString()), env::get, registry);
    JsonNode raw = YAML.readTree(DIR.resolve(file).toFile());
    Shipped expected = shipped.get(file);

    assertThat(chains(config)).as(file).isEqualTo(chains(raw.get("service").get("pipelines")));
    assertThat(config.pipelines().stream().map(this::signature)).as(file)
        .containsExactlyInAnyOrderElementsOf(expected.pipelines().stream().map(this::normalize).toList());
    assertThat(config.extensions().stream().map(id -> type(ComponentKind.EXTENSION, id.type())))
        .as(file).containsExactlyInAnyOrderElementsOf(expected.extensions());
    Map<String, Set<String>> mine = keys(raw);
    Map<String, Integer> mineCounts = counts(raw);
    expected.keys().forEach((component, shippedKeys) -> {
      assertThat(mineCounts.get(component)).as(file + ": how many " + component).isEqualTo(expected.counts()
          .get(component));
      assertThat(mine.getOrDefault(component, Set.of())).as(file + ": " + component + "'s keys")
          .containsAll(shippedKeys);
    });
    assertThat(mineCounts.keySet()).as(file + ": components").isEqualTo(expected.counts().keySet());

    int seenBefore = standIns.requests().size();
    Service service = Service.create(config, registry, env::get);
    service.start();
    try {
      if (config.extensions().contains(ComponentId.parse("health_check"))) {
        assertThat(health(env)).as(file + ": health_check").isEqualTo(200);
      }
      for (String role : roles(raw)) {
        String list = "GET /api/v1/" + (role.equals("pod") ? "pods" : "endpoints") + "?";
        awaitRequest(seenBefore, r -> r.startsWith(list), file + ": a list of " + role + " from the Kubernetes API");
      }
      if (mine.getOrDefault("processor resource_detection", Set.of()).contains("detectors=ecs")) {
        awaitRequest(seenBefore, r -> r.equals("GET " + AdotStandIns.TASK_PATH + "/task"),
            file + ": the ecs detector reading the task metadata");
      }
    } finally {
      service.shutdown();
    }
    if (env.containsKey("HEALTH_ENDPOINT") && config.extensions().contains(ComponentId.parse("health_check"))) {
      assertThatThrownBy(() -> health(env)).as(file + ": health_check after shutdown").isInstanceOf(
          ConnectException.class);
    }
    if (raw.at("/receivers/otlp").isObject()) {
      try (ServerSocket again = new ServerSocket(port(env.get("OTLP_GRPC_ENDPOINT")), 50,
          InetAddress.getLoopbackAddress())) {
        assertThat(again.getLocalPort()).as(file + ": OTLP gRPC port free again").isPositive();
      }
    }
  }

  /** ADOT's awsecscontainermetrics refuses to start outside an ECS task, and so does Kansoku's. */
  @Test
  void ecsTaskMetrics_outsideEcs_refuseToStart() throws Exception {
    Map<String, String> env = env(false);
    ServiceConfig config = Kansoku.load(List.of(DIR.resolve("ecs-amp.yaml").toString()), env::get, registry);
    Service service = Service.create(config, registry, env::get);
    try {
      assertThatThrownBy(service::start).hasMessageContaining("awsecscontainermetrics")
          .hasMessageContaining("ECS_CONTAINER_METADATA_URI_V4");
    } finally {
      service.shutdown();
    }
  }

  /**
   * Without api_server (as ADOT ships them) the Kubernetes discovery needs the pod's service account.
   * Outside a cluster Prometheus's discovery manager logs that it cannot create the discovery and runs
   * without it, and so does Kansoku's receiver: the service starts.
   */
  @Test
  void eksFiles_withoutAnApiServer_outsideACluster_startWithoutThatDiscovery(@TempDir Path dir) throws Exception {
    assumeTrue(System.getenv("KUBERNETES_SERVICE_HOST") == null, "runs outside a Kubernetes pod");
    Path file = dir.resolve("jmx.yaml");
    String yaml = Files.readString(DIR.resolve("eks-prometheus-jmx.yaml"));
    Files.writeString(file, yaml.replace("              api_server: ${env:K8S_API}\n", ""));
    assertThat(Files.readString(file)).doesNotContain("api_server:");
    Map<String, String> env = env(true);
    Service service = Service.create(Kansoku.load(List.of(file.toString()), env::get, registry), registry, env::get);
    Logger receiverLog = (Logger) LoggerFactory.getLogger(
        "dev.kansoku.prometheus.receiver.PrometheusReceiver");
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    receiverLog.addAppender(logged);
    try {
      service.start();
      assertThat(logged.list).anySatisfy(e -> {
        assertThat(e.getLevel()).isEqualTo(Level.ERROR);
        assertThat(e.getFormattedMessage()).contains("cannot create kubernetes service discovery")
            .contains("KUBERNETES_SERVICE_HOST");
      });
    } finally {
      receiverLog.detachAppender(logged);
      service.shutdown();
    }
  }

  private Map<String, String> env(boolean inEcs) throws IOException {
    Map<String, String> env = new HashMap<>();
    for (String name : List.of("HEALTH_ENDPOINT", "OTLP_GRPC_ENDPOINT", "OTLP_HTTP_ENDPOINT", "PROXY_ENDPOINT")) {
      try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
        env.put(name, "127.0.0.1:" + s.getLocalPort());
      }
    }
    for (String name : List.of("XRAY_UDP_ENDPOINT", "STATSD_ENDPOINT")) {
      try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
        env.put(name, "127.0.0.1:" + s.getLocalPort());
      }
    }
    String url = standIns.url();
    env.put("AWS_REGION", "us-west-2");
    env.put("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
    env.put("AWS_SECRET_ACCESS_KEY", "secret");
    env.put("AWS_STANDIN", url);
    env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", url);
    env.put("AWS_PROMETHEUS_ENDPOINT", url + "/workspaces/ws-kansoku/api/v1/remote_write");
    env.put("AWS_PROMETHEUS_SCRAPING_ENDPOINT", url.substring("http://".length()));
    env.put("K8S_API", url);
    if (inEcs) {
      env.put("ECS_CONTAINER_METADATA_URI_V4", url + AdotStandIns.TASK_PATH);
    }
    return env;
  }

  private static int health(Map<String, String> env) throws IOException, InterruptedException {
    HttpRequest get = HttpRequest.newBuilder(URI.create("http://" + env.get("HEALTH_ENDPOINT") + "/"))
        .timeout(Duration.ofSeconds(5)).build();
    return HTTP.send(get, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static int port(String hostPort) {
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }

  private static void awaitRequest(int from, Predicate<String> wanted, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      List<String> all = standIns.requests();
      if (all.subList(Math.min(from, all.size()), all.size()).stream().anyMatch(wanted)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(what + " within 10 s; the stand-ins saw " + standIns.requests());
  }

  /** Each pipeline as the loaded configuration has it: "id: receivers | processors | exporters". */
  private static List<String> chains(ServiceConfig config) {
    return config.pipelines().stream().map(p -> p.id() + ": " + ids(p.receivers()) + " | " + ids(p.processors())
        + " | " + ids(p.exporters())).sorted().toList();
  }

  /** The same, read from the file's service::pipelines. */
  private static List<String> chains(JsonNode pipelines) {
    List<String> out = new ArrayList<>();
    pipelines.fields().forEachRemaining(e -> out.add(e.getKey() + ": " + names(e.getValue().get("receivers"))
        + " | " + names(e.getValue().get("processors")) + " | " + names(e.getValue().get("exporters"))));
    return out.stream().sorted().toList();
  }

  private static String ids(List<ComponentId> ids) {
    return ids.stream().map(ComponentId::toString).collect(Collectors.joining(","));
  }

  private static String names(JsonNode list) {
    List<String> out = new ArrayList<>();
    if (list != null) {
      list.forEach(n -> out.add(n.asText()));
    }
    return String.join(",", out);
  }

  /** A pipeline by component types (current names): "signal r1,r2 | p1,p2 | e1", as in shipped-keys.txt. */
  private String signature(PipelineConfig p) {
    return p.signal().name() + " " + types(ComponentKind.RECEIVER, p.receivers(), true) + " | "
        + types(ComponentKind.PROCESSOR, p.processors(), false) + " | "
        + types(ComponentKind.EXPORTER, p.exporters(), true);
  }

  /** A shipped-keys.txt pipeline line with the types' current names. */
  private String normalize(String line) {
    String[] parts = line.split(" \\| ", -1);
    String[] head = parts[0].split(" ", 2);
    return head[0] + " " + retype(ComponentKind.RECEIVER, head[1], true) + " | "
        + retype(ComponentKind.PROCESSOR, parts[1], false) + " | " + retype(ComponentKind.EXPORTER, parts[2], true);
  }

  private String retype(ComponentKind kind, String list, boolean sort) {
    Stream<String> types = Stream.of(list.split(",")).filter(s -> !s.isEmpty()).map(t -> type(kind, t));
    return (sort ? types.sorted() : types).collect(Collectors.joining(","));
  }

  private String types(ComponentKind kind, List<ComponentId> ids, boolean sort) {
    return retype(kind, ids.stream().map(ComponentId::type).collect(Collectors.joining(",")), sort);
  }

  /** A type's current name: the factory's own for a deprecated alias (resourcedetection: resource_detection). */
  private String type(ComponentKind kind, String type) {
    return registry.factory(kind, type).orElseThrow(() -> new AssertionError("no " + kind.singular() + " " + type))
        .type();
  }

  /** Key paths per "kind type" (current names) over every component of that type in the file. */
  private Map<String, Set<String>> keys(JsonNode raw) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    forEachComponent(raw, (component, config) -> {
      Set<String> paths = out.computeIfAbsent(component, k -> new TreeSet<>());
      collect(config, "", paths);
    });
    return out;
  }

  private Map<String, Integer> counts(JsonNode raw) {
    Map<String, Integer> out = new LinkedHashMap<>();
    forEachComponent(raw, (component, config) -> out.merge(component, 1, Integer::sum));
    return out;
  }

  private void forEachComponent(JsonNode raw, java.util.function.BiConsumer<String, JsonNode> action) {
    for (ComponentKind kind : ComponentKind.values()) {
      JsonNode section = raw.get(kind.configKey());
      if (section == null) {
        continue;
      }
      section.fields().forEachRemaining(e -> action.accept(kind.singular() + " "
          + type(kind, ComponentId.parse(e.getKey()).type()), e.getValue()));
    }
  }

  /** Every key path under {@code node}, intermediate ones too; lists of mappings as []. */
  private static void collect(JsonNode node, String prefix, Set<String> out) {
    if (node.isArray()) {
      node.forEach(item -> collect(item, prefix + "[]", out));
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      out.add(path);
      JsonNode v = e.getValue();
      if (VALUED.contains(e.getKey())) {
        (v.isArray() ? v : YAML.createArrayNode().add(v)).forEach(x -> out.add(path + "=" + x.asText()));
      }
      if (v.isObject() || v.isArray() && v.size() > 0 && v.get(0).isObject()) {
        collect(v, path, out);
      }
    }
  }

  /** The Kubernetes discovery roles of the file's prometheus receiver. */
  private static Set<String> roles(JsonNode raw) {
    Set<String> roles = new TreeSet<>();
    raw.at("/receivers/prometheus/config/scrape_configs").forEach(job -> job.path("kubernetes_sd_configs")
        .forEach(sd -> roles.add(sd.get("role").asText())));
    return roles;
  }

  /** shipped-keys.txt by file, its component types as "kind type" with current names. */
  private static Map<String, Shipped> parseShipped(List<String> lines) {
    ComponentRegistry registry = Components.registry();
    Map<String, Shipped> out = new LinkedHashMap<>();
    Shipped current = null;
    Set<String> currentKeys = null;
    for (String line : lines) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      String text = line.trim();
      if (line.startsWith("file ")) {
        current = new Shipped(new LinkedHashMap<>(), new LinkedHashMap<>(), new TreeSet<>(), new ArrayList<>());
        out.put(text.substring(5), current);
      } else if (text.startsWith("pipeline ")) {
        current.pipelines().add(text.substring(9));
      } else if (text.startsWith("service.extensions ")) {
        for (String e : text.substring(19).split(",")) {
          current.extensions().add(registry.factory(ComponentKind.EXTENSION, e).orElseThrow().type());
        }
      } else if (line.startsWith("    ")) {
        currentKeys.add(text);
      } else {
        String[] f = text.split(" ");
        ComponentKind kind = ComponentKind.valueOf(f[0].toUpperCase());
        String component = f[0] + " " + registry.factory(kind, f[1]).orElseThrow().type();
        current.counts().put(component, Integer.parseInt(f[2].substring(1)));
        currentKeys = current.keys().computeIfAbsent(component, k -> new TreeSet<>());
      }
    }
    return out;
  }
}
