package dev.kansoku.kafka;

import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Validatable;
import dev.kansoku.pipeline.config.QueueSettings;
import dev.kansoku.pipeline.config.RetrySettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * {@code kafka} exporter, with the keys of the collector's kafkaexporter. Two defaults differ from
 * the collector's, on purpose: {@code producer::required_acks} is {@code all} and
 * {@code sending_queue} is off, so that an OTLP sender is answered only once every record of its
 * request is written to Kafka's in-sync replicas (see README "Semantics").
 */
final class KafkaExporterConfig extends KafkaClientSettings implements Validatable {
  /** Topic of every signal that does not name its own (older form). Example: otlp_spans. */
  String topic = "";
  /** Encoding of every signal that does not name its own: otlp_proto or otlp_json. */
  String encoding = "";
  /** Per-signal topic and encoding (newer form). Example: {@code traces: {topic: spans}}. */
  SignalSettings traces = new SignalSettings();
  SignalSettings metrics = new SignalSettings();
  SignalSettings logs = new SignalSettings();
  /** Key each trace message by its trace id, so all spans of a trace land in one partition. */
  boolean partitionTracesById;
  /** Key each metrics message by a hash of its resource's attributes. */
  boolean partitionMetricsByResourceAttributes;
  /** Key each logs message by a hash of its resource's attributes. */
  boolean partitionLogsByResourceAttributes;
  /** How long one export may wait for Kafka (metadata, buffer space and acknowledgements). Example: 5s. */
  Duration timeout = Duration.ofSeconds(5);
  Producer producer = new Producer();
  /** Off by default: with a queue, the sender is answered before Kafka has the data. */
  QueueSettings sendingQueue = queueOff();
  /** Off by default: the Kafka client already retries within {@code timeout}; senders retry on UNAVAILABLE. */
  RetrySettings retryOnFailure = retryOff();

  static final class SignalSettings {
    /** Example: otlp_spans. Empty: the top-level topic, else otlp_spans / otlp_metrics / otlp_logs. */
    String topic = "";
    /** Example: otlp_json. Empty: the top-level encoding, else otlp_proto. */
    String encoding = "";
  }

  static final class Producer {
    /** Largest message value sent, in bytes; larger requests are split, a single larger item is refused. */
    int maxMessageBytes = 1_000_000;
    /** Acknowledgements: all (-1), 1 (the leader) or 0 (none). Example: all. */
    String requiredAcks = "all";
    /** none, gzip, snappy, lz4 or zstd. Example: zstd. */
    String compression = "none";
    /**
     * Accepted for compatibility; kafka-clients bounds a broker request by bytes (batch.size), not by
     * messages, so it has no effect.
     */
    int flushMaxMessages;
  }

  private static QueueSettings queueOff() {
    QueueSettings q = new QueueSettings();
    q.enabled = false;
    return q;
  }

  private static RetrySettings retryOff() {
    RetrySettings r = new RetrySettings();
    r.enabled = false;
    return r;
  }

  @Override
  public void validate() {
    List<String> problems = new ArrayList<>();
    validateClient(problems);
    for (Signal<?> s : Signal.ALL) {
      try {
        encoding(s);
      } catch (IllegalArgumentException e) {
        problems.add(encodingKey(s) + ": " + e.getMessage());
      }
      if (topic(s).isBlank()) {
        problems.add(s.name() + "::topic: empty (expected: a topic name)");
      }
    }
    if (timeout.isNegative() || timeout.isZero()) {
      problems.add("timeout: " + timeout + " (expected: > 0)");
    }
    if (producer.maxMessageBytes < 1024) {
      problems.add("producer::max_message_bytes: " + producer.maxMessageBytes + " (expected: >= 1024)");
    }
    if (!List.of("all", "-1", "0", "1").contains(producer.requiredAcks)) {
      problems.add("producer::required_acks: \"" + producer.requiredAcks + "\" (expected: all, -1, 0 or 1)");
    }
    if (!List.of("none", "gzip", "snappy", "lz4", "zstd").contains(producer.compression)) {
      problems.add("producer::compression: \"" + producer.compression
          + "\" (expected: none, gzip, snappy, lz4 or zstd)");
    }
    if (producer.flushMaxMessages < 0) {
      problems.add("producer::flush_max_messages: " + producer.flushMaxMessages + " (expected: >= 0)");
    }
    for (Validatable v : List.<Validatable>of(sendingQueue, retryOnFailure)) {
      try {
        v.validate();
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      // distinct: a bad top-level value is found once per signal that inherits it.
      throw new IllegalArgumentException(String.join("; ", new LinkedHashSet<>(problems)));
    }
  }

  String topic(Signal<?> signal) {
    String own = settings(signal).topic;
    return !own.isEmpty() ? own : !topic.isEmpty() ? topic : defaultTopic(signal);
  }

  KafkaEncoding encoding(Signal<?> signal) {
    String own = settings(signal).encoding;
    return KafkaEncoding.of(!own.isEmpty() ? own : !encoding.isEmpty() ? encoding : "otlp_proto");
  }

  private String encodingKey(Signal<?> signal) {
    return !settings(signal).encoding.isEmpty() ? signal.name() + "::encoding" : "encoding";
  }

  private SignalSettings settings(Signal<?> signal) {
    return signal == Signal.TRACES ? traces : signal == Signal.METRICS ? metrics : logs;
  }

  /** The collector's default topics. */
  static String defaultTopic(Signal<?> signal) {
    return signal == Signal.TRACES ? "otlp_spans" : signal == Signal.METRICS ? "otlp_metrics" : "otlp_logs";
  }

  /** Producer properties: the connection's, plus acknowledgements, compression, sizes and the time bounds. */
  Map<String, Object> producerProperties() {
    Map<String, Object> p = new TreeMap<>(clientProperties());
    String acks = producer.requiredAcks.equals("-1") ? "all" : producer.requiredAcks;
    p.put(ProducerConfig.ACKS_CONFIG, acks);
    // Idempotence needs acks=all; kafka-clients refuses the combination rather than ignoring it.
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, acks.equals("all"));
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, producer.compression);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, producer.maxMessageBytes + KafkaMessages.RECORD_OVERHEAD);
    int timeoutMs = (int) Math.min(Integer.MAX_VALUE / 2, timeout.toMillis());
    int lingerMs = 5;
    p.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
    // send() blocks on metadata and buffer space for at most this; an unreachable broker fails within timeout.
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
    // kafka-clients requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs + lingerMs);
    return p;
  }
}
