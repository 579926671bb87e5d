package dev.kansoku.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kansoku ship} in a child JVM, sending to Kansoku's own CloudWatch Logs endpoint: lines in the
 * seed's logback format (X-Ray and W3C ids) and lines with malformed ids, from a followed file across a
 * rename rotation and from standard input. Every line is stored once, in order; well-formed ids link the
 * line to its trace, malformed ones leave it uncorrelated but stored.
 */
class ShipToKansokuTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String XRAY = "1-655415c5-f8ce3ffe767daf7d6ef94d72";
  private static final String W3C = "4bf92f3577b34da6a3ce929d0e0e4736";

  @TempDir
  Path dir;

  @Test
  void followedFileAndStdinReachKansokuWithTheirTraceIds() throws Exception {
    int grpcPort = SeedPipelineTest.freePort();
    int apiPort = SeedPipelineTest.freePort();
    try (Kansoku k = Kansoku.start(List.of("src/test/resources/config/store-query.yaml"),
        Map.of("GRPC_PORT", String.valueOf(grpcPort), "API_PORT", String.valueOf(apiPort))::get)) {
      BlockingWebClient api = WebClient.of("http://127.0.0.1:" + apiPort).blocking();
      String endpoint = "http://127.0.0.1:" + apiPort;
      Path file = dir.resolve("app.log");
      List<String> before = List.of(
          "00:50:13.242 trace_id=" + XRAY + "@ed4719643c9748b6 span_id=ed4719643c9748b6 trace_flags=01 GET \"/rolldice\", parameters={}",
          "00:50:13.250 trace_id=" + XRAY + "@ed4719643c9748b6 span_id=ed4719643c9748b6 trace_flags=01 Anonymous player is rolling the dice: 4",
          "00:50:14.001 trace_id= span_id= trace_flags= Tomcat started on port 8080 (http) with context path '/'",
          "00:50:14.002 trace_id=1-655415c5-f8ce3ffe767daf7d6ef94d7 span_id=ed4719643c9748b6 one digit short",
          "00:50:14.003 trace_id=1-zzzzzzzz-f8ce3ffe767daf7d6ef94d72 not hex",
          "00:50:14.004 trace_id=1-00000000-000000000000000000000000 all zero");
      Files.write(file, before, StandardCharsets.UTF_8);
      // Standard error merged into the log file: the child's own log lines.
      ChildKansoku ship = ChildKansoku.start(dir.resolve("ship"), List.of("-Xmx128m"), Map.of(), "ship",
          "--endpoint", endpoint, "--log-group", "/ecs/dice", "--log-stream", "dice/file", "--file", file.toString(),
          "--from-start", "--flush-interval", "100ms");
      try {
        awaitCount(api, "dice/file", before.size(), ship);
        // Rotation as logrotate does it: rename, then the writer opens a new file.
        Files.move(file, dir.resolve("app.log.1"));
        List<String> after = List.of(
            "00:50:23.100 trace_id=" + W3C + " span_id=00f067aa0ba902b7 trace_flags=01 w3c form after rotation",
            "00:50:23.101 trace_id=4bf92f3577b34da6a3ce929d0e0e473 span_id=00f067aa0ba902b7 31 digits");
        Files.write(file, after, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        List<String> all = new ArrayList<>(before);
        all.addAll(after);
        JsonNode logs = awaitCount(api, "dice/file", all.size(), ship);
        assertThat(logs).extracting(l -> l.get("body").asText()).containsExactlyElementsOf(all);
        assertThat(logs).extracting(l -> l.path("xrayTraceId").asText(null))
            .containsExactly(XRAY, XRAY, null, null, null, null, "1-4bf92f35-77b34da6a3ce929d0e0e4736", null);
        assertThat(ship.terminate()).as(ship.output()).isIn(0, 143);
        assertThat(ship.output()).contains("shipped 8 events", "0 dropped");
      } finally {
        ship.close();
      }

      // The trace's lines, found by either id form through the trace index.
      JsonNode ofTrace = get(api, "/api/traces/" + XRAY + "/logs").get("logs");
      assertThat(ofTrace).extracting(l -> l.get("body").asText()).allSatisfy(b -> assertThat(b).contains(XRAY));
      assertThat(ofTrace).hasSize(2);

      // Standard input: read to its end, sent, exit 0.
      Path stdin = dir.resolve("stdin.txt");
      Files.write(stdin, List.of("first", "", "trace_id=" + W3C + " from stdin", "last"), StandardCharsets.UTF_8);
      Process p = new ProcessBuilder(java(), "-Xmx128m", "-cp", System.getProperty("java.class.path"),
          Main.class.getName(), "ship", "--endpoint", endpoint, "--log-group", "/ecs/dice", "--log-stream", "dice/stdin")
          .redirectInput(stdin.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("stdin.log").toFile())
          .start();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(Files.readString(dir.resolve("stdin.log"))).isZero();
      JsonNode fromStdin = logs(api, "dice/stdin");
      assertThat(fromStdin).extracting(l -> l.get("body").asText())
          .containsExactly("first", "trace_id=" + W3C + " from stdin", "last");
      assertThat(fromStdin.get(1).get("traceId").asText()).isEqualTo(W3C);
    }
  }

  private static String java() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }

  private static JsonNode awaitCount(BlockingWebClient api, String stream, int n, ChildKansoku ship) throws Exception {
    JsonNode logs = null;
    for (int i = 0; i < 300; i++) {
      logs = logs(api, stream);
      if (logs.size() >= n) {
        return logs;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("expected " + n + " lines in " + stream + ", got " + logs + "\nship:\n" + ship.output());
  }

  private static JsonNode logs(BlockingWebClient api, String stream) throws IOException {
    return get(api, "/api/logs?group=" + URLEncoder.encode("/ecs/dice", StandardCharsets.UTF_8) + "&stream="
        + URLEncoder.encode(stream, StandardCharsets.UTF_8) + "&order=oldest_first&limit=100").get("logs");
  }

  private static JsonNode get(BlockingWebClient api, String path) throws IOException {
    AggregatedHttpResponse r = api.get(path);
    assertThat(r.status().code()).as(path + " -> " + r.contentUtf8()).isEqualTo(200);
    return JSON.readTree(r.contentUtf8());
  }
}
