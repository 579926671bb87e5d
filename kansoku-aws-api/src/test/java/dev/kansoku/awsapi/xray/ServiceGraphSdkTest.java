package dev.kansoku.awsapi.xray;

import static dev.kansoku.awsapi.xray.XrayApiSdkTest.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.kansoku.api.StoreAccess;
import dev.kansoku.aws.xrayreceiver.AwsXrayReceiverFactory;
import dev.kansoku.awsapi.TestKansoku;
import dev.kansoku.model.TraceId;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.Service;
import dev.kansoku.pipeline.config.ConfigLoader;
import dev.kansoku.pipeline.config.ConfigSource;
import dev.kansoku.pipeline.testing.TestComponents;
import dev.kansoku.store.Storage;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.xray.XRayClient;
import software.amazon.awssdk.services.xray.model.Edge;
import software.amazon.awssdk.services.xray.model.GetServiceGraphResponse;
import software.amazon.awssdk.services.xray.model.ServiceId;

/**
 * The service map of X-Ray SDK traffic through both doors, read with the AWS SDK for Java v2: the
 * SDKs stream subsegments as documents of their own (before their segment), and those must neither
 * become services nor hide the DynamoDB table and remote host they called, which X-Ray infers as
 * nodes typed {@code AWS::DynamoDB::Table} and {@code remote}.
 */
class ServiceGraphSdkTest {
  private static final long NOW = Instant.now().getEpochSecond();
  private static final String EPOCH = String.format(Locale.ROOT, "%08x", NOW);
  private static final String HTTP_TRACE = "1-" + EPOCH + "-00000000000000000000d001";
  private static final String UDP_TRACE = "1-" + EPOCH + "-00000000000000000000d002";

  private static Service service;
  private static Storage storage;
  private static XRayClient xray;

  @BeforeAll
  static void start() throws Exception {
    int port = freePort();
    int udpPort;
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      udpPort = s.getLocalPort();
    }
    var registry = TestKansoku.registry(new TestComponents(), new AwsXrayReceiverFactory());
    String yaml = """
        extensions: {kansoku: {endpoint: "127.0.0.1:%d", storage: {type: memory}}}
        receivers: {awsxray: {endpoint: "127.0.0.1:%d"}}
        service: {pipelines: {traces: {receivers: [kansoku, awsxray]}}}
        """.formatted(port, udpPort);
    service = Service.create(new ConfigLoader(registry).load(ConfigSource.load(
        List.of("yaml:" + TestKansoku.PIPELINES, "yaml:" + yaml), n -> null)), registry);
    service.start();
    storage = service.extension(ComponentId.parse("kansoku"), StoreAccess.class).orElseThrow().storage();
    xray = XrayApiSdkTest.client(port);

    // scorekeep through PutTraceSegments: the subsegments in one call, the segment in the next.
    assertThat(xray.putTraceSegments(r -> r.traceSegmentDocuments(
        dynamoDb(HTTP_TRACE, "d100000000000001", "d100000000000002", "scorekeep-state"),
        remote(HTTP_TRACE, "d100000000000001", "d100000000000003"))).unprocessedTraceSegments()).isEmpty();
    assertThat(xray.putTraceSegments(r -> r.traceSegmentDocuments(
        segment(HTTP_TRACE, "d100000000000001", "scorekeep"))).unprocessedTraceSegments()).isEmpty();
    // scorekeep-worker through the daemon port, in the same order.
    udp(udpPort, dynamoDb(UDP_TRACE, "d200000000000001", "d200000000000002", "scorekeep-jobs"),
        remote(UDP_TRACE, "d200000000000001", "d200000000000003"),
        segment(UDP_TRACE, "d200000000000001", "scorekeep-worker"));
    awaitSpans(UDP_TRACE, 3);
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

  @Test
  void getServiceGraph_infersTheTableAndTheHost_withoutPhantomServices() {
    GetServiceGraphResponse g = xray.getServiceGraph(b -> b.startTime(Instant.ofEpochSecond(NOW - 3600))
        .endTime(Instant.ofEpochSecond(NOW + 60)));
    assertThat(g.services()).extracting(s -> s.name(), s -> s.type(), s -> s.root())
        .containsExactlyInAnyOrder(
            tuple("scorekeep", "AWS::ECS::Container", true),
            tuple("scorekeep-worker", "AWS::ECS::Container", true),
            tuple("scorekeep-state", "AWS::DynamoDB::Table", false),
            tuple("scorekeep-jobs", "AWS::DynamoDB::Table", false),
            tuple("api.example.com", "remote", false));
    var byName = g.services().stream().collect(Collectors.toMap(s -> s.name(), s -> s));
    assertThat(byName.get("scorekeep").edges()).extracting(Edge::referenceId).containsExactlyInAnyOrder(
        byName.get("scorekeep-state").referenceId(), byName.get("api.example.com").referenceId());
    assertThat(byName.get("scorekeep-worker").edges()).extracting(Edge::referenceId).containsExactlyInAnyOrder(
        byName.get("scorekeep-jobs").referenceId(), byName.get("api.example.com").referenceId());
    var table = byName.get("scorekeep-state");
    assertThat(table.summaryStatistics().totalCount()).isEqualTo(1L);
    assertThat(table.summaryStatistics().totalResponseTime())
        .isCloseTo(0.04, org.assertj.core.data.Offset.offset(1e-3));
    assertThat(table.state()).isEqualTo("unknown");
  }

