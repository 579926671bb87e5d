package dev.kansoku.kafka;

import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Validatable;
import dev.kansoku.pipeline.config.RetrySettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.Nullable;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * {@code kafka} receiver, with the keys of the collector's kafkareceiver.
 *
 * <p>What we promise, and the defaults that differ from the collector's because of it:
 * <ul>
 *   <li>Offsets are committed only after the pipeline accepted the records
 *       ({@code message_marking::after} defaults to true; the collector's default, false, commits
 *       before the pipeline runs and loses a batch the store then refuses).
 *   <li>A retryable refusal (store down, memory limit) never skips records: the same records are
 *       offered again after a backoff ({@code error_backoff}), without committing, so Kafka holds the
 *       backlog until the store is back. {@code message_marking::on_error: true} lets a batch go
 *       after {@code error_backoff::max_elapsed_time} instead (data loss by choice).
 *   <li>A permanent refusal or an undecodable message is logged, counted and committed
 *       ({@code on_permanent_error} defaults to true); retrying cannot make it succeed.
 * </ul>
 */
final class KafkaReceiverConfig extends KafkaClientSettings implements Validatable {
  /** Topic of every signal that does not name its own (older form). Example: otlp_spans. */
  String topic = "";
  /** Encoding of every signal that does not name its own: otlp_proto or otlp_json. */
  String encoding = "";
  /** Per-signal topics and encoding. Example: {@code traces: {topics: [otlp_spans]}}. */
  SignalSettings traces = new SignalSettings();
  SignalSettings metrics = new SignalSettings();
  SignalSettings logs = new SignalSettings();
  /** Consumer group; every ingester of one cluster uses the same. Example: kansoku-ingest. */
  String groupId = "otel-collector";
  /** Where a group without committed offsets starts: latest or earliest. */
  String initialOffset = "latest";
  /** The group drops a member silent this long. Example: 10s. */
  Duration sessionTimeout = Duration.ofSeconds(10);
  /** Example: 3s. */
  Duration heartbeatInterval = Duration.ofSeconds(3);
  /** Static group membership: a restart with the same id keeps its partitions. Example: ingester-1. */
  String groupInstanceId = "";
  /** Rack of this client, for fetching from the nearest replica (client.rack). Example: use1-az1. */
  String rackId = "";
  /** Smallest fetch the broker waits for, in bytes. */
  int minFetchSize = 1;
  /** Largest fetch in bytes; 0 means the Kafka client's default (50 MiB). */
  int maxFetchSize;
  /** Longest the broker holds a fetch waiting for min_fetch_size. Example: 250ms. */
  Duration maxFetchWait = Duration.ofMillis(250);
  /** Largest fetch per partition, in bytes; a larger message is still returned alone. */
  int maxPartitionFetchSize = 1_048_576;
  AutoCommit autocommit = new AutoCommit();
  MessageMarking messageMarking = new MessageMarking();
  /** Waits between offers of records the pipeline refused retryably. */
  RetrySettings errorBackoff = defaultBackoff();

  static final class SignalSettings {
    /** One topic (older form). Example: otlp_spans. */
    String topic = "";
    /** Topics. Example: [otlp_spans]. */
    List<String> topics = new ArrayList<>();
    /** Example: otlp_json. */
    String encoding = "";
  }

  /**
   * {@code autocommit}: offsets are always committed by Kansoku, and only for accepted records;
   * enable says whether that happens in the background every interval (fewer round trips) or
   * synchronously after every accepted batch.
   */
  static final class AutoCommit {
    boolean enable = true;
    /** Example: 1s. */
    Duration interval = Duration.ofSeconds(1);
  }

  static final class MessageMarking {
    /** Commit after the pipeline accepted (true) or before offering the records (false: at most once). */
    boolean after = true;
    /** Let records go after a retryable refusal outlasts error_backoff::max_elapsed_time. */
    boolean onError;
    /** Let records go after a permanent refusal; false retries them like retryable ones. */
    @Nullable Boolean onPermanentError;

    boolean skipPermanent() {
      return onPermanentError == null || onPermanentError;
    }
  }

  private static RetrySettings defaultBackoff() {
    RetrySettings r = new RetrySettings();
    r.initialInterval = Duration.ofSeconds(1);
    r.maxInterval = Duration.ofSeconds(30);
    r.maxElapsedTime = Duration.ZERO;
    return r;
  }

