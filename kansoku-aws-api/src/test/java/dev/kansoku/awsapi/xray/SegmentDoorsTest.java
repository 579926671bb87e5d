package dev.kansoku.awsapi.xray;

import static dev.kansoku.awsapi.xray.XrayApiSdkTest.EPOCH;
import static dev.kansoku.awsapi.xray.XrayApiSdkTest.freePort;
import static dev.kansoku.awsapi.xray.XrayApiSdkTest.t;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kansoku.api.StoreAccess;
import dev.kansoku.aws.xrayreceiver.AwsXrayReceiverFactory;
import dev.kansoku.awsapi.TestKansoku;
import dev.kansoku.model.SpanEvent;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.model.StatusCode;
import dev.kansoku.model.TraceId;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.Service;
import dev.kansoku.pipeline.config.ConfigLoader;
import dev.kansoku.pipeline.config.ConfigSource;
import dev.kansoku.pipeline.testing.TestComponents;
import dev.kansoku.store.Storage;
import dev.kansoku.store.Trace;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.xray.XRayClient;

/**
 * X-Ray data has two doors, the {@code awsxray} receiver's UDP port (the X-Ray daemon) and
 * PutTraceSegments (the AWS SDK for Java v2 here); both feed the same traces pipeline and must store
 * the same documents identically. Each document is sent through each door under its own trace id,
 * and what the store returns is compared with nothing but the trace id normalised.
 */
class SegmentDoorsTest {
  private static final TraceId SAME = TraceId.parse("1-00000000-000000000000000000000001");

  private static Service service;
  private static Storage storage;
  private static XRayClient xray;
  private static int udpPort;