  @Test
  void getTraceGraph_showsTheTableWithItsType() {
    var g = xray.getTraceGraph(b -> b.traceIds(UDP_TRACE));
    assertThat(g.services()).extracting(s -> s.name(), s -> s.type()).containsExactlyInAnyOrder(
        tuple("scorekeep-worker", "AWS::ECS::Container"), tuple("scorekeep-jobs", "AWS::DynamoDB::Table"),
        tuple("api.example.com", "remote"));
    var byName = g.services().stream().collect(Collectors.toMap(s -> s.name(), s -> s));
    assertThat(byName.get("scorekeep-worker").edges()).extracting(Edge::referenceId)
        .contains(byName.get("scorekeep-jobs").referenceId());
  }

  @Test
  void traceSummaries_nameOnlyTheSegmentsService() {
    var summaries = xray.getTraceSummaries(b -> b.startTime(Instant.ofEpochSecond(NOW - 3600))
        .endTime(Instant.ofEpochSecond(NOW + 60))).traceSummaries();
    Map<String, List<String>> services = summaries.stream().collect(Collectors.toMap(s -> s.id(),
        s -> s.serviceIds().stream().map(ServiceId::name).toList()));
    assertThat(services).containsExactlyInAnyOrderEntriesOf(Map.of(
        HTTP_TRACE, List.of("scorekeep"), UDP_TRACE, List.of("scorekeep-worker")));
    assertThat(storage.names().services()).containsExactly("scorekeep", "scorekeep-worker");
    // Filter expressions see the segment's service, whichever door the subsegments came by.
    assertThat(ids("edge(\"scorekeep\", \"scorekeep-state\")")).containsExactly(HTTP_TRACE);
    assertThat(ids("service(\"scorekeep\")")).containsExactly(HTTP_TRACE);
    assertThat(ids("service(\"scorekeep-worker\")")).containsExactly(UDP_TRACE);
    assertThat(ids("service(\"DynamoDB\")")).isEmpty();
    assertThat(ids("service(\"api.example.com\")")).isEmpty();
    assertThat(ids("service(\"scorekeep-worker\") { http.status = 200 } AND NOT service(\"DynamoDB\")"))
        .containsExactly(UDP_TRACE);
  }

  private static List<String> ids(String filter) {
    return xray.getTraceSummaries(b -> b.startTime(Instant.ofEpochSecond(NOW - 3600))
        .endTime(Instant.ofEpochSecond(NOW + 60)).filterExpression(filter)).traceSummaries().stream()
        .map(s -> s.id()).sorted().toList();
  }

  private static String t(double offsetSeconds) {
    return String.format(Locale.ROOT, "%.6f", NOW - 60 + offsetSeconds);
  }

  private static String segment(String trace, String id, String name) {
    return """
        {"trace_id": "%s", "id": "%s", "name": "%s", "start_time": %s, "end_time": %s, "origin": "AWS::ECS::Container",
         "http": {"request": {"method": "POST", "url": "http://scorekeep/api/move", "client_ip": "10.0.0.1"},
                  "response": {"status": 200}}}
        """.formatted(trace, id, name, t(0), t(0.2));
  }

  /** A DynamoDB call sent alone, as the X-Ray SDK for Java streams it. */
  private static String dynamoDb(String trace, String parent, String id, String table) {
    return """
        {"type": "subsegment", "trace_id": "%s", "parent_id": "%s", "id": "%s", "name": "DynamoDB",
         "namespace": "aws", "start_time": %s, "end_time": %s,
         "aws": {"operation": "PutItem", "region": "us-east-1", "table_name": "%s", "request_id": "R1"},
         "http": {"response": {"status": 200}}}
        """.formatted(trace, parent, id, t(0.05), t(0.09), table);
  }

  /** An HTTP call to an uninstrumented host, sent alone. */
  private static String remote(String trace, String parent, String id) {
    return """
        {"type": "subsegment", "trace_id": "%s", "parent_id": "%s", "id": "%s", "name": "api.example.com",
         "namespace": "remote", "start_time": %s, "end_time": %s,
         "http": {"request": {"method": "GET", "url": "https://api.example.com/health"}, "response": {"status": 200}}}
        """.formatted(trace, parent, id, t(0.1), t(0.15));
  }

  private static void udp(int port, String... documents) throws Exception {
    try (DatagramSocket socket = new DatagramSocket()) {
      for (String doc : documents) {
        byte[] data = ("{\"format\": \"json\", \"version\": 1}\n" + doc).getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(data, data.length, InetAddress.getLoopbackAddress(), port));
      }
    }
  }

  /** UDP has no answer: waits until the trace holds {@code n} spans. */
  private static void awaitSpans(String trace, int n) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (storage.traceReader().trace(TraceId.parse(trace)).map(x -> x.spans().size()).orElse(0) < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("trace " + trace + " not stored with " + n + " spans within 10 s");
      }
      Thread.sleep(20);
    }
  }
}
