package dev.kansoku.awsapi.xray;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kansoku.awsapi.TestKansoku;
import dev.kansoku.pipeline.Service;
import dev.kansoku.pipeline.config.ConfigLoader;
import dev.kansoku.pipeline.config.ConfigSource;
import dev.kansoku.pipeline.testing.TestComponents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.xray.XRayClient;
import software.amazon.awssdk.services.xray.model.Segment;

/**
 * BatchGetTraces answers compiled traces, as X-Ray does: an X-Ray SDK that streams subsegments on
 * their own (type subsegment, parent_id) gets them back nested in their segment, at any depth.
 */
class CompiledTracesSdkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long NOW = Instant.now().getEpochSecond();
  private static final String TRACE = "1-" + String.format(Locale.ROOT, "%08x", NOW) + "-00000000000000000000c001";

  private static Service service;
  private static XRayClient xray;

  @BeforeAll
  static void start() throws Exception {
    int port = XrayApiSdkTest.freePort();
    var registry = TestKansoku.registry(new TestComponents());
    String yaml = """
        extensions: {kansoku: {endpoint: "127.0.0.1:%d", storage: {type: memory}}}
        """.formatted(port) + TestKansoku.PIPELINES;
    service = Service.create(new ConfigLoader(registry).load(ConfigSource.load(List.of("yaml:" + yaml), n -> null)),
        registry);
    service.start();
    xray = XrayApiSdkTest.client(port);
    // The segment, then a subsegment sent on its own with one of its own nested, then one whose parent
    // is that independent subsegment (three levels below the segment), and an orphan.
    var put = xray.putTraceSegments(r -> r.traceSegmentDocuments("""
        {"trace_id": "%s", "id": "c000000000000001", "name": "dice-server", "start_time": %s, "end_time": %s,
         "http": {"request": {"method": "GET", "url": "http://localhost:8080/rolldice"}, "response": {"status": 200}}}
        """.formatted(TRACE, t(0), t(0.3)), """
        {"type": "subsegment", "trace_id": "%s", "parent_id": "c000000000000001", "id": "c000000000000002",
         "name": "roll", "start_time": %s, "end_time": %s,
         "subsegments": [{"id": "c000000000000003", "name": "DynamoDB", "namespace": "aws",
           "start_time": %s, "end_time": %s, "aws": {"operation": "PutItem", "table_name": "rolls"}}]}
        """.formatted(TRACE, t(0.01), t(0.2), t(0.02), t(0.1)), """
        {"type": "subsegment", "trace_id": "%s", "parent_id": "c000000000000003", "id": "c000000000000004",
         "name": "marshal", "start_time": %s, "end_time": %s}
        """.formatted(TRACE, t(0.03), t(0.04)), """
        {"type": "subsegment", "trace_id": "%s", "parent_id": "c0000000000000ff", "id": "c000000000000005",
         "name": "lost", "start_time": %s, "end_time": %s}
        """.formatted(TRACE, t(0.25), t(0.26))));
    assertThat(put.unprocessedTraceSegments()).isEmpty();
  }

  @AfterAll
  static void stop() {
    if (xray != null) {
      xray.close();
    }
    if (service != null) {
      service.shutdown();
    }
  }

  private static String t(double offsetSeconds) {
    return String.format(Locale.ROOT, "%.6f", NOW + offsetSeconds);
  }

  @Test
  void independentSubsegmentsComeBackNestedInTheirSegment() throws Exception {
    List<Segment> segments = xray.batchGetTraces(b -> b.traceIds(TRACE)).traces().get(0).segments();
    List<JsonNode> docs = new ArrayList<>();
    for (Segment s : segments) {
      docs.add(JSON.readTree(s.document()));
    }
    assertThat(docs).extracting(d -> d.path("id").asText()).containsExactly("c000000000000001", "c000000000000005");

    JsonNode root = docs.get(0);
    assertThat(root.path("name").asText()).isEqualTo("dice-server");
    JsonNode roll = root.path("subsegments").get(0);
    assertThat(root.path("subsegments")).hasSize(1);
    assertThat(roll.path("name").asText()).isEqualTo("roll");
    assertThat(roll.has("type") || roll.has("trace_id") || roll.has("parent_id")).isFalse();
    JsonNode dynamo = roll.path("subsegments").get(0);
    assertThat(dynamo.path("name").asText()).isEqualTo("DynamoDB");
    assertThat(dynamo.path("namespace").asText()).isEqualTo("aws");
    JsonNode marshal = dynamo.path("subsegments").get(0);
    assertThat(marshal.path("name").asText()).isEqualTo("marshal");
    assertThat(marshal.path("start_time").asDouble()).isCloseTo(NOW + 0.03, org.assertj.core.data.Offset.offset(1e-3));

    // The orphan keeps the members of an independent document, so a reader can still place it.
    assertThat(docs.get(1).path("type").asText()).isEqualTo("subsegment");
    assertThat(docs.get(1).path("parent_id").asText()).isEqualTo("c0000000000000ff");
    assertThat(docs.get(1).path("trace_id").asText()).isEqualTo(TRACE);
  }
}
