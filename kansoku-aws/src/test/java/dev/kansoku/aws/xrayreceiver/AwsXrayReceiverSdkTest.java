package dev.kansoku.aws.xrayreceiver;

import static dev.kansoku.aws.xrayreceiver.AwsXrayReceiverTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.AWSXRayRecorderBuilder;
import com.amazonaws.xray.config.DaemonConfiguration;
import com.amazonaws.xray.emitters.Emitter;
import com.amazonaws.xray.entities.Segment;
import com.amazonaws.xray.entities.Subsegment;
import com.amazonaws.xray.strategy.sampling.AllSamplingStrategy;
import dev.kansoku.pipeline.ComponentRegistry;
import dev.kansoku.pipeline.Service;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.config.ConfigLoader;
import dev.kansoku.pipeline.config.ConfigSource;
import dev.kansoku.pipeline.testing.TestComponents;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real X-Ray SDK for Java, its UDP emitter pointed at an {@code awsxray} receiver in a running
 * service, spans checked in a capture exporter.
 */
class AwsXrayReceiverSdkTest {
  private final TestComponents components = new TestComponents();
  private final int port = Udp.freePort();
  private Service service;
  private AWSXRayRecorder recorder;

  @BeforeEach
  void startService() throws Exception {
    ComponentRegistry registry = components.registry(new AwsXrayReceiverFactory());
    service = Service.create(new ConfigLoader(registry).load(ConfigSource.load(List.of("yaml:" + """
        receivers:
          awsxray:
            endpoint: 127.0.0.1:${PORT}
            transport: udp
        exporters: {capture: }
        service:
          pipelines:
            traces: {receivers: [awsxray], exporters: [capture]}
        """), Map.of("PORT", String.valueOf(port))::get)), registry);
    service.start();

    DaemonConfiguration daemon = new DaemonConfiguration();
    daemon.setDaemonAddress("127.0.0.1:" + port);
    recorder = AWSXRayRecorderBuilder.standard()
        .withEmitter(Emitter.create(daemon))
        .withSamplingStrategy(new AllSamplingStrategy())
        .build();
  }

  @AfterEach
  void stopService() {
    service.shutdown();
  }

  @Test
  void diceServer_segmentWithSubsegment() throws Exception {
    Segment segment = recorder.beginSegment("dice-server");
    segment.putHttp("request", new LinkedHashMap<>(Map.of("method", "GET", "url",
        "http://localhost:8080/rolldice", "client_ip", "127.0.0.1", "user_agent", "curl/8.5.0")));
    segment.putAnnotation("player", "alice");
    segment.putMetadata("dice", "sides", 6);
    Subsegment roll = recorder.beginSubsegment("roll");
    roll.putAnnotation("result", 4);
    recorder.endSubsegment();
    segment.putHttp("response", new LinkedHashMap<>(Map.of("status", 200)));
    recorder.endSegment();

    TestComponents.CaptureExporter capture = components.exporter("capture");
    await(() -> capture.items(Signal.TRACES) == 2);
    List<ExportTraceServiceRequest> batches = capture.received(Signal.TRACES);
    assertThat(batches).hasSize(1);
    ResourceSpans rs = batches.get(0).getResourceSpans(0);
    Map<String, AnyValue> resource = attributes(rs.getResource().getAttributesList());
    assertThat(resource.get("service.name").getStringValue()).isEqualTo("dice-server");
    assertThat(resource.get("telemetry.sdk.name").getStringValue()).isEqualTo("X-Ray for Java");
    assertThat(resource.get("telemetry.sdk.language").getStringValue()).isEqualTo("Java");

    String xrayTraceId = segment.getTraceId().toString(); // 1-8hex-24hex
    String traceIdHex = xrayTraceId.substring(2, 10) + xrayTraceId.substring(11);
    List<Span> spans = rs.getScopeSpans(0).getSpansList();
    Span server = spans.get(0);
    Span child = spans.get(1);

    assertThat(server.getName()).isEqualTo("dice-server");
    assertThat(hex(server.getTraceId().toByteArray())).isEqualTo(traceIdHex);
    assertThat(hex(server.getSpanId().toByteArray())).isEqualTo(segment.getId());
    assertThat(server.getParentSpanId().isEmpty()).isTrue();
    assertThat(server.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(server.getEndTimeUnixNano()).isGreaterThanOrEqualTo(server.getStartTimeUnixNano());
    Map<String, AnyValue> attrs = attributes(server.getAttributesList());
    assertThat(attrs.get("http.method").getStringValue()).isEqualTo("GET");
    assertThat(attrs.get("http.url").getStringValue()).isEqualTo("http://localhost:8080/rolldice");
    assertThat(attrs.get("http.client_ip").getStringValue()).isEqualTo("127.0.0.1");
    assertThat(attrs.get("http.status_code").getIntValue()).isEqualTo(200);
    assertThat(attrs.get("player").getStringValue()).isEqualTo("alice");
    assertThat(attrs.get("aws.xray.annotations").getArrayValue().getValues(0).getStringValue()).isEqualTo("player");
    assertThat(attrs.get("aws.xray.metadata.dice").getStringValue()).isEqualTo("{\"sides\":6}");

    assertThat(child.getName()).isEqualTo("roll");
    assertThat(child.getTraceId()).isEqualTo(server.getTraceId());
    assertThat(hex(child.getSpanId().toByteArray())).isEqualTo(roll.getId());
    assertThat(child.getParentSpanId()).isEqualTo(server.getSpanId());
    assertThat(child.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_INTERNAL);
    assertThat(attributes(child.getAttributesList()).get("result").getIntValue()).isEqualTo(4);
  }

  @Test
  void garbageBetweenSegments_receiverKeepsWorking() throws Exception {
    try (Udp udp = new Udp(port)) {
      udp.send("garbage");
      udp.send(Udp.HEADER + "{not json");
      udp.send(new byte[] {0, 1, 2, '\n', 3});
    }
    recorder.beginSegment("after-garbage");
    recorder.endSegment();

    TestComponents.CaptureExporter capture = components.exporter("capture");
    await(() -> capture.items(Signal.TRACES) == 1);
    assertThat(capture.received(Signal.TRACES).get(0).getResourceSpans(0).getScopeSpans(0).getSpans(0).getName())
        .isEqualTo("after-garbage");
  }

  private static Map<String, AnyValue> attributes(List<KeyValue> kvs) {
    Map<String, AnyValue> m = new LinkedHashMap<>();
    kvs.forEach(kv -> m.put(kv.getKey(), kv.getValue()));
    return m;
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
