package dev.kansoku.awsapi.xray;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kansoku.api.StoreAccess;
import dev.kansoku.awsapi.TestKansoku;
import dev.kansoku.model.SpanId;
import dev.kansoku.model.SpanKind;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.model.TraceId;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.Service;
import dev.kansoku.pipeline.testing.TestComponents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.xray.XRayClient;
import software.amazon.awssdk.services.xray.model.ServiceId;
import software.amazon.awssdk.services.xray.model.TraceSummary;

/**
 * A service node's {@code Type} is its segments' origin, read with the AWS SDK for Java v2: the same
 * value in GetServiceGraph, GetTraceGraph, the summaries' ServiceIds and the documents of
 * BatchGetTraces, whether the segment came with an {@code origin} (PutTraceSegments) or the origin
 * follows from an OpenTelemetry resource by the awsxray exporter's rule. A service that ran nowhere
 * X-Ray knows has no Type; inferred nodes keep theirs.
 */
class ServiceTypesSdkTest {
  private static final long NOW = Instant.now().getEpochSecond();
  private static final String EPOCH = String.format(Locale.ROOT, "%08x", NOW);
  /** Segment names and the origin each is sent with ("" for none); the first calls a DynamoDB table. */
  private static final List<List<String>> SENT = List.of(
      List.of("ecs-app", "AWS::ECS::Container"),
      List.of("ec2-app", "AWS::EC2::Instance"),
      List.of("fargate-app", "AWS::ECS::Fargate"),
      List.of("beanstalk-app", "AWS::ElasticBeanstalk::Environment"),
      List.of("eks-app", "AWS::EKS::Container"),
      List.of("lambda-fn", "AWS::Lambda::Function"),
      List.of("laptop-app", ""));

  /** Every service's expected Type (null: none), OpenTelemetry resources and inferred nodes included. */
  private static final Map<String, String> TYPES = new HashMap<>();

  private static Service service;
  private static XRayClient xray;
  private static final Map<String, String> TRACES = new HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    int port = XrayApiSdkTest.freePort();
    service = TestKansoku.start(TestKansoku.registry(new TestComponents()), """
        extensions: {kansoku: {endpoint: "127.0.0.1:%d", storage: {type: memory}}}
        """.formatted(port) + TestKansoku.PIPELINES);
    xray = XrayApiSdkTest.client(port);
    List<String> docs = new ArrayList<>();
    for (int i = 1; i <= SENT.size(); i++) {
      String name = SENT.get(i - 1).get(0);
      String origin = SENT.get(i - 1).get(1);
      String trace = "1-" + EPOCH + "-00000000000000000000e00" + i;
      TRACES.put(name, trace);
      TYPES.put(name, origin.isEmpty() ? null : origin);
      docs.add("""
          {"trace_id": "%s", "id": "e00000000000000%d", "name": "%s", "start_time": %s, "end_time": %s, %s
           "http": {"request": {"method": "GET", "url": "http://app/", "client_ip": "10.0.0.1"},
                    "response": {"status": 200}}}
          """.formatted(trace, i, name, t(i), t(i + 0.1), origin.isEmpty() ? "" : "\"origin\": \"" + origin + "\","));
    }
    // ecs-app calls a DynamoDB table; the SDK streams that subsegment on its own.
    docs.add("""
        {"type": "subsegment", "trace_id": "%s", "parent_id": "e000000000000001", "id": "e0000000000000d1",
         "name": "DynamoDB", "namespace": "aws", "start_time": %s, "end_time": %s,
         "aws": {"operation": "GetItem", "region": "us-east-1", "table_name": "rolls"}}
        """.formatted(TRACES.get("ecs-app"), t(1.01), t(1.05)));
    TYPES.put("rolls", "AWS::DynamoDB::Table");
    assertThat(xray.putTraceSegments(r -> r.traceSegmentDocuments(docs)).unprocessedTraceSegments()).isEmpty();

    // OpenTelemetry spans, as the kansoku exporter stores them: the exporter's rule reads the resource.
    var storage = service.extension(ComponentId.parse("kansoku"), StoreAccess.class).orElseThrow().storage();
    storage.spanWriter().write(List.of(
        otel("ecs-ec2-app", 20,
            Map.of("cloud.provider", "aws", "cloud.platform", "aws_ecs", "aws.ecs.launchtype", "ec2")),
        otel("gcp-app", 21, Map.of("cloud.provider", "gcp", "cloud.platform", "gcp_compute_engine"))));
    TYPES.put("ecs-ec2-app", "AWS::ECS::EC2");
    TYPES.put("gcp-app", null);
    TRACES.put("ecs-ec2-app", "1-" + EPOCH + "-00000000000000000000f020");
    TRACES.put("gcp-app", "1-" + EPOCH + "-00000000000000000000f021");
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

