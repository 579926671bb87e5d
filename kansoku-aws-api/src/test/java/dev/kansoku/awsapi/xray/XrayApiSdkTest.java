package dev.kansoku.awsapi.xray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.kansoku.awsapi.TestKansoku;
import dev.kansoku.awsapi.WriteDoors;
import dev.kansoku.model.OtlpToModel;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Service;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.config.ConfigLoader;
import dev.kansoku.pipeline.config.ConfigSource;
import dev.kansoku.pipeline.testing.TestComponents;
import dev.kansoku.store.InMemoryStorage;
import dev.kansoku.store.Storage;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.xray.XRayClient;
import software.amazon.awssdk.services.xray.model.BatchGetTracesResponse;
import software.amazon.awssdk.services.xray.model.Edge;
import software.amazon.awssdk.services.xray.model.GetSamplingRulesResponse;
import software.amazon.awssdk.services.xray.model.GetSamplingTargetsResponse;
import software.amazon.awssdk.services.xray.model.GetServiceGraphResponse;
import software.amazon.awssdk.services.xray.model.GetTraceSummariesResponse;
import software.amazon.awssdk.services.xray.model.InvalidRequestException;
import software.amazon.awssdk.services.xray.model.PutTraceSegmentsResponse;
import software.amazon.awssdk.services.xray.model.SamplingRule;
import software.amazon.awssdk.services.xray.model.SamplingStatisticsDocument;
import software.amazon.awssdk.services.xray.model.Segment;
import software.amazon.awssdk.services.xray.model.ServiceId;
import software.amazon.awssdk.services.xray.model.TraceSummary;
import software.amazon.awssdk.services.xray.model.UnprocessedTraceSegment;

/**
 * The X-Ray API as the official AWS SDK for Java v2 sees it, on a kansoku extension started from
 * YAML; PutTraceSegments reaches the store through the kansoku receiver and exporter.
 */
class XrayApiSdkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final long NOW = Instant.now().getEpochSecond();
  static final String EPOCH = String.format(Locale.ROOT, "%08x", NOW);

  // T1: dice-server, 250 ms, 200, calls dice-store; T2: 500 fault; T3: 429 throttle; T4: frontend, ok.
  static final String T1 = "1-" + EPOCH + "-00000000000000000000a001";
  static final String T2 = "1-" + EPOCH + "-00000000000000000000a002";
  static final String T3 = "1-" + EPOCH + "-00000000000000000000a003";
  static final String T4 = "1-" + EPOCH + "-00000000000000000000a004";

  private static Service service;
  private static XRayClient xray;

  @BeforeAll
  static void start() throws Exception {
    int port = freePort();
    var registry = TestKansoku.registry(new TestComponents());
    String yaml = """
        extensions: {kansoku: {endpoint: "127.0.0.1:%d", storage: {type: memory}}}
        """.formatted(port) + TestKansoku.PIPELINES;
    service = Service.create(new ConfigLoader(registry).load(ConfigSource.load(List.of("yaml:" + yaml), n -> null)),
        registry);
    service.start();
    xray = client(port);

    PutTraceSegmentsResponse put = xray.putTraceSegments(r -> r.traceSegmentDocuments(
        segment(T1, "1000000000000001", "dice-server", 10, 0.25, 200, """
            "annotations": {"player": "alice"}, "user": "alice",
            "subsegments": [{"id": "1000000000000002", "name": "dice-store", "namespace": "remote",
              "start_time": %s, "end_time": %s,
              "http": {"request": {"method": "GET", "url": "http://dice-store:8081/roll"}, "response": {"status": 200}}}],
            """.formatted(t(10.01), t(10.2))),
        """
            {"trace_id": "%s", "id": "1000000000000003", "parent_id": "1000000000000002", "name": "dice-store",
             "start_time": %s, "end_time": %s,
             "http": {"request": {"method": "GET", "url": "http://dice-store:8081/roll"}, "response": {"status": 200}}}
            """.formatted(T1, t(10.02), t(10.19)),
        segment(T2, "2000000000000001", "dice-server", 20, 0.05, 500, "\"fault\": true, \"annotations\": {\"player\": \"bob\"},"),
        segment(T3, "3000000000000001", "dice-server", 30, 0.2, 429,
            "\"error\": true, \"throttle\": true, \"annotations\": {\"player\": \"alice\"},"),
        segment(T4, "4000000000000001", "frontend", 40, 0.01, 200, "")));
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

  static XRayClient client(int port) {
    return client(port, o -> { });
  }

  static XRayClient client(int port, Consumer<ClientOverrideConfiguration.Builder> override) {
    return XRayClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.US_WEST_2)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .httpClient(ApacheHttpClient.create()).overrideConfiguration(override).build();
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Epoch seconds {@code secondsAgo} before a minute ago, as a JSON number. */
  static String t(double secondsAgo) {
    return Double.toString(NOW - 60 + secondsAgo);
  }

  static String segment(String traceId, String id, String name, double at, double seconds, int status, String extra) {
    return """
        {"trace_id": "%s", "id": "%s", "name": "%s", "start_time": %s, "end_time": %s, %s
         "origin": "AWS::EC2::Instance",
         "http": {"request": {"method": "GET", "url": "http://localhost:8080/rolldice", "client_ip": "10.0.0.1",
                              "user_agent": "curl/8"},
                  "response": {"status": %d}}}
        """.formatted(traceId, id, name, t(at), t(at + seconds), extra, status);
  }

  private static List<String> ids(String filter) {
    GetTraceSummariesResponse r = xray.getTraceSummaries(b -> b.startTime(Instant.ofEpochSecond(NOW - 3600))
        .endTime(Instant.ofEpochSecond(NOW + 60)).filterExpression(filter));
    assertThat(r.nextToken()).isNull();
    return r.traceSummaries().stream().map(TraceSummary::id).sorted().toList();
  }

  @Test
  void getTraceSummaries_filterExpressions() {
    assertThat(ids("service(\"dice-server\") AND responsetime > 0.1")).containsExactly(T1, T3);
    assertThat(ids("fault")).containsExactly(T2);
    assertThat(ids("http.status = 429")).containsExactly(T3);
    assertThat(ids("annotation.player = \"alice\"")).containsExactly(T1, T3);
    assertThat(ids("NOT fault AND service(\"dice-server\")")).containsExactly(T1, T3);
    assertThat(ids("fault OR throttle")).containsExactly(T2, T3);
    assertThat(ids("error")).containsExactly(T3);
    assertThat(ids("responsetime < 0.1 AND NOT service(\"frontend\")")).containsExactly(T2);
    assertThat(ids("http.status >= 400 AND http.status < 500")).containsExactly(T3);
    assertThat(ids("!service(\"dice-server\")")).containsExactly(T4);
    assertThat(ids("ok")).containsExactly(T1, T4);
    assertThat(ids("!ok AND NOT (annotation.player = \"bob\")")).containsExactly(T3);
    assertThat(ids("edge(\"dice-server\", \"dice-store\")")).containsExactly(T1);
    assertThat(ids("service(\"dice-server\") { fault }")).containsExactly(T2);
    assertThat(ids("user = \"alice\"")).containsExactly(T1);
    assertThat(ids("user ENDSWITH \"ice\" AND annotation.player BEGINSWITH \"al\"")).containsExactly(T1);
    assertThat(ids("annotation.player BEGINSWITH \"b\"")).containsExactly(T2);
    assertThat(ids("http.url CONTAINS \"/rolldice\" AND http.method = \"GET\" AND duration >= 0.2"))
        .containsExactly(T1, T3);
    assertThat(ids("service(id(name: \"frontend\", type: \"AWS::EC2::Instance\"))")).containsExactly(T4);
    assertThat(ids("")).containsExactly(T1, T2, T3, T4);
  }

  @Test
  void getTraceSummaries_fields() {
    GetTraceSummariesResponse r = xray.getTraceSummaries(b -> b.startTime(Instant.ofEpochSecond(NOW - 3600))
        .endTime(Instant.ofEpochSecond(NOW + 60)).filterExpression("annotation.player = \"alice\" AND ok"));
    assertThat(r.traceSummaries()).hasSize(1);
    TraceSummary s = r.traceSummaries().get(0);
    assertThat(s.id()).isEqualTo(T1);
    assertThat(s.responseTime()).isCloseTo(0.25, org.assertj.core.data.Offset.offset(0.001));
    assertThat(s.duration()).isCloseTo(0.25, org.assertj.core.data.Offset.offset(0.001));
    assertThat(s.hasFault()).isFalse();
    assertThat(s.hasError()).isFalse();
    assertThat(s.isPartial()).isFalse();
    assertThat(s.http().httpStatus()).isEqualTo(200);
    assertThat(s.http().httpMethod()).isEqualTo("GET");
    assertThat(s.http().httpURL()).isEqualTo("http://localhost:8080/rolldice");
    assertThat(s.http().clientIp()).isEqualTo("10.0.0.1");
    assertThat(s.http().userAgent()).isEqualTo("curl/8");
    assertThat(s.users()).singleElement().satisfies(u -> assertThat(u.userName()).isEqualTo("alice"));
    assertThat(s.annotations().get("player")).singleElement()
        .satisfies(a -> assertThat(a.annotationValue().stringValue()).isEqualTo("alice"));
    assertThat(s.serviceIds()).extracting(ServiceId::name).containsExactlyInAnyOrder("dice-server", "dice-store");
    assertThat(s.entryPoint().name()).isEqualTo("dice-server");
    assertThat(s.entryPoint().type()).isEqualTo("AWS::EC2::Instance");
    assertThat(r.tracesProcessedCount()).isEqualTo(1L);
    assertThat(r.approximateTime()).isNotNull();

    GetTraceSummariesResponse faulty = xray.getTraceSummaries(b -> b.startTime(Instant.ofEpochSecond(NOW - 3600))
        .endTime(Instant.ofEpochSecond(NOW + 60)).filterExpression("http.status >= 429"));
    Map<String, TraceSummary> byId = faulty.traceSummaries().stream()
        .collect(Collectors.toMap(TraceSummary::id, x -> x));
    assertThat(byId.keySet()).containsExactlyInAnyOrder(T2, T3);
    assertThat(byId.get(T2).hasFault()).isTrue();
    assertThat(byId.get(T3).hasThrottle()).isTrue();
    assertThat(byId.get(T3).hasError()).isTrue();
  }

  @Test
  void getTraceSummaries_badFilter_isInvalidRequestException() {
    assertThatThrownBy(() -> ids("service(\"dice-server\") AND"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("unexpected end of expression at offset 26")
        .satisfies(e -> assertThat(((InvalidRequestException) e).statusCode()).isEqualTo(400));
    assertThatThrownBy(() -> xray.getTraceSummaries(b -> b.startTime(Instant.ofEpochSecond(NOW))
        .endTime(Instant.ofEpochSecond(NOW - 10))))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("EndTime");
  }

  @Test
  void batchGetTraces_returnsSegmentDocuments() throws Exception {
    String unknown = "1-" + EPOCH + "-0000000000000000000ffff1";
    BatchGetTracesResponse r = xray.batchGetTraces(b -> b.traceIds(T1, T2, unknown));
    assertThat(r.unprocessedTraceIds()).containsExactly(unknown);
    assertThat(r.traces()).extracting(x -> x.id()).containsExactly(T1, T2);
    var t1 = r.traces().get(0);
    assertThat(t1.duration()).isCloseTo(0.25, org.assertj.core.data.Offset.offset(0.001));
    assertThat(t1.limitExceeded()).isFalse();
    List<JsonNode> docs = new ArrayList<>();
    for (Segment s : t1.segments()) {
      JsonNode d = JSON.readTree(s.document());
      assertThat(d.path("id").asText()).isEqualTo(s.id());
      assertThat(d.path("trace_id").asText()).isEqualTo(T1);
      docs.add(d);
    }
    // Two segments: dice-server's, with its remote call nested, and dice-store's (a segment with a parent).
    assertThat(docs).extracting(d -> d.path("id").asText()).containsExactly("1000000000000001", "1000000000000003");
    JsonNode root = docs.get(0);
    assertThat(root.path("name").asText()).isEqualTo("dice-server");
    assertThat(root.path("http").path("response").path("status").asInt()).isEqualTo(200);
    assertThat(root.path("http").path("request").path("url").asText()).isEqualTo("http://localhost:8080/rolldice");
    assertThat(root.path("annotations").path("player").asText()).isEqualTo("alice");
    assertThat(root.path("origin").asText()).isEqualTo("AWS::EC2::Instance");
    assertThat(root.path("subsegments")).singleElement().satisfies(d -> {
      assertThat(d.path("id").asText()).isEqualTo("1000000000000002");
      assertThat(d.path("namespace").asText()).isEqualTo("remote");
      assertThat(d.has("parent_id") || d.has("trace_id") || d.has("type")).isFalse();
    });
    assertThat(docs.get(1).path("name").asText()).isEqualTo("dice-store");
    assertThat(docs.get(1).path("parent_id").asText()).isEqualTo("1000000000000002");
    assertThat(xray.batchGetTraces(b -> b.traceIds(T2)).traces().get(0).segments()).singleElement()
        .satisfies(s -> assertThat(JSON.readTree(s.document()).path("fault").asBoolean()).isTrue());
  }

  @Test
  void getServiceGraph_showsDiceServerAndItsDownstreamEdge() {
    GetServiceGraphResponse g = xray.getServiceGraph(b -> b.startTime(Instant.ofEpochSecond(NOW - 3600))
        .endTime(Instant.ofEpochSecond(NOW + 60)));
    var byName = g.services().stream().collect(Collectors.toMap(s -> s.name(), s -> s));
    assertThat(byName).containsKeys("dice-server", "dice-store", "frontend");
    var dice = byName.get("dice-server");
    var store = byName.get("dice-store");
    assertThat(dice.root()).isTrue();
    assertThat(store.root()).isFalse();
    assertThat(dice.state()).isEqualTo("active");
    assertThat(dice.summaryStatistics().totalCount()).isEqualTo(3L);
    assertThat(dice.summaryStatistics().okCount()).isEqualTo(1L);
    assertThat(dice.summaryStatistics().faultStatistics().totalCount()).isEqualTo(1L);
    assertThat(dice.summaryStatistics().errorStatistics().throttleCount()).isEqualTo(1L);
    assertThat(dice.summaryStatistics().totalResponseTime()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.001));
    assertThat(dice.responseTimeHistogram()).isNotEmpty();
    assertThat(dice.edges()).singleElement().satisfies(e -> {
      assertThat(e.referenceId()).isEqualTo(store.referenceId());
      assertThat(e.summaryStatistics().totalCount()).isEqualTo(1L);
      assertThat(e.summaryStatistics().okCount()).isEqualTo(1L);
      assertThat(e.responseTimeHistogram()).extracting(h -> h.count()).containsExactly(1);
    });
    assertThat(byName.get("frontend").edges()).isEmpty();
    assertThat(g.startTime()).isEqualTo(Instant.ofEpochSecond(NOW - 3600));

    var traceGraph = xray.getTraceGraph(b -> b.traceIds(T1));
    assertThat(traceGraph.services()).extracting(s -> s.name()).containsExactlyInAnyOrder("dice-server", "dice-store");
    assertThat(traceGraph.services().stream().filter(s -> s.name().equals("dice-server")).findFirst().orElseThrow()
        .edges()).extracting(Edge::referenceId).hasSize(1);
  }

  @Test
  void sampling_defaultRuleAndTargets() {
    GetSamplingRulesResponse rules = xray.getSamplingRules(b -> { });
    assertThat(rules.nextToken()).isNull();
    SamplingRule rule = rules.samplingRuleRecords().get(0).samplingRule();
    assertThat(rule.ruleName()).isEqualTo("Default");
    assertThat(rule.priority()).isEqualTo(10000);
    assertThat(rule.fixedRate()).isEqualTo(0.05);
    assertThat(rule.reservoirSize()).isEqualTo(1);
    assertThat(rule.serviceName()).isEqualTo("*");
    assertThat(rule.ruleARN()).isEqualTo("arn:aws:xray:us-west-2::sampling-rule/Default");

    GetSamplingTargetsResponse targets = xray.getSamplingTargets(b -> b.samplingStatisticsDocuments(
        SamplingStatisticsDocument.builder().ruleName("Default").clientID("0123456789abcdef01234567")
            .timestamp(Instant.now()).requestCount(10).sampledCount(2).borrowCount(1).build(),
        SamplingStatisticsDocument.builder().ruleName("Nope").clientID("0123456789abcdef01234567")
            .timestamp(Instant.now()).requestCount(1).sampledCount(0).borrowCount(0).build()));
    assertThat(targets.samplingTargetDocuments()).singleElement().satisfies(d -> {
      assertThat(d.ruleName()).isEqualTo("Default");
      assertThat(d.fixedRate()).isEqualTo(0.05);
      assertThat(d.reservoirQuota()).isEqualTo(1);
      assertThat(d.interval()).isEqualTo(10);
      assertThat(d.reservoirQuotaTTL()).isAfter(Instant.now());
    });
    assertThat(targets.unprocessedStatistics()).singleElement()
        .satisfies(u -> assertThat(u.ruleName()).isEqualTo("Nope"));
    assertThat(targets.lastRuleModification()).isEqualTo(Instant.EPOCH);

    xray.putTelemetryRecords(b -> b.telemetryRecords(tr -> tr.timestamp(Instant.now()).segmentsReceivedCount(3))
        .hostname("h"));
  }

  @Test
  void putTraceSegments_invalidDocumentsAreUnprocessedWith200() {
    String id = "1-" + EPOCH + "-00000000000000000000b001";
    PutTraceSegmentsResponse r = xray.putTraceSegments(b -> b.traceSegmentDocuments(
        "not json",
        "{\"trace_id\": \"" + id + "\", \"id\": \"zz\", \"name\": \"x\", \"start_time\": 1, \"end_time\": 2}",
        "{\"trace_id\": \"bogus\", \"id\": \"5000000000000001\", \"name\": \"x\", \"start_time\": 1, \"end_time\": 2}",
        // a span the store could not keep: refused here, not dropped later
        "{\"trace_id\": \"" + id + "\", \"id\": \"5000000000000003\", \"name\": \"x\", \"start_time\": 2,"
            + " \"end_time\": 1}",
        "{\"trace_id\": \"" + id + "\", \"id\": \"5000000000000002\", \"name\": \"ok-one\", \"start_time\": "
            + t(50) + ", \"end_time\": " + t(51) + "}"));
    assertThat(r.unprocessedTraceSegments()).extracting(UnprocessedTraceSegment::id, UnprocessedTraceSegment::errorCode)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("", "JSONFormatError"),
            org.assertj.core.groups.Tuple.tuple("zz", "InvalidSegmentId"),
            org.assertj.core.groups.Tuple.tuple("5000000000000001", "InvalidTraceId"),
            org.assertj.core.groups.Tuple.tuple("5000000000000003", "InvalidSegment"));
    assertThat(r.unprocessedTraceSegments()).allSatisfy(u -> assertThat(u.message()).isNotBlank());
    assertThat(r.unprocessedTraceSegments().get(3).message())
        .isEqualTo("segment: not a valid span: end_time_unix_nano 1000000000 is before start_time_unix_nano"
            + " 2000000000");
    // the valid document of the same batch is stored
    assertThat(xray.batchGetTraces(b -> b.traceIds(id)).traces()).hasSize(1);
  }

  @Test
  void putTraceSegments_malformedRequestIs400() {
    assertThatThrownBy(() -> xray.putTraceSegments(b -> { }))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("TraceSegmentDocuments: missing");
  }

  @Test
  void getTraceSummaries_pagesWithNextToken() throws Exception {
    Storage storage = InMemoryStorage.builder().build();
    WriteDoors doors = new WriteDoors();
    // What the kansoku exporter does, in short: the pipeline's spans into the store.
    DataConsumer<ExportTraceServiceRequest> store = data -> storage.spanWriter().write(OtlpToModel.spans(data).items());
    doors.attach("kansoku", new Consumers(Map.of(Signal.TRACES, store)));
    ServerBuilder sb = Server.builder().http(new java.net.InetSocketAddress("127.0.0.1", 0));
    XrayApi.bind(sb, storage, doors, 2);
    Server server = sb.build();
    server.start().join();
    try (XRayClient paged = client(server.activeLocalPort())) {
      List<String> docs = new ArrayList<>();
      List<String> expected = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        String id = "1-" + EPOCH + "-00000000000000000000c00" + i;
        expected.add(id);
        // 12 minutes apart: the hour is read in slices of under a minute, so pages cross slices.
        docs.add(segment(id, "600000000000000" + i, "pager", (i - 5) * 720.0, 0.1, 200, ""));
      }
      assertThat(paged.putTraceSegments(b -> b.traceSegmentDocuments(docs)).unprocessedTraceSegments()).isEmpty();
      var request = software.amazon.awssdk.services.xray.model.GetTraceSummariesRequest.builder()
          .startTime(Instant.ofEpochSecond(NOW - 3600)).endTime(Instant.ofEpochSecond(NOW + 60)).build();
      GetTraceSummariesResponse first = paged.getTraceSummaries(request);
      assertThat(first.traceSummaries()).hasSize(2);
      assertThat(first.nextToken()).isNotNull();
      List<GetTraceSummariesResponse> pages = paged.getTraceSummariesPaginator(request).stream().toList();
      assertThat(pages).hasSize(3);
      assertThat(pages.get(2).nextToken()).isNull();
      List<String> all = pages.stream().flatMap(p -> p.traceSummaries().stream()).map(TraceSummary::id).toList();
      // newest first, every trace exactly once
      java.util.Collections.reverse(expected);
      assertThat(all).containsExactlyElementsOf(expected);
    } finally {
      server.stop().join();
      storage.close();
    }
  }
}