  @Override
  public void validate() {
    List<String> problems = new ArrayList<>();
    validateClient(problems);
    Map<String, Signal<?>> owner = new TreeMap<>();
    for (Signal<?> s : Signal.ALL) {
      SignalSettings own = settings(s);
      if (!own.topic.isEmpty() && !own.topics.isEmpty()) {
        problems.add(s.name() + ": topic and topics cannot both be set (expected: topics)");
      }
      if (topics(s).stream().anyMatch(String::isBlank)) {
        problems.add(s.name() + "::topics: an empty topic name (expected: topic names)");
      }
      if (topics(s).stream().anyMatch(t -> t.startsWith("^"))) {
        problems.add(s.name() + "::topics: regular expressions are not supported by Kansoku (expected: topic names)");
      }
      try {
        encoding(s);
      } catch (IllegalArgumentException e) {
        problems.add((own.encoding.isEmpty() ? "encoding" : s.name() + "::encoding") + ": " + e.getMessage());
      }
    }
    if (!List.of("latest", "earliest").contains(initialOffset)) {
      problems.add("initial_offset: \"" + initialOffset + "\" (expected: latest or earliest)");
    }
    if (groupId.isBlank()) {
      problems.add("group_id: empty (expected: a consumer group name such as otel-collector)");
    }
    if (!positive(sessionTimeout) || !positive(heartbeatInterval)) {
      problems.add("session_timeout and heartbeat_interval: expected > 0");
    } else if (heartbeatInterval.compareTo(sessionTimeout) >= 0) {
      problems.add("heartbeat_interval: " + heartbeatInterval + " (expected: < session_timeout " + sessionTimeout + ")");
    }
    if (minFetchSize < 1 || maxFetchSize < 0 || maxPartitionFetchSize < 1) {
      problems.add("min_fetch_size, max_partition_fetch_size: expected >= 1; max_fetch_size: expected >= 0");
    }
    if (maxFetchWait.isNegative()) {
      problems.add("max_fetch_wait: " + maxFetchWait + " (expected: >= 0)");
    }
    if (!positive(autocommit.interval)) {
      problems.add("autocommit::interval: " + autocommit.interval + " (expected: > 0)");
    }
    try {
      errorBackoff.validate();
    } catch (IllegalArgumentException e) {
      problems.add("error_backoff: " + e.getMessage().replace("retry_on_failure::", ""));
    }
    if (errorBackoff.initialInterval.isZero() && !errorBackoff.enabled) {
      problems.add("error_backoff::initial_interval: 0s (expected: > 0; retrying a refusing pipeline without a "
          + "pause only adds load)");
    }
    if (!problems.isEmpty()) {
      // distinct: a bad top-level value is found once per signal that inherits it.
      throw new IllegalArgumentException(String.join("; ", new LinkedHashSet<>(problems)));
    }
  }

  private static boolean positive(Duration d) {
    return !d.isNegative() && !d.isZero();
  }

  /** The topics of {@code signal}: its own, else the top-level topic, else the collector's default. */
  List<String> topics(Signal<?> signal) {
    SignalSettings own = settings(signal);
    if (!own.topics.isEmpty()) {
      return List.copyOf(own.topics);
    }
    if (!own.topic.isEmpty()) {
      return List.of(own.topic);
    }
    return List.of(!topic.isEmpty() ? topic : KafkaExporterConfig.defaultTopic(signal));
  }

  KafkaEncoding encoding(Signal<?> signal) {
    String own = settings(signal).encoding;
    return KafkaEncoding.of(!own.isEmpty() ? own : !encoding.isEmpty() ? encoding : "otlp_proto");
  }

  private SignalSettings settings(Signal<?> signal) {
    return signal == Signal.TRACES ? traces : signal == Signal.METRICS ? metrics : logs;
  }

  /** Consumer properties: the connection's, the group's, fetch sizes; commits are always ours. */
  Map<String, Object> consumerProperties() {
    Map<String, Object> p = new TreeMap<>(clientProperties());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, initialOffset);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) heartbeatInterval.toMillis());
    p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, minFetchSize);
    if (maxFetchSize > 0) {
      p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, maxFetchSize);
    }
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) maxFetchWait.toMillis());
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, maxPartitionFetchSize);
    if (!groupInstanceId.isEmpty()) {
      p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, groupInstanceId);
    }
    if (!rackId.isEmpty()) {
      p.put(ConsumerConfig.CLIENT_RACK_CONFIG, rackId);
    }
    return p;
  }
}