  private static SpanRecord otel(String name, int n, Map<String, Object> resource) {
    Map<String, Object> r = new HashMap<>(resource);
    r.put("service.name", name);
    long start = (NOW - 60 + n) * 1_000_000_000L;
    return SpanRecord.builder().traceId(TraceId.parse("1-" + EPOCH + "-00000000000000000000f0" + n))
        .spanId(new SpanId(n)).serviceName(name).name("GET /").kind(SpanKind.SERVER).startNanos(start)
        .endNanos(start + 50_000_000).resourceAttributes(r).build();
  }

  @Test
  void serviceGraph_typesEachServiceByItsOrigin() {
    var g = xray.getServiceGraph(b -> b.startTime(Instant.ofEpochSecond(NOW - 3600))
        .endTime(Instant.ofEpochSecond(NOW + 60)));
    Map<String, String> types = new HashMap<>();
    g.services().forEach(s -> types.put(s.name(), s.type()));
    assertThat(types).containsExactlyInAnyOrderEntriesOf(TYPES);
    var ecs = g.services().stream().filter(s -> s.name().equals("ecs-app")).findFirst().orElseThrow();
    var table = g.services().stream().filter(s -> s.name().equals("rolls")).findFirst().orElseThrow();
    assertThat(ecs.edges()).singleElement().satisfies(e -> {
      assertThat(e.referenceId()).isEqualTo(table.referenceId());
      assertThat(e.summaryStatistics().totalCount()).isEqualTo(1L);
    });
    assertThat(ecs.summaryStatistics().totalCount()).isEqualTo(1L);
    assertThat(ecs.summaryStatistics().okCount()).isEqualTo(1L);

    var traceGraph = xray.getTraceGraph(b -> b.traceIds(TRACES.get("fargate-app")));
    assertThat(traceGraph.services()).singleElement()
        .satisfies(s -> assertThat(s.type()).isEqualTo("AWS::ECS::Fargate"));
  }

  @Test
  void filterById_findsTheServicesOfAType() {
    assertThat(ids("service(id(type: \"AWS::ECS::Fargate\"))")).containsExactly(TRACES.get("fargate-app"));
    assertThat(ids("service(id(name: \"ecs-ec2-app\", type: \"AWS::ECS::EC2\"))"))
        .containsExactly(TRACES.get("ecs-ec2-app"));
    assertThat(ids("service(id(type: \"AWS::Lambda::Function\"))")).containsExactly(TRACES.get("lambda-fn"));
    assertThat(ids("service(id(type: \"AWS::EC2::Instance\"))")).containsExactly(TRACES.get("ec2-app"));
  }

  private static List<String> ids(String filter) {
    return xray.getTraceSummaries(b -> b.startTime(Instant.ofEpochSecond(NOW - 3600))
        .endTime(Instant.ofEpochSecond(NOW + 60)).filterExpression(filter)).traceSummaries().stream()
        .map(TraceSummary::id).sorted().toList();
  }

  @Test
  void summariesAndDocuments_sayTheSameOrigin() throws Exception {
    Map<String, TraceSummary> byId = new HashMap<>();
    xray.getTraceSummaries(b -> b.startTime(Instant.ofEpochSecond(NOW - 3600)).endTime(Instant.ofEpochSecond(NOW + 60)))
        .traceSummaries().forEach(s -> byId.put(s.id(), s));
    for (Map.Entry<String, String> e : TRACES.entrySet()) {
      String expected = TYPES.get(e.getKey());
      TraceSummary s = byId.get(e.getValue());
      assertThat(s.entryPoint()).extracting(ServiceId::name, ServiceId::type).as(e.getKey())
          .containsExactly(e.getKey(), expected);
      JsonNode doc = XrayApi.MAPPER.readTree(xray.batchGetTraces(b -> b.traceIds(e.getValue())).traces().get(0)
          .segments().get(0).document());
      assertThat(doc.path("origin").isMissingNode() ? null : doc.path("origin").asText()).as(e.getKey())
          .isEqualTo(expected);
    }
  }
}
