package dev.kansoku.kafka;

import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.exporterhelper.ExporterLifecycle;
import dev.kansoku.pipeline.exporterhelper.LifecycleExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kafka}: writes each batch as OTLP messages with one shared {@link KafkaProducer}
 * (thread-safe, batches records of concurrent exports into broker requests). An export returns
 * only when Kafka acknowledged every message of the batch, or fails: retryable when Kafka may take
 * it later (unreachable, timeout, leader moving), permanent when it never will (too large, not
 * authorized, invalid topic). {@link ExporterLifecycle} adds start/shutdown, queue and retry.
 */
final class KafkaExporter implements LifecycleExporter {
  private static final Logger log = LoggerFactory.getLogger(KafkaExporter.class);
  /** How long shutdown waits for messages already handed to the producer. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private final String id;
  private final KafkaExporterConfig config;
  private final ExporterLifecycle<Producer<byte[], byte[]>> lifecycle;
  private final KafkaMessages messages;
  private final long timeoutNanos;

  KafkaExporter(String id, KafkaExporterConfig config) {
    this.id = id;
    this.config = config;
    this.messages = new KafkaMessages(config.producer.maxMessageBytes);
    this.timeoutNanos = config.timeout.toNanos();
    this.lifecycle = new ExporterLifecycle<>(id, config.retryOnFailure, config.sendingQueue, this::open, this::send,
        p -> p.close(CLOSE_TIMEOUT));
  }

  private Producer<byte[], byte[]> open(Host host) {
    Producer<byte[], byte[]> producer = new KafkaProducer<>(config.producerProperties(), new ByteArraySerializer(),
        new ByteArraySerializer());
    log.info("Exporter {} writes to Kafka {} (topics {}, {}, {}; acks {})", id, config.brokers,
        config.topic(Signal.TRACES), config.topic(Signal.METRICS), config.topic(Signal.LOGS),
        config.producer.requiredAcks);
    return producer;
  }

  private <T> void send(Producer<byte[], byte[]> p, Signal<T> signal, T batch) throws ConsumeException {
    String topic = config.topic(signal);
    KafkaMessages.Result result = messages.messages(signal, batch, config.encoding(signal), keying(signal));
    long deadline = System.nanoTime() + timeoutNanos;
    List<Future<RecordMetadata>> acks = new ArrayList<>(result.messages().size());
    for (KafkaMessages.Outgoing m : result.messages()) {
      if (System.nanoTime() - deadline > 0) {
        throw ConsumeException.unavailable("exporter " + id + ": Kafka " + config.brokers + " did not take the "
            + signal + " batch within timeout " + config.timeout, null, null);
      }
      try {
        acks.add(p.send(new ProducerRecord<>(topic, m.key(), m.value())));
      } catch (RuntimeException e) {
        throw failure(signal, topic, e);
      }
    }
    for (Future<RecordMetadata> ack : acks) {
      try {
        // The producer's own delivery timeout equals ours; the margin only covers its bookkeeping.
        ack.get(Math.max(0, deadline - System.nanoTime()) + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        throw failure(signal, topic, e.getCause());
      } catch (TimeoutException e) {
        throw ConsumeException.unavailable("exporter " + id + ": Kafka " + config.brokers + " did not acknowledge the "
            + signal + " batch within timeout " + config.timeout, null, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ConsumeException.unavailable("exporter " + id + ": interrupted while waiting for Kafka", null, e);
      }
    }
    if (result.oversizeItems() > 0) {
      throw ConsumeException.permanent("exporter " + id + ": " + result.oversizeItems() + " " + signal.itemName()
          + " not sent: one alone encodes to " + result.largestOversizeBytes() + " bytes, more than "
          + "producer::max_message_bytes " + config.producer.maxMessageBytes + " (the rest of the batch was sent)",
          null);
    }
  }

  private KafkaMessages.Keying keying(Signal<?> signal) {
    if (signal == Signal.TRACES && config.partitionTracesById) {
      return KafkaMessages.Keying.TRACE_ID;
    }
    if (signal == Signal.METRICS && config.partitionMetricsByResourceAttributes
        || signal == Signal.LOGS && config.partitionLogsByResourceAttributes) {
      return KafkaMessages.Keying.RESOURCE;
    }
    return KafkaMessages.Keying.NONE;
  }

  /** The one place that decides retryable or permanent for a Kafka failure. */
  private ConsumeException failure(Signal<?> signal, String topic, Throwable e) {
    String what = "exporter " + id + ": Kafka " + config.brokers + " refused " + signal + " for topic \"" + topic + "\": ";
    if (e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException) {
      return ConsumeException.permanent(what + e.getMessage() + " (the broker's message.max.bytes or the topic's "
          + "max.message.bytes is below producer::max_message_bytes " + config.producer.maxMessageBytes + ")", e);
    }
    if (e instanceof AuthenticationException || e instanceof AuthorizationException
        || e instanceof InvalidTopicException || e instanceof UnsupportedVersionException) {
      return ConsumeException.permanent(what + e.getMessage(), e);
    }
    // Unreachable brokers, timeouts, leader elections, full buffers: Kafka may take the same data later.
    return ConsumeException.unavailable(what + e.getMessage(), null, e);
  }

  @Override
  public String toString() {
    return "KafkaExporter{" + id + " -> " + config.brokers + "}";
  }

  @Override
  public ExporterLifecycle<?> lifecycle() {
    return lifecycle;
  }
}
