package dev.kansoku.awsapi.xray;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kansoku.awsapi.TestKansoku;
import dev.kansoku.model.SpanId;
import dev.kansoku.model.SpanKind;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.model.TraceId;
import dev.kansoku.pipeline.Service;
import dev.kansoku.pipeline.testing.TestComponents;
import dev.kansoku.store.Trace;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.xray.XRayClient;

/**
 * A subsegment's {@code aws} block sent through PutTraceSegments comes back from BatchGetTraces with
 * the same facts, read with the AWS SDK for Java v2: streamed on its own under a segment that has an
 * {@code aws} block, and nested in a segment that has none (whose resource the receiver marks
 * {@code cloud.provider: unknown}, for which the exporter's rules write no {@code aws} block).
 */
class AwsBlockRoundTripSdkTest {
  private static final long NOW = Instant.now().getEpochSecond();
  private static final String EPOCH = String.format(Locale.ROOT, "%08x", NOW);
  private static final String STREAMED = "1-" + EPOCH + "-00000000000000000000aa01";
  private static final String NESTED = "1-" + EPOCH + "-00000000000000000000aa02";

  private static Service service;
  private static XRayClient xray;

  @BeforeAll
  static void start() throws Exception {
    int port = XrayApiSdkTest.freePort();
    service = TestKansoku.start(TestKansoku.registry(new TestComponents()), """
        extensions: {kansoku: {endpoint: "127.0.0.1:%d", storage: {type: memory}}}
        """.formatted(port) + TestKansoku.PIPELINES);
    xray = XrayApiSdkTest.client(port);
    var put = xray.putTraceSegments(r -> r.traceSegmentDocuments("""
        {"type": "subsegment", "trace_id": "%s", "parent_id": "aa00000000000001", "id": "aa00000000000002",
         "name": "DynamoDB", "namespace": "aws", "start_time": %s, "end_time": %s,
         "aws": {"operation": "PutItem", "region": "us-east-1", "request_id": "RQ1V6B4E2G0EXAMPLE",
                 "table_name": "dice", "retries": 0},
         "http": {"response": {"status": 200}}}
        """.formatted(STREAMED, t(0.01), t(0.05)), """
        {"trace_id": "%s", "id": "aa00000000000001", "name": "dice-server", "start_time": %s, "end_time": %s,
         "aws": {"xray": {"sdk": "X-Ray for Java", "sdk_version": "2.18.2"}},
         "http": {"request": {"method": "GET", "url": "http://dice/roll", "client_ip": "10.0.0.1"},
                  "response": {"status": 200}}}
        """.formatted(STREAMED, t(0), t(0.1)), """
        {"trace_id": "%s", "id": "aa00000000000011", "name": "bare-server", "start_time": %s, "end_time": %s,
         "subsegments": [
           {"id": "aa00000000000012", "name": "DynamoDB", "namespace": "aws", "start_time": %s, "end_time": %s,
            "aws": {"operation": "Query", "region": "eu-west-1", "request_id": "RQ2", "table_name": "scores",
                    "retries": 2, "account_id": "123456789012"}},
           {"id": "aa00000000000013", "name": "SQS", "namespace": "aws", "start_time": %s, "end_time": %s,
            "aws": {"operation": "SendMessage", "region": "eu-west-1",
                    "queue_url": "https://sqs.eu-west-1.amazonaws.com/123456789012/rolls"}}]}
        """.formatted(NESTED, t(1), t(1.2), t(1.01), t(1.05), t(1.06), t(1.1))));
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
    return String.format(Locale.ROOT, "%.6f", NOW - 60 + offsetSeconds);
  }

  private static JsonNode segment(String trace) throws Exception {
    var segments = xray.batchGetTraces(b -> b.traceIds(trace)).traces().get(0).segments();
    assertThat(segments).hasSize(1);
    return XrayApi.MAPPER.readTree(segments.get(0).document());
  }

  @Test
  void streamedSubsegment_keepsItsAwsBlock() throws Exception {
    JsonNode dynamo = segment(STREAMED).path("subsegments").get(0);
    assertThat(dynamo.path("name").asText()).isEqualTo("DynamoDB");
    JsonNode aws = dynamo.path("aws");
    assertThat(aws.path("operation").asText()).isEqualTo("PutItem");
    assertThat(aws.path("region").asText()).isEqualTo("us-east-1");
    assertThat(aws.path("request_id").asText()).isEqualTo("RQ1V6B4E2G0EXAMPLE");
    assertThat(aws.path("table_name").asText()).isEqualTo("dice");
    assertThat(aws.path("retries").isIntegralNumber()).isTrue();
    assertThat(aws.path("retries").asInt()).isEqualTo(0);
    // retries is in the block, not left over in the metadata as the exporter's rules would leave it.
    assertThat(dynamo.path("metadata").path("default").has("aws.xray.retries")).isFalse();
  }

  @Test
  void subsegmentsOfASegmentWithoutAwsBlock_keepTheirs() throws Exception {
    JsonNode root = segment(NESTED);
    assertThat(root.has("aws")).as("the segment sent none").isFalse();
    JsonNode dynamo = root.path("subsegments").get(0).path("aws");
    assertThat(dynamo.path("operation").asText()).isEqualTo("Query");
    assertThat(dynamo.path("region").asText()).isEqualTo("eu-west-1");
    assertThat(dynamo.path("request_id").asText()).isEqualTo("RQ2");
    assertThat(dynamo.path("table_name").asText()).isEqualTo("scores");
    assertThat(dynamo.path("retries").asInt()).isEqualTo(2);
    assertThat(dynamo.path("account_id").asText()).isEqualTo("123456789012");
    JsonNode sqs = root.path("subsegments").get(1).path("aws");
    assertThat(sqs.path("operation").asText()).isEqualTo("SendMessage");
    assertThat(sqs.path("queue_url").asText()).isEqualTo("https://sqs.eu-west-1.amazonaws.com/123456789012/rolls");
  }

  @Test
  void spanOfAnotherCloud_keepsTheExportersAnswer() throws Exception {
    TraceId trace = TraceId.parse(STREAMED);
    SpanRecord gcp = SpanRecord.builder().traceId(trace).spanId(new SpanId(7)).serviceName("gcp-app").name("call")
        .kind(SpanKind.SERVER).startNanos(1).endNanos(2)
        .attributes(Map.of("aws.operation", "GetItem", "aws.region", "us-east-1"))
        .resourceAttributes(Map.of("service.name", "gcp-app", "cloud.provider", "gcp")).build();
    JsonNode doc = XrayApi.MAPPER.readTree(XrayJson.trace(new Trace(trace, List.of(gcp)), STREAMED)
        .path("Segments").get(0).path("Document").asText());
    assertThat(doc.path("name").asText()).isEqualTo("gcp-app");
    assertThat(doc.has("aws")).as("ADOT sends X-Ray no aws block for a span of another cloud").isFalse();
  }
}
