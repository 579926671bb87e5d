package dev.kansoku.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Exporter;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.testing.TestData;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** exporter → real Kafka → receiver, for every signal; contents equal, spans of a trace in one partition. */
@ExtendWith(KafkaBroker.class)
class KafkaRoundTripTest {
  static <T> DataConsumer<T> into(List<T> sink) {
    return data -> {
      synchronized (sink) {
        sink.add(data);
      }
    };
  }

  static void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  static List<Object> spans(List<ExportTraceServiceRequest> requests) {
    List<Object> out = new ArrayList<>();
    for (ExportTraceServiceRequest r : requests) {
      r.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> ss.getSpansList()
          .forEach(s -> out.add(List.of(rs.getResource(), ss.getScope(), s)))));
    }
    return out;
  }

  private static List<Object> metrics(List<ExportMetricsServiceRequest> requests) {
    List<Object> out = new ArrayList<>();
    for (ExportMetricsServiceRequest r : requests) {
      r.getResourceMetricsList().forEach(rm -> rm.getScopeMetricsList().forEach(sm -> sm.getMetricsList()
          .forEach(m -> out.add(List.of(rm.getResource(), sm.getScope(), m)))));
    }
    return out;
  }

  private static List<Object> logs(List<ExportLogsServiceRequest> requests) {
    List<Object> out = new ArrayList<>();
    for (ExportLogsServiceRequest r : requests) {
      r.getResourceLogsList().forEach(rl -> rl.getScopeLogsList().forEach(sl -> sl.getLogRecordsList()
          .forEach(l -> out.add(List.of(rl.getResource(), sl.getScope(), l)))));
    }
    return out;
  }

  @Test
  void allSignals_exportedAndReceived_contentsEqual() throws Exception {
    String t = KafkaBroker.unique("rt");
    String topics = "traces: {topic: " + t + "-spans}\nmetrics: {topic: " + t + "-metrics}\n"
        + "logs: {topic: " + t + "-logs, encoding: otlp_json}\n";
    Exporter exporter = new KafkaExporterFactory().create(KafkaTesting.bind(new KafkaExporterFactory(), "exporters::kafka",
        "brokers: [" + KafkaBroker.bootstrap() + "]\npartition_traces_by_id: true\n" + topics),
        KafkaTesting.context("kafka"));
    List<ExportTraceServiceRequest> gotTraces = new ArrayList<>();
    List<ExportMetricsServiceRequest> gotMetrics = new ArrayList<>();
    List<ExportLogsServiceRequest> gotLogs = new ArrayList<>();
    KafkaReceiver receiver = (KafkaReceiver) new KafkaReceiverFactory().create(
        KafkaTesting.bind(new KafkaReceiverFactory(), "receivers::kafka", "brokers: [" + KafkaBroker.bootstrap()
            + "]\ngroup_id: " + t + "\ninitial_offset: earliest\n" + topics),
        KafkaTesting.context("kafka"),
        new Consumers(Map.of(Signal.TRACES, into(gotTraces), Signal.METRICS, into(gotMetrics), Signal.LOGS,
            into(gotLogs))));
    List<ExportTraceServiceRequest> sentTraces = new ArrayList<>();
    List<ExportMetricsServiceRequest> sentMetrics = new ArrayList<>();
    List<ExportLogsServiceRequest> sentLogs = new ArrayList<>();
    try {
      exporter.start(KafkaTesting.HOST);
      long t0 = System.nanoTime();
      for (int i = 0; i < 200; i++) {
        ExportTraceServiceRequest r = TestData.traces(2, 2, 25, i * 100L);
        exporter.consumer(Signal.TRACES).consume(r);
        sentTraces.add(r);
      }
      long exportNanos = System.nanoTime() - t0;
      for (int i = 0; i < 20; i++) {
        ExportMetricsServiceRequest m = TestData.gauges(5, 10 + i);
        exporter.consumer(Signal.METRICS).consume(m);
        sentMetrics.add(m);
        ExportLogsServiceRequest l = TestData.logs(2, 1, 50, i * 100L);
        exporter.consumer(Signal.LOGS).consume(l);
        sentLogs.add(l);
      }
      long t1 = System.nanoTime();
      receiver.start(KafkaTesting.HOST);
      await("20000 spans", () -> spansOf(gotTraces) >= 20_000 && receiver.acceptedItems() >= 20_000 + 20 * 2 * 50);
      long receiveNanos = System.nanoTime() - t1;
      System.out.printf("kafka round trip: exported 20000 spans (200 requests, one message per trace) in %d ms = %.0f "
          + "spans/s; received everything in %d ms = %.0f spans/s%n", exportNanos / 1_000_000,
          20_000 / (exportNanos / 1e9), receiveNanos / 1_000_000, 20_000 / (receiveNanos / 1e9));
      await("metrics and logs", () -> sizeOf(gotMetrics) > 0 && logs(copy(gotLogs)).size() >= 2000
          && metrics(copy(gotMetrics)).size() >= 100);
      assertThat(spans(copy(gotTraces))).containsExactlyInAnyOrderElementsOf(spans(sentTraces));
      assertThat(metrics(copy(gotMetrics))).containsExactlyInAnyOrderElementsOf(metrics(sentMetrics));
      assertThat(logs(copy(gotLogs))).containsExactlyInAnyOrderElementsOf(logs(sentLogs));
      // Merged per poll: far fewer downstream calls than the 20000 per-trace messages.
      assertThat(sizeOf(gotTraces)).isLessThan(200);
    } finally {
      receiver.shutdown();
      exporter.shutdown();
    }
  }

  @Test
  void partitionTracesById_spansOfOneTrace_inOnePartition() throws Exception {
    String topic = KafkaBroker.unique("by-trace");
    Exporter exporter = new KafkaExporterFactory().create(KafkaTesting.bind(new KafkaExporterFactory(),
        "exporters::kafka", "brokers: [" + KafkaBroker.bootstrap() + "]\npartition_traces_by_id: true\n"
            + "traces: {topic: " + topic + "}\n"), KafkaTesting.context("kafka"));
    try {
      exporter.start(KafkaTesting.HOST);
      for (int i = 0; i < 5; i++) {
        ExportTraceServiceRequest.Builder r = TestData.traces(1, 1, 16, i * 100L).toBuilder();
        for (ResourceSpans.Builder rs : r.getResourceSpansBuilderList()) {
          rs.getScopeSpansBuilder(0).getSpansBuilderList().forEach(s -> s.setTraceId(TestData.traceId(s.getName()
              .hashCode() & 7)));
        }
        exporter.consumer(Signal.TRACES).consume(r.build());
      }
    } finally {
      exporter.shutdown();
    }
    Map<String, Set<Integer>> partitionsByTrace = new HashMap<>();
    int spans = 0;
    try (KafkaConsumer<byte[], byte[]> plain = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrap()), new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> parts = plain.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      plain.assign(parts);
      plain.seekToBeginning(parts);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (spans < 80 && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> rec : plain.poll(Duration.ofMillis(200))) {
          ExportTraceServiceRequest r = ExportTraceServiceRequest.parseFrom(rec.value());
          for (Object o : spans(List.of(r))) {
            io.opentelemetry.proto.trace.v1.Span s = (io.opentelemetry.proto.trace.v1.Span) ((List<?>) o).get(2);
            String id = java.util.HexFormat.of().formatHex(s.getTraceId().toByteArray());
            assertThat(new String(rec.key(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(id);
            partitionsByTrace.computeIfAbsent(id, k -> new HashSet<>()).add(rec.partition());
            spans++;
          }
        }
      }
    }
    assertThat(spans).isEqualTo(80);
    assertThat(partitionsByTrace).hasSize(8).allSatisfy((id, p) -> assertThat(p).as(id).hasSize(1));
    assertThat(partitionsByTrace.values().stream().flatMap(Set::stream).distinct().count()).isGreaterThan(1);
  }

  private static <T> List<T> copy(List<T> list) {
    synchronized (list) {
      return new ArrayList<>(list);
    }
  }

  private static int sizeOf(List<?> list) {
    synchronized (list) {
      return list.size();
    }
  }

  private static int spansOf(List<ExportTraceServiceRequest> list) {
    return copy(list).stream().mapToInt(Signal.TRACES::count).sum();
  }
}