  @BeforeAll
  static void start() throws Exception {
    int port = freePort();
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

  private static String traceId(String door, int n) {
    return "1-" + EPOCH + "-" + door + String.format("%023d", n);
  }

  /** An in-progress segment: start time only, as SDKs send a long request they are still serving. */
  private static String inProgress(String traceId) {
    return """
        {"trace_id": "%s", "id": "a000000000000001", "name": "slow-job", "start_time": %s, "in_progress": true,
         "aws": {"xray": {"sdk": "X-Ray for Java", "sdk_version": "2.18.2"}}}
        """.formatted(traceId, t(1));
  }

  /** The same segment once complete, replacing the in-progress one. */
  private static String completed(String traceId) {
    return """
        {"trace_id": "%s", "id": "a000000000000001", "name": "slow-job", "start_time": %s, "end_time": %s,
         "aws": {"xray": {"sdk": "X-Ray for Java", "sdk_version": "2.18.2"}}}
        """.formatted(traceId, t(1), t(3));
  }

  /**
   * Nested subsegments; the failing call's cause holds the exception, its parents point at it by
   * exception id.
   */
  private static String nested(String traceId) {
    return """
        {"trace_id": "%1$s", "id": "b000000000000001", "name": "dice-server", "start_time": %2$s, "end_time": %3$s,
         "fault": true, "cause": "e1e1e1e1e1e1e1e1",
         "http": {"request": {"method": "GET", "url": "http://localhost:8080/rolldice", "client_ip": "10.0.0.1"},
                  "response": {"status": 500}},
         "annotations": {"player": "alice", "round": 3}, "metadata": {"dice": {"sides": 6}},
         "subsegments": [{"id": "b000000000000002", "name": "roll", "start_time": %4$s, "end_time": %5$s,
           "fault": true, "cause": "e1e1e1e1e1e1e1e1",
           "subsegments": [{"id": "b000000000000003", "name": "dice-store", "namespace": "remote",
             "start_time": %6$s, "end_time": %7$s, "fault": true,
             "http": {"request": {"method": "GET", "url": "http://dice-store:8081/roll"}, "response": {"status": 503}},
             "cause": {"working_directory": "/app", "exceptions": [{"id": "e1e1e1e1e1e1e1e1", "type":
               "java.io.IOException", "message": "dice-store unavailable", "remote": true,
               "stack": [{"path": "DiceStore.java", "line": 42, "label": "DiceStore.roll"}]}]}}]}]}
        """.formatted(traceId, t(10), t(10.3), t(10.01), t(10.2), t(10.02), t(10.19));
  }

  /** A subsegment sent on its own, after its parent (roll) was. */
  private static String independent(String traceId) {
    return """
        {"type": "subsegment", "trace_id": "%s", "parent_id": "b000000000000002", "id": "b000000000000004",
         "name": "cache", "namespace": "remote", "start_time": %s, "end_time": %s,
         "annotations": {"hit": false}, "metadata": {"debug": {"keys": [1, 2]}}}
        """.formatted(traceId, t(10.03), t(10.04));
  }

  @Test
  void sameDocuments_storedIdenticallyThroughBothDoors() throws Exception {
    String udpA = traceId("a", 1);
    String httpA = traceId("b", 1);
    String udpB = traceId("a", 2);
    String httpB = traceId("b", 2);
    udp(inProgress(udpA), nested(udpB), independent(udpB));
    assertThat(xray.putTraceSegments(b -> b.traceSegmentDocuments(inProgress(httpA), nested(httpB),
        independent(httpB))).unprocessedTraceSegments()).isEmpty();

    List<SpanRecord> a = await(udpA, spans -> spans.size() == 1);
    List<SpanRecord> b = await(udpB, spans -> spans.size() == 4);
    assertThat(a).isEqualTo(stored(httpA));
    assertThat(b).isEqualTo(stored(httpB));

    // What both stored: the in-progress segment ends where it starts, and says it is in progress.
    SpanRecord slow = a.get(0);
    assertThat(slow.endNanos()).isEqualTo(slow.startNanos());
    assertThat(slow.attributes()).containsEntry("aws.xray.inprogress", true);
    assertThat(b).extracting(s -> s.spanId().toString(), SpanRecord::name).containsExactly(
        org.assertj.core.groups.Tuple.tuple("b000000000000001", "dice-server"),
        org.assertj.core.groups.Tuple.tuple("b000000000000002", "roll"),
        org.assertj.core.groups.Tuple.tuple("b000000000000003", "dice-store"),
        org.assertj.core.groups.Tuple.tuple("b000000000000004", "cache"));
    assertThat(b.get(0).statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(b.get(0).statusMessage()).isEqualTo("e1e1e1e1e1e1e1e1");
    assertThat(b.get(0).attributes()).containsEntry("player", "alice").containsEntry("round", 3L);
    SpanEvent exception = b.get(2).events().get(0);
    assertThat(exception.name()).isEqualTo("exception");
    assertThat(exception.timeNanos()).isEqualTo(b.get(2).endNanos());
    assertThat(exception.attributes()).containsEntry("exception.type", "java.io.IOException")
        .containsEntry("aws.xray.exception.id", "e1e1e1e1e1e1e1e1")
        .containsEntry("exception.stacktrace",
            "java.io.IOException: dice-store unavailable\n\tat DiceStore.roll(DiceStore.java: 42)\n");
    assertThat(b.get(3).parentSpanId().toString()).isEqualTo("b000000000000002");
    assertThat(b.get(3).attributes()).containsEntry("aws.xray.metadata.debug", "{\"keys\":[1,2]}");

    // The complete segment replaces the in-progress one, through either door.
    udp(completed(udpA));
    xray.putTraceSegments(r -> r.traceSegmentDocuments(completed(httpA)));
    List<SpanRecord> done = await(udpA, spans -> spans.get(0).endNanos() > spans.get(0).startNanos());
    assertThat(done).isEqualTo(stored(httpA));
    assertThat(done).singleElement().satisfies(s -> {
      assertThat(s.durationNanos()).isCloseTo(2_000_000_000L, org.assertj.core.data.Offset.offset(1_000_000L));
      assertThat(s.attributes()).doesNotContainKey("aws.xray.inprogress");
    });
  }

  private static void udp(String... documents) throws Exception {
    try (DatagramSocket socket = new DatagramSocket()) {
      for (String doc : documents) {
        byte[] data = ("{\"format\": \"json\", \"version\": 1}\n" + doc).getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(data, data.length, InetAddress.getLoopbackAddress(), udpPort));
      }
    }
  }

  /** The trace's spans by span id, with the trace id made the same for every trace. */
  private static List<SpanRecord> stored(String traceId) {
    return storage.traceReader().trace(TraceId.parse(traceId)).map(Trace::spans).orElse(List.of()).stream()
        .map(s -> s.toBuilder().traceId(SAME).build())
        .sorted(Comparator.comparing(s -> s.spanId().toString()))
        .toList();
  }

  /** UDP has no answer: the spans of the trace once they satisfy {@code done}. */
  private static List<SpanRecord> await(String traceId, Predicate<List<SpanRecord>> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      List<SpanRecord> spans = stored(traceId);
      if (!spans.isEmpty() && done.test(spans)) {
        return spans;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("trace " + traceId + " not stored as expected within 10 s: " + spans);
      }
      Thread.sleep(20);
    }
  }
}
