package dev.kansoku.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.xray.XRayClient;
import software.amazon.awssdk.services.xray.model.TraceSummary;

/**
 * The seed article's system end to end with real processes: Kansoku running the seed's collector YAML
 * (awsxray and awsemf pointed at Kansoku's own X-Ray and CloudWatch Logs APIs, the agent's OTLP logs
 * into the store), the dice app (examples/dice) under ADOT 1.31.0 over OTLP gRPC and under the
 * OpenTelemetry agent 2.x over OTLP HTTP. After N requests: exactly N dice-server traces whose root is
 * the {@code GET /rolldice} server segment; JVM metrics in namespace dice-server; each request's log
 * line (OTLP, and the stdout line shipped with {@code kansoku ship}) leads to its trace and back, the
 * id printed in the line being the trace's id.
 *
 * <p>Needs {@code mvn -f examples/dice/pom.xml package} (CI runs it first); skipped, saying so, without.
 */
class DiceAgentsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DICE = Path.of("../examples/dice/target");
  private static final int N = 12;

  @TempDir
  Path dir;

  @BeforeAll
  static void credentials() {
    System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
    System.setProperty("aws.secretAccessKey", "secret");
  }

  @AfterAll
  static void clearCredentials() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  @Test
  void adotAgentOverGrpc() throws Exception {
    run(DiceApp.Agent.ADOT, "process.runtime.jvm.memory.usage");
  }

  @Test
  void openTelemetryAgentOverHttp() throws Exception {
    run(DiceApp.Agent.OTEL, "jvm.memory.used");
  }

  private void run(DiceApp.Agent agent, String memoryMetric) throws Exception {
    Assumptions.assumeTrue(DiceApp.isBuilt(DICE),
        "examples/dice is not built: run `mvn -f examples/dice/pom.xml package` first (CI does)");
    int grpcPort = SeedPipelineTest.freePort();
    int httpPort = SeedPipelineTest.freePort();
    int apiPort = SeedPipelineTest.freePort();
    int appPort = SeedPipelineTest.freePort();
    String api = "http://127.0.0.1:" + apiPort;
    Instant start = Instant.now().minusSeconds(60);
    try (Kansoku k = Kansoku.start(List.of("src/test/resources/config/dice-seed.yaml"), Map.of(
            "GRPC_PORT", String.valueOf(grpcPort), "HTTP_PORT", String.valueOf(httpPort),
            "API_PORT", String.valueOf(apiPort))::get);
        XRayClient xray = XRayClient.builder().endpointOverride(URI.create(api)).region(Region.US_WEST_2)
            .httpClient(ApacheHttpClient.create()).credentialsProvider(StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKID", "secret"))).build();
        CloudWatchClient cloudwatch = CloudWatchClient.builder().endpointOverride(URI.create(api))
            .region(Region.US_WEST_2).httpClient(ApacheHttpClient.create()).credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret"))).build()) {
      BlockingWebClient query = WebClient.of(api).blocking();
      int otlpPort = agent == DiceApp.Agent.ADOT ? grpcPort : httpPort;
      Map<String, String> settings = Map.of("OTEL_METRIC_EXPORT_INTERVAL", "1000", "OTEL_BSP_SCHEDULE_DELAY", "100",
          "OTEL_BLRP_SCHEDULE_DELAY", "100", "OTEL_LOGS_EXPORTER", "otlp");
      Map<String, String> rolls = new HashMap<>();
      try (DiceApp app = DiceApp.start(DICE, agent, appPort, "http://127.0.0.1:" + otlpPort, settings,
          dir.resolve("dice.out"))) {
        app.awaitStarted(120);
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < N; i++) {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + appPort + "/rolldice?player=p" + i)).build(),
              HttpResponse.BodyHandlers.ofString());
          assertThat(r.statusCode()).isEqualTo(200);
          assertThat(Integer.parseInt(r.body())).isBetween(1, 6);
          rolls.put("p" + i, r.body());
        }

        // Traces, through Kansoku's X-Ray API as the seed's awsxray exporter delivered them.
        List<TraceSummary> summaries = List.of();
        for (int i = 0; i < 300 && summaries.size() < N; i++) {
          Thread.sleep(100);
          summaries = xray.getTraceSummariesPaginator(r -> r.startTime(start).endTime(Instant.now().plusSeconds(60))
              .filterExpression("service(\"dice-server\")")).traceSummaries().stream().toList();
        }
        Thread.sleep(500);
        summaries = xray.getTraceSummariesPaginator(r -> r.startTime(start).endTime(Instant.now().plusSeconds(60))
            .filterExpression("service(\"dice-server\")")).traceSummaries().stream().toList();
        assertThat(summaries).hasSize(N);
        for (TraceSummary s : summaries) {
          assertThat(s.http().httpMethod()).isEqualTo("GET");
          assertThat(URI.create(s.http().httpURL()).getPath()).isEqualTo("/rolldice");
          assertThat(s.http().httpStatus()).isEqualTo(200);
          JsonNode root = root(get(query, "/api/traces/" + s.id()));
          assertThat(root.get("service").asText()).isEqualTo("dice-server");
          assertThat(root.get("kind").asText()).isEqualTo("SERVER");
          assertThat(root.at("/http/method").asText() + " " + URI.create(root.at("/http/url").asText()).getPath())
              .isEqualTo("GET /rolldice");
        }

        // JVM metrics: OTLP -> awsemf -> Kansoku's PutLogEvents -> EMF -> namespace dice-server.
        List<Metric> memory = List.of();
        for (int i = 0; i < 300 && memory.isEmpty(); i++) {
          memory = cloudwatch.listMetrics(r -> r.namespace("dice-server").metricName(memoryMetric)).metrics();
          Thread.sleep(100);
        }
        assertThat(memory).isNotEmpty();
        Metric m = memory.get(0);
        List<Double> values = cloudwatch.getMetricData(r -> r.startTime(start).endTime(Instant.now().plusSeconds(60))
            .metricDataQueries(q -> q.id("m1").metricStat(ms -> ms.metric(m).period(60).stat("Maximum"))))
            .metricDataResults().get(0).values();
        assertThat(values).isNotEmpty().allSatisfy(v -> assertThat(v).isPositive());
      }

      // Logs over OTLP: each request's line leads to its trace (the one with its player in the URL),
      // and the trace's logs contain the line; the number logged is the number the request answered.
      Map<String, String> traceOfPlayer = new HashMap<>();
      for (int i = 0; i < N; i++) {
        String player = "p" + i;
        String body = player + " is rolling the dice: " + rolls.get(player);
        JsonNode line = awaitLog(query, "group=dice-server&q=" + enc("\"" + player + " is rolling\""), body);
        String traceId = line.get("traceId").asText();
        JsonNode root = root(get(query, "/api/traces/" + traceId));
        assertThat(root.at("/http/url").asText()).endsWith("/rolldice?player=" + player);
        assertThat(get(query, "/api/traces/" + traceId + "/logs").get("logs"))
            .extracting(l -> l.get("body").asText()).contains(body);
        traceOfPlayer.put(player, traceId);
      }
      assertThat(traceOfPlayer.values()).doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(summaries(xray, start).stream().map(s -> hex(s.id())).toList());

      // Logs as the seed ships them (stdout -> awslogs -> CloudWatch Logs), here with kansoku ship: the id
      // in each line's text is the trace's id, and the trace finds the line.
      ChildKansoku ship = ChildKansoku.start(dir.resolve("ship"), List.of("-Xmx128m"), Map.of(), "ship",
          "--endpoint", api, "--log-group", "/ecs/dice", "--log-stream", "dice/" + agent.name().toLowerCase(),
          "--file", dir.resolve("dice.out").toString(), "--from-start", "--flush-interval", "100ms");
      try {
        for (int i = 0; i < N; i++) {
          String player = "p" + i;
          String traceId = traceOfPlayer.get(player);
          JsonNode line = awaitLog(query, "group=" + enc("/ecs/dice") + "&q=" + enc("\"" + player + " is rolling\""),
              player + " is rolling the dice: " + rolls.get(player));
          String printed = printedId(line.get("body").asText(), agent);
          assertThat(printed).isEqualTo(agent == DiceApp.Agent.ADOT ? xrayId(traceId) : traceId);
          assertThat(line.get("traceId").asText()).isEqualTo(traceId);
          assertThat(get(query, "/api/traces/" + printed + "/logs").get("logs"))
              .extracting(l -> l.get("logGroup").asText() + " " + l.get("body").asText())
              .contains("/ecs/dice " + line.get("body").asText());
        }
      } finally {
        ship.terminate();
      }
    }
  }

  private static List<TraceSummary> summaries(XRayClient xray, Instant start) {
    return xray.getTraceSummariesPaginator(r -> r.startTime(start).endTime(Instant.now().plusSeconds(60))
        .filterExpression("service(\"dice-server\")")).traceSummaries().stream().toList();
  }

  /** The id after {@code trace_id=} as the seed's pattern prints it (X-Ray, minus {@code @span}) or W3C. */
  private static String printedId(String line, DiceApp.Agent agent) {
    Pattern p = agent == DiceApp.Agent.ADOT
        ? Pattern.compile("trace_id=(1-[0-9a-f]{8}-[0-9a-f]{24})@[0-9a-f]{16} ")
        : Pattern.compile("trace_id=([0-9a-f]{32}) ");
    Matcher m = p.matcher(line);
    assertThat(m.find()).as("a trace id in: " + line).isTrue();
    return m.group(1);
  }

  private static String xrayId(String hex) {
    return "1-" + hex.substring(0, 8) + "-" + hex.substring(8);
  }

  private static String hex(String xrayId) {
    return xrayId.substring(2, 10) + xrayId.substring(11);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** The root span of a trace from the query API. */
  private static JsonNode root(JsonNode trace) {
    List<JsonNode> roots = new ArrayList<>();
    trace.get("spans").forEach(s -> {
      if (s.get("parentSpanId").isNull()) {
        roots.add(s);
      }
    });
    assertThat(roots).as(trace.toString()).hasSize(1);
    return roots.get(0);
  }

  private static JsonNode awaitLog(BlockingWebClient query, String params, String body) throws Exception {
    JsonNode logs = null;
    for (int i = 0; i < 300; i++) {
      logs = get(query, "/api/logs?start=1h&limit=50&" + params).get("logs");
      for (JsonNode l : logs) {
        if (l.get("body").asText().endsWith(body)) {
          return l;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no log line ending with \"" + body + "\" for " + params + ": " + logs);
  }

  private static JsonNode get(BlockingWebClient query, String path) throws IOException {
    AggregatedHttpResponse r = query.get(path);
    assertThat(r.status().code()).as(path + " -> " + r.contentUtf8()).isEqualTo(200);
    return JSON.readTree(r.contentUtf8());
  }
}
