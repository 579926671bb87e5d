package dev.kansoku.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.Exporter;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.testing.TestData;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The exporter's failures: retryable when Kafka may take the data later, permanent when it never will. */
@ExtendWith(KafkaBroker.class)
class KafkaExporterTest {
  private static Exporter exporter(String yaml) throws Exception {
    Exporter e = new KafkaExporterFactory().create(KafkaTesting.bind(new KafkaExporterFactory(), "exporters::kafka",
        yaml), KafkaTesting.context("kafka"));
    e.start(KafkaTesting.HOST);
    return e;
  }

  /** 10 small spans and one whose name alone is {@code bigName} characters. */
  private static ExportTraceServiceRequest withBigSpan(int bigName) {
    ExportTraceServiceRequest r = TestData.traces(1, 1, 10, 0);
    ScopeSpans ss = r.getResourceSpans(0).getScopeSpans(0);
    ScopeSpans bigger = ss.toBuilder().addSpans(ss.getSpans(0).toBuilder().setName("x".repeat(bigName))).build();
    return r.toBuilder().setResourceSpans(0, r.getResourceSpans(0).toBuilder().setScopeSpans(0, bigger)).build();
  }

  @Test
  void brokerDown_retryableWithinTimeout() throws Exception {
    Exporter e = exporter("brokers: [127.0.0.1:" + KafkaBroker.freePort() + "]\ntimeout: 1s\n");
    try {
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> e.consumer(Signal.TRACES).consume(TestData.traces(1, 1, 5, 0)))
          .isInstanceOfSatisfying(ConsumeException.class, c -> {
            assertThat(c.retryable()).isTrue();
            assertThat(c.reason()).isEqualTo(ConsumeException.Reason.UNAVAILABLE);
          })
          .hasMessageStartingWith("exporter kafka: Kafka [127.0.0.1:");
      long millis = (System.nanoTime() - t0) / 1_000_000;
      assertThat(millis).isBetween(900L, 2_500L);
    } finally {
      e.shutdown();
    }
  }

  @Test
  void itemLargerThanMaxMessageBytes_permanent_restSent() throws Exception {
    String topic = KafkaBroker.unique("oversize");
    Exporter e = exporter("brokers: [" + KafkaBroker.bootstrap() + "]\ntraces: {topic: " + topic + "}\n"
        + "producer: {max_message_bytes: 2048}\n");
    try {
      assertThatThrownBy(() -> e.consumer(Signal.TRACES).consume(withBigSpan(5000)))
          .isInstanceOfSatisfying(ConsumeException.class, c -> assertThat(c.retryable()).isFalse())
          .hasMessageMatching("exporter kafka: 1 spans not sent: one alone encodes to \\d+ bytes, more than "
              + "producer::max_message_bytes 2048 \\(the rest of the batch was sent\\)");
    } finally {
      e.shutdown();
    }
  }

  @Test
  void brokerRefusesTooLarge_permanentWithHint() throws Exception {
    String topic = KafkaBroker.unique("too-large");
    // The broker's default message.max.bytes is about 1 MiB; the exporter is told it may send 3 MB.
    Exporter e = exporter("brokers: [" + KafkaBroker.bootstrap() + "]\ntraces: {topic: " + topic + "}\n"
        + "producer: {max_message_bytes: 3000000}\n");
    try {
      assertThatThrownBy(() -> e.consumer(Signal.TRACES).consume(withBigSpan(1_500_000)))
          .isInstanceOfSatisfying(ConsumeException.class, c -> assertThat(c.retryable()).isFalse())
          .hasMessageContaining("refused traces for topic \"" + topic + "\"")
          .hasMessageEndingWith("(the broker's message.max.bytes or the topic's max.message.bytes is below "
              + "producer::max_message_bytes 3000000)");
    } finally {
      e.shutdown();
    }
  }
}
