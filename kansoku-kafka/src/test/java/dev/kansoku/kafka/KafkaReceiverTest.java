package dev.kansoku.kafka;

import static dev.kansoku.kafka.KafkaRoundTripTest.await;
import static dev.kansoku.kafka.KafkaRoundTripTest.into;
import static dev.kansoku.kafka.KafkaRoundTripTest.spans;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.testing.TestData;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The receiver commits only what the pipeline accepted; refused records are offered again, not lost. */
@ExtendWith(KafkaBroker.class)
class KafkaReceiverTest {
  /** Writes {@code n} trace messages of 10 spans each (span ids from 0), then the extra raw values. */
  private static List<ExportTraceServiceRequest> produce(String topic, int n, byte[]... extra) throws Exception {
    List<ExportTraceServiceRequest> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        KafkaBroker.bootstrap()), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < n; i++) {
        ExportTraceServiceRequest r = TestData.traces(1, 1, 10, i * 10L);
        p.send(new ProducerRecord<>(topic, r.toByteArray())).get();
        sent.add(r);
      }
      for (byte[] v : extra) {
        p.send(new ProducerRecord<>(topic, v)).get();
      }
    }
    return sent;
  }

  /** The sum of the group's committed offsets: the number of records it has marked as read. */
  private static long committed(String group) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrap()))) {
      return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
          .filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
    }
  }

  private static KafkaReceiver receiver(String topic, String group, DataConsumer<ExportTraceServiceRequest> next)
      throws Exception {
    KafkaReceiver r = (KafkaReceiver) new KafkaReceiverFactory().create(KafkaTesting.bind(new KafkaReceiverFactory(),
        "receivers::kafka", "brokers: [" + KafkaBroker.bootstrap() + "]\ngroup_id: " + group
            + "\ninitial_offset: earliest\ntraces: {topic: " + topic + "}\nautocommit: {interval: 100ms}\n"
            + "error_backoff: {initial_interval: 50ms, max_interval: 200ms}\n"),
        KafkaTesting.context("kafka"), new Consumers(Map.of(Signal.TRACES, next)));
    r.start(KafkaTesting.HOST);
    return r;
  }

  @Test
  void retryableRefusals_sameRecordsOfferedAgain_committedOnlyAfterAcceptance() throws Exception {
    String topic = KafkaBroker.unique("retry");
    List<ExportTraceServiceRequest> sent = produce(topic, 10);
    AtomicInteger calls = new AtomicInteger();
    List<Long> committedWhileRefusing = new ArrayList<>();
    List<ExportTraceServiceRequest> got = new ArrayList<>();
    DataConsumer<ExportTraceServiceRequest> accept = into(got);
    KafkaReceiver r = receiver(topic, topic, data -> {
      int n = calls.incrementAndGet();
      if (n <= 3) {
        if (n == 3) {
          try {
            committedWhileRefusing.add(committed(topic));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
        throw ConsumeException.unavailable("store down (test)", null, null);
      }
      accept.consume(data);
    });
    try {
      await("acceptance after 3 refusals", () -> r.acceptedItems() == 100);
      await("commit", () -> {
        try {
          return committed(topic) == 10;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
    } finally {
      r.shutdown();
    }
    assertThat(r.retries()).isEqualTo(3);
    assertThat(r.droppedItems()).isZero();
    assertThat(spans(got)).containsExactlyInAnyOrderElementsOf(spans(sent));
    assertThat(committedWhileRefusing).containsExactly(0L);
  }

  @Test
  void permanentRefusalAndUndecodableMessage_skippedCountedCommitted() throws Exception {
    String topic = KafkaBroker.unique("permanent");
    produce(topic, 5, "not protobuf".getBytes(StandardCharsets.UTF_8));
    KafkaReceiver r = receiver(topic, topic, data -> {
      throw ConsumeException.permanent("rejected (test)", null);
    });
    try {
      await("drop", () -> r.droppedItems() == 50 && r.undecodableMessages() == 1);
      await("commit of all 6 records", () -> {
        try {
          return committed(topic) == 6;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
    } finally {
      r.shutdown();
    }
    assertThat(r.retries()).isZero();
    assertThat(r.acceptedItems()).isZero();
  }

  @Test
  void receiverClosedBeforeAcceptance_nextMemberOfGroupGetsTheRecords() throws Exception {
    String topic = KafkaBroker.unique("handover");
    List<ExportTraceServiceRequest> sent = produce(topic, 5);
    AtomicInteger refused = new AtomicInteger();
    KafkaReceiver first = receiver(topic, topic, data -> {
      refused.incrementAndGet();
      throw ConsumeException.overloaded("memory limit (test)", java.time.Duration.ofMillis(50));
    });
    try {
      await("a refusal", () -> refused.get() >= 2);
    } finally {
      first.shutdown();
    }
    assertThat(committed(topic)).isZero();
    assertThat(first.acceptedItems()).isZero();
    List<ExportTraceServiceRequest> got = new ArrayList<>();
    KafkaReceiver second = receiver(topic, topic, into(got));
    try {
      await("the records again", () -> second.acceptedItems() == 50);
      await("commit", () -> {
        try {
          return committed(topic) == 5;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
    } finally {
      second.shutdown();
    }
    assertThat(spans(got)).containsExactlyInAnyOrderElementsOf(spans(sent));
  }
}
