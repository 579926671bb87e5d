package dev.kansoku.aws.xrayreceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The UDP listener: framing, bad datagrams, pipeline refusals, lifecycle. */
class AwsXrayReceiverTest {
  private static final String SEGMENT = "{\"trace_id\": \"1-5f84c7a1-e7d1852db8c4fd35d88bf49a\", \"id\":"
      + " \"defdfd9912dc5a56\", \"name\": \"ok\", \"start_time\": 1716581281.25, \"end_time\": 1716581281.5}";

  private final List<ExportTraceServiceRequest> received = new CopyOnWriteArrayList<>();
  private AwsXrayReceiver receiver;

  private AwsXrayReceiver start(DataConsumer<ExportTraceServiceRequest> consumer) throws Exception {
    AwsXrayReceiverConfig config = new AwsXrayReceiverConfig();
    config.endpoint = "127.0.0.1:0";
    config.validate();
    receiver = new AwsXrayReceiver("awsxray", config, new Consumers(Map.of(Signal.TRACES, consumer)));
    receiver.start(null);
    return receiver;
  }

  @AfterEach
  void stop() {
    if (receiver != null) {
      receiver.shutdown();
    }
  }

  @Test
  void factory_tracesOnly_defaultConfigValid() {
    AwsXrayReceiverFactory f = new AwsXrayReceiverFactory();
    AwsXrayReceiverConfig config = f.createDefaultConfig();
    config.validate();

    assertThat(f.type()).isEqualTo("awsxray");
    assertThat(f.signals()).containsExactly(Signal.TRACES);
    assertThat(config.bindAddress().getPort()).isEqualTo(2000);
  }

  @Test
  void datagram_becomesOneBatch() throws Exception {
    start(received::add);
    try (Udp udp = new Udp(receiver.port())) {
      udp.send(Udp.HEADER + SEGMENT);
      await(() -> receiver.spans() == 1);
    }
    Span span = received.get(0).getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(span.getName()).isEqualTo("ok");
    assertThat(receiver.datagrams()).isEqualTo(1);
    assertThat(receiver.spans()).isEqualTo(1);
    assertThat(receiver.rejected()).isZero();
  }

  @Test
  void badDatagrams_droppedAndCounted_listenerKeepsGoing() throws Exception {
    start(received::add);
    List<String> bad = List.of(
        SEGMENT, // no header line
        "{\"format\": \"json\", \"version\": 2}\n" + SEGMENT, // unknown version
        "{\"format\": \"xml\", \"version\": 1}\n" + SEGMENT, // unknown format
        "format=json\n" + SEGMENT, // header not JSON
        Udp.HEADER, // header without a document
        Udp.HEADER + "{\"trace_id\": \"1-5f84c7a1-e7d1852db8c4fd35d88bf49a\", \"id\"", // cut short
        Udp.HEADER + "{\"trace_id\": \"1-5f84c7a1-e7d1852db8c4fd35d88bf49a\", \"name\": \"no-id\","
            + " \"start_time\": 1}",
        Udp.HEADER + "{\"id\": \"defdfd9912dc5a56\", \"name\": \"no-trace\", \"start_time\": 1}",
        Udp.HEADER + "{\"trace_id\": \"1-5f84c7a1-e7d1852db8c4fd35d88bf49a\", \"id\": \"defdfd9912dc5a56\","
            + " \"start_time\": 1}",
        Udp.HEADER + "{\"trace_id\": \"1-5f84c7a1-e7d1852db8c4fd35d88bf49a\", \"id\": \"defdfd9912dc5a56\","
            + " \"name\": \"no-start\"}",
        Udp.HEADER + SEGMENT + " trailing",
        // valid X-Ray, but spans the store would leave out: refused here as PutTraceSegments refuses them
        Udp.HEADER + SEGMENT.replace("\"end_time\": 1716581281.5", "\"end_time\": 1716581281"),
        Udp.HEADER + SEGMENT.replace("e7d1852db8c4fd35d88bf49a", "000000000000000000000000").replace("5f84c7a1",
            "00000000"));
    try (Udp udp = new Udp(receiver.port())) {
      for (String b : bad) {
        udp.send(b);
      }
      udp.send(new byte[] {(byte) 0xff, 0, '\n', (byte) 0xfe});
      udp.send(new byte[0]);
      udp.send(Udp.HEADER + SEGMENT);
      // spans() counts after the pipeline returned, so it is the last to change
      await(() -> receiver.spans() == 1 && receiver.datagrams() == bad.size() + 3);
    }
    assertThat(receiver.rejected()).isEqualTo(bad.size() + 2);
    assertThat(receiver.spans()).isEqualTo(1);
  }

  @Test
  void inProgressSegment_deliveredEndingAtItsStart() throws Exception {
    start(received::add);
    try (Udp udp = new Udp(receiver.port())) {
      udp.send(Udp.HEADER + SEGMENT.replace(", \"end_time\": 1716581281.5", ", \"in_progress\": true"));
      await(() -> received.size() == 1);
    }
    Span span = received.get(0).getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(span.getEndTimeUnixNano()).isEqualTo(span.getStartTimeUnixNano()).isEqualTo((long) (1716581281.25 * 1e9));
    assertThat(span.getAttributesList()).anySatisfy(kv -> {
      assertThat(kv.getKey()).isEqualTo("aws.xray.inprogress");
      assertThat(kv.getValue().getBoolValue()).isTrue();
    });
    assertThat(receiver.rejected()).isZero();
  }

  @Test
  void pipelineRefusal_countedNotFatal() throws Exception {
    start(data -> {
      if (received.isEmpty()) {
        received.add(data);
        throw ConsumeException.overloaded("memory_limiter: over the limit", Duration.ofSeconds(1));
      }
      received.add(data);
    });
    try (Udp udp = new Udp(receiver.port())) {
      udp.send(Udp.HEADER + SEGMENT);
      await(() -> receiver.refused() == 1);
      udp.send(Udp.HEADER + SEGMENT);
      await(() -> receiver.spans() == 1);
    }
    assertThat(received).hasSize(2);
    assertThat(receiver.rejected()).isZero();
  }

  @Test
  void shutdown_idempotent_safeWithoutStart_releasesPort() throws Exception {
    AwsXrayReceiverConfig config = new AwsXrayReceiverConfig();
    new AwsXrayReceiver("awsxray", config, new Consumers(Map.of())).shutdown();

    start(received::add);
    int port = receiver.port();
    receiver.shutdown();
    receiver.shutdown();
    assertThat(receiver.port()).isEqualTo(-1);
    try (DatagramSocket again = new DatagramSocket(port, InetAddress.getByName("127.0.0.1"))) {
      assertThat(again.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void start_portInUse_namesEndpoint() throws Exception {
    try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
      AwsXrayReceiverConfig config = new AwsXrayReceiverConfig();
      config.endpoint = "127.0.0.1:" + taken.getLocalPort();
      AwsXrayReceiver r = new AwsXrayReceiver("awsxray", config, new Consumers(Map.of()));
      assertThatThrownBy(() -> r.start(null))
          .hasMessageStartingWith("endpoint: cannot listen on udp 127.0.0.1:" + taken.getLocalPort() + ": ");
      r.shutdown();
    }
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(10);
    }
  }
}
