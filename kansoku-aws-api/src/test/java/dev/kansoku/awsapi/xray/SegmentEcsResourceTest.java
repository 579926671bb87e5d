package dev.kansoku.awsapi.xray;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kansoku.aws.xray.XrayOptions;
import dev.kansoku.aws.xray.XraySegments;
import dev.kansoku.aws.xrayreceiver.SegmentsToSpans;
import dev.kansoku.model.OtlpToModel;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A segment that ADOT's awsxray exporter sends from an ECS task (resourcedetection's ecs detector)
 * comes back from BatchGetTraces with its origin and aws.ecs block: PutTraceSegments' spans, stored
 * and rendered as BatchGetTraces renders them.
 */
class SegmentEcsResourceTest {
  private static final String TASK = "arn:aws:ecs:us-west-2:123456789012:task/prod/6f0c1b2a9d3e4f5a8b7c6d5e4f3a2b1c";
  private static final String CLUSTER = "arn:aws:ecs:us-west-2:123456789012:cluster/prod";

  private static JsonNode roundTrip(String doc) throws Exception {
    byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
    ExportTraceServiceRequest sent = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(SegmentEcsResource.complete(SegmentsToSpans.translate(bytes, 0, bytes.length), bytes))
        .build();
    String rendered = XraySegments.translate(SpansToOtlp.request(OtlpToModel.spans(sent).items()),
        XrayOptions.DEFAULT).get(0);
    return XrayApi.MAPPER.readTree(rendered);
  }

  private static String segment(String origin, String ecs) {
    return "{\"name\":\"dice-server\",\"id\":\"70de5b6f19ff9a0a\",\"trace_id\":\"1-5f84c7a1-1c5a4b2e3d4f5a6b7c8d9e0f\","
        + "\"start_time\":1602537377.0,\"end_time\":1602537377.12,\"origin\":\"" + origin + "\","
        + "\"aws\":{\"ecs\":" + ecs + "}}";
  }

  @Test
  void fargateTask_keepsOriginAndEcsBlock() throws Exception {
    JsonNode d = roundTrip(segment("AWS::ECS::Fargate", "{\"task_arn\":\"" + TASK + "\",\"task_family\":\"dice\","
        + "\"cluster_arn\":\"" + CLUSTER + "\",\"availability_zone\":\"us-west-2b\",\"launch_type\":\"fargate\"}"));
    assertThat(d.path("origin").asText()).isEqualTo("AWS::ECS::Fargate");
    JsonNode ecs = d.path("aws").path("ecs");
    assertThat(ecs.path("task_arn").asText()).isEqualTo(TASK);
    assertThat(ecs.path("task_family").asText()).isEqualTo("dice");
    assertThat(ecs.path("cluster_arn").asText()).isEqualTo(CLUSTER);
    assertThat(ecs.path("availability_zone").asText()).isEqualTo("us-west-2b");
    assertThat(ecs.path("launch_type").asText()).isEqualTo("fargate");
  }

  @Test
  void ec2Origin_aloneGivesTheLaunchType() throws Exception {
    JsonNode d = roundTrip(segment("AWS::ECS::EC2", "{\"container\":\"dice\"}"));
    assertThat(d.path("origin").asText()).isEqualTo("AWS::ECS::EC2");
    assertThat(d.path("aws").path("ecs").path("launch_type").asText()).isEqualTo("ec2");
    assertThat(d.path("aws").path("ecs").path("container").asText()).isEqualTo("dice");
  }

  @Test
  void fargateOrigin_withoutAwsBlock_isStillFargate() throws Exception {
    // The receiver's mapping says cloud.provider "unknown" for a document without an aws block.
    JsonNode d = roundTrip("{\"name\":\"dice-server\",\"id\":\"70de5b6f19ff9a0a\","
        + "\"trace_id\":\"1-5f84c7a1-1c5a4b2e3d4f5a6b7c8d9e0f\",\"start_time\":1602537377.0,"
        + "\"end_time\":1602537377.12,\"origin\":\"AWS::ECS::Fargate\"}");
    assertThat(d.path("origin").asText()).isEqualTo("AWS::ECS::Fargate");
    assertThat(d.path("aws").path("ecs").path("launch_type").asText()).isEqualTo("fargate");
  }

  @Test
  void documentWithoutEcs_isLeftAlone() throws Exception {
    byte[] doc = ("{\"name\":\"dice-server\",\"id\":\"70de5b6f19ff9a0a\","
        + "\"trace_id\":\"1-5f84c7a1-1c5a4b2e3d4f5a6b7c8d9e0f\",\"start_time\":1602537377.0,\"end_time\":1602537377.12,"
        + "\"origin\":\"AWS::EC2::Instance\"}").getBytes(StandardCharsets.UTF_8);
    var spans = SegmentsToSpans.translate(doc, 0, doc.length);
    assertThat(SegmentEcsResource.complete(spans, doc)).isSameAs(spans);
  }
}
