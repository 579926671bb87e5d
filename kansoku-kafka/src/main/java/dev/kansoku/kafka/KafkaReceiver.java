package dev.kansoku.kafka;

import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.RateLimitedLog;
import dev.kansoku.pipeline.Receiver;
import dev.kansoku.pipeline.Signal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.annotation.Nullable;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kafka}: one consumer and one poll thread per receiver. Each poll's records are decoded and
 * merged per signal into requests of at most {@link #MAX_BATCH_BYTES} (so the store sees bulk
 * writes), offered to the pipeline in order, and their offsets committed only once accepted.
 *
 * <p>A retryable refusal rewinds every partition to its first record not yet accepted (seek), pauses
 * the assignment and polls (keeping group membership) until the backoff has passed, then reads the
 * same records again. Nothing is committed for them meanwhile, so a crash or a rebalance hands them
 * to the next owner. On revocation the accepted offsets of the revoked partitions are committed
 * synchronously; lost partitions (the group moved on without us) are forgotten.
 *
 * <p>Threading: everything touching the consumer runs on the poll thread, including the rebalance
 * callbacks; {@link #shutdown} only sets a flag and calls {@link Consumer#wakeup()}.
 */
final class KafkaReceiver implements Receiver {
  private static final Logger log = LoggerFactory.getLogger(KafkaReceiver.class);
  /** Upper bound of one merged request, in encoded bytes of the Kafka messages it came from. */
  static final int MAX_BATCH_BYTES = 8 << 20;
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
  /** Longest single poll while backing off, so shutdown and the end of the backoff are noticed quickly. */
  private static final long BACKOFF_POLL_MILLIS = 100;
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
  private static final long JOIN_MILLIS = 30_000;
  /** Pause after the Kafka client failed (e.g. not authorized), before trying again. */
  private static final long FAILURE_PAUSE_MILLIS = 1_000;

  /** Where one topic's records go. */
  private record Route<T>(Signal<T> signal, KafkaEncoding encoding, DataConsumer<T> next) {}

  /** Consecutive records of one route, merged into one request; offsets say what accepting it commits. */
  private static final class Batch<T> {
    final Route<T> route;
    final List<T> parts = new ArrayList<>();
    /** Per partition: first and last offset covered (undecodable records included). */
    final Map<TopicPartition, long[]> offsets = new LinkedHashMap<>();
    int bytes;

    Batch(Route<T> route) {
      this.route = route;
    }

    void cover(ConsumerRecord<byte[], byte[]> r) {
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      offsets.computeIfAbsent(tp, k -> new long[] {r.offset(), r.offset()})[1] = r.offset();
      bytes += r.value() == null ? 0 : r.value().length;
    }
  }

  private enum Outcome { DONE, RETRY }

  private final String id;
  private final KafkaReceiverConfig config;
  private final Consumers consumers;
  private final RateLimitedLog refusals = new RateLimitedLog(log, 10, TimeUnit.SECONDS);
  private final RateLimitedLog undecodable = new RateLimitedLog(log, 10, TimeUnit.SECONDS);
  private final RateLimitedLog commitFailures = new RateLimitedLog(log, 10, TimeUnit.SECONDS);
  private final RateLimitedLog failures = new RateLimitedLog(log, 10, TimeUnit.SECONDS);
  private final AtomicLong acceptedItems = new AtomicLong();
  private final AtomicLong droppedItems = new AtomicLong();
  private final AtomicLong undecodableMessages = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final Object lock = new Object();
  @Nullable private Consumer<byte[], byte[]> consumer; // guarded by lock
  @Nullable private Thread thread; // guarded by lock
  private boolean shutDown; // guarded by lock
  private volatile boolean closing;

  // Poll-thread state.
  private final Map<String, Route<?>> routes = new HashMap<>();
  /** Accepted offsets not yet committed. */
  private final Map<TopicPartition, OffsetAndMetadata> accepted = new HashMap<>();
  /** The latest accepted offset of every owned partition, committed once more on the way out. */
  private final Map<TopicPartition, OffsetAndMetadata> marked = new HashMap<>();
  private boolean backingOff;
  private long retryAtNanos;
  private int attempt;
  private long failingSinceNanos;
  private long nextCommitNanos;

  KafkaReceiver(String id, KafkaReceiverConfig config, Consumers consumers) {
    this.id = id;
    this.config = config;
    this.consumers = consumers;
  }

  @Override
  public void start(Host host) {
    Map<String, Route<?>> byTopic = routes();
    if (byTopic.isEmpty()) {
      return;
    }
    Map<String, Object> properties = config.consumerProperties();
    synchronized (lock) {
      if (shutDown || consumer != null) {
        return;
      }
      routes.putAll(byTopic);
      Consumer<byte[], byte[]> c = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
          new ByteArrayDeserializer());
      consumer = c;
      thread = new Thread(() -> run(c), "kansoku-kafka-receiver-" + id);
      // Daemon: a pipeline stuck in a consume call must not keep the process alive after shutdown gave up.
      thread.setDaemon(true);
      thread.start();
    }
    log.info("Receiver {} reads Kafka {} topics {} as group {}", id, config.brokers, byTopic.keySet(),
        config.groupId);
  }

  private Map<String, Route<?>> routes() {
    Map<String, Route<?>> byTopic = new LinkedHashMap<>();
    for (Signal<?> s : Signal.ALL) {
      addRoutes(s, byTopic);
    }
    return byTopic;
  }

  private <T> void addRoutes(Signal<T> signal, Map<String, Route<?>> byTopic) {
    consumers.get(signal).ifPresent(next -> {
      for (String topic : config.topics(signal)) {
        Route<?> other = byTopic.putIfAbsent(topic, new Route<>(signal, config.encoding(signal), next));
        if (other != null) {
          throw new IllegalArgumentException("receivers::" + id + ": " + other.signal() + " and " + signal
              + " both read topic \"" + topic + "\" (expected: a topic per signal, e.g. " + signal + "::topics)");
        }
      }
    });
  }

  @Override
  public void shutdown() {
    Thread t;
    Consumer<byte[], byte[]> c;
    synchronized (lock) {
      if (shutDown) {
        return;
      }
      shutDown = true;
      t = thread;
      c = consumer;
    }
    if (t == null || c == null) {
      return;
    }
    long t0 = System.nanoTime();
    closing = true;
    c.wakeup();
    try {
      t.join(JOIN_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("Receiver {} stopped in {} ms: {} items accepted, {} dropped, {} undecodable messages skipped, "
        + "{} retries", id, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), acceptedItems.get(),
        droppedItems.get(), undecodableMessages.get(), retries.get());
  }

  long acceptedItems() {
    return acceptedItems.get();
  }

  long droppedItems() {
    return droppedItems.get();
  }

  long undecodableMessages() {
    return undecodableMessages.get();
  }

  long retries() {
    return retries.get();
  }

  private void run(Consumer<byte[], byte[]> c) {
    try {
      c.subscribe(routes.keySet(), new Rebalance(c));
      while (!closing) {
        try {
          step(c);
        } catch (WakeupException e) {
          throw e;
        } catch (KafkaException e) {
          // Broker-side refusals (authorization, ...) may be fixed while we run: keep trying, slowly.
          failures.warn("Receiver {}: Kafka failed ({}); trying again", id, e.toString());
          Thread.sleep(FAILURE_PAUSE_MILLIS);
        }
      }
    } catch (WakeupException e) {
      if (!closing) {
        log.error("Receiver {}: unexpected wakeup; it stops reading", id, e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("Receiver {} stops reading from Kafka after a failure", id, e);
    } finally {
      try {
        commitFinal(c);
      } finally {
        c.close(CloseOptions.timeout(CLOSE_TIMEOUT));
      }
    }
  }

  private void step(Consumer<byte[], byte[]> c) {
    if (backingOff) {
      waitOut(c);
    } else {
      ConsumerRecords<byte[], byte[]> records = c.poll(POLL_TIMEOUT);
      if (!records.isEmpty()) {
        process(c, records);
      }
    }
    commit(c, !config.autocommit.enable);
  }

  /** While backing off: stay in the group (poll with everything paused) until the retry is due. */
  private void waitOut(Consumer<byte[], byte[]> c) {
    long remaining = retryAtNanos - System.nanoTime();
    if (remaining <= 0) {
      c.resume(c.paused());
      backingOff = false;
      return;
    }
    ConsumerRecords<byte[], byte[]> stray = c.poll(Duration.ofMillis(
        Math.max(1, Math.min(BACKOFF_POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(remaining)))));
    // Partitions assigned mid-backoff are paused by the listener; should any records slip through, read them later.
    for (TopicPartition tp : stray.partitions()) {
      c.seek(tp, stray.records(tp).get(0).offset());
    }
    c.pause(c.assignment());
  }

  private void process(Consumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> records) {
    List<Batch<?>> batches = new ArrayList<>();
    for (Map.Entry<String, Route<?>> e : routes.entrySet()) {
      batch(e.getValue(), records.records(e.getKey()), batches);
    }
    if (!config.messageMarking.after) {
      // At most once, as configured: the records count as read before the pipeline sees them.
      batches.forEach(this::mark);
      commit(c, true);
    }
    for (int i = 0; i < batches.size(); i++) {
      if (offer(batches.get(i)) == Outcome.RETRY) {
        rewind(c, batches.subList(i, batches.size()));
        return;
      }
      if (config.messageMarking.after) {
        mark(batches.get(i));
      }
    }
  }

  /** Decodes {@code records} of one route into batches of at most MAX_BATCH_BYTES; undecodable ones are counted. */
  private <T> void batch(Route<T> route, Iterable<ConsumerRecord<byte[], byte[]>> records, List<Batch<?>> out) {
    Batch<T> current = null;
    for (ConsumerRecord<byte[], byte[]> r : records) {
      int size = r.value() == null ? 0 : r.value().length;
      if (current == null || current.bytes > 0 && current.bytes + size > MAX_BATCH_BYTES) {
        current = new Batch<>(route);
        out.add(current);
      }
      current.cover(r);
      try {
        current.parts.add(route.encoding().decode(route.signal(), r.value() == null ? new byte[0] : r.value()));
      } catch (IllegalArgumentException e) {
        undecodableMessages.incrementAndGet();
        undecodable.warn("Receiver {}: skipped message {}-{}@{}: {}", id, r.topic(), r.partition(), r.offset(),
            e.getMessage());
      }
    }
  }

  /** Offers one batch to the pipeline and decides what its refusal means. */
  private <T> Outcome offer(Batch<T> batch) {
    if (batch.parts.isEmpty()) {
      return Outcome.DONE;
    }
    Signal<T> signal = batch.route.signal();
    T merged = signal.merge(batch.parts);
    int items = signal.count(merged);
    try {
      batch.route.next().consume(merged);
      acceptedItems.addAndGet(items);
      attempt = 0;
      failingSinceNanos = 0;
      return Outcome.DONE;
    } catch (ConsumeException e) {
      boolean again = e.retryable() || !config.messageMarking.skipPermanent();
      if (again && config.messageMarking.after && !givingUp()) {
        backOff(e);
        refusals.warn("Receiver {}: the pipeline refused {} {} ({}); offering them again in {} ms", id, items,
            signal.itemName(), e.getMessage(), TimeUnit.NANOSECONDS.toMillis(retryAtNanos - System.nanoTime()));
        return Outcome.RETRY;
      }
      droppedItems.addAndGet(items);
      refusals.warn("Receiver {}: dropped {} {} the pipeline refused ({}: {})", id, items, signal.itemName(),
          e.reason(), e.getMessage());
      return Outcome.DONE;
    } catch (RuntimeException e) {
      droppedItems.addAndGet(items);
      log.error("Receiver {}: dropped {} {}: the pipeline failed", id, items, signal.itemName(), e);
      return Outcome.DONE;
    }
  }

  /** True when on_error lets records go and error_backoff::max_elapsed_time has passed. */
  private boolean givingUp() {
    long max = config.errorBackoff.maxElapsedTime.toNanos();
    return config.messageMarking.onError && max > 0 && failingSinceNanos != 0
        && System.nanoTime() - failingSinceNanos >= max;
  }

  private void backOff(ConsumeException e) {
    long now = System.nanoTime();
    if (failingSinceNanos == 0) {
      failingSinceNanos = now;
    }
    long initial = config.errorBackoff.initialInterval.toNanos();
    long wait = initial;
    if (config.errorBackoff.enabled) {
      double grown = initial * Math.pow(config.errorBackoff.multiplier, attempt);
      double f = config.errorBackoff.randomizationFactor;
      double jitter = 1 - f + 2 * f * ThreadLocalRandom.current().nextDouble();
      wait = (long) Math.min(grown * jitter, (double) config.errorBackoff.maxInterval.toNanos());
    }
    long asked = e.retryAfter().map(Duration::toNanos).orElse(0L);
    retryAtNanos = now + Math.max(wait, Math.min(asked, config.errorBackoff.maxInterval.toNanos()));
    attempt++;
    retries.incrementAndGet();
    backingOff = true;
  }

  /** Seeks every partition of {@code pending} back to its first record and pauses the assignment. */
  private void rewind(Consumer<byte[], byte[]> c, List<Batch<?>> pending) {
    Map<TopicPartition, Long> first = new HashMap<>();
    for (Batch<?> b : pending) {
      b.offsets.forEach((tp, range) -> first.merge(tp, range[0], Math::min));
    }
    first.forEach(c::seek);
    c.pause(c.assignment());
  }

  private void mark(Batch<?> batch) {
    batch.offsets.forEach((tp, range) -> {
      OffsetAndMetadata next = new OffsetAndMetadata(range[1] + 1);
      accepted.put(tp, next);
      marked.put(tp, next);
    });
  }

  /** Commits accepted offsets: now when {@code sync}, else in the background once per autocommit interval. */
  private void commit(Consumer<byte[], byte[]> c, boolean sync) {
    if (accepted.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = Map.copyOf(accepted);
    if (sync) {
      try {
        c.commitSync(offsets);
        accepted.keySet().removeAll(offsets.keySet());
      } catch (WakeupException e) {
        throw e;
      } catch (KafkaException e) {
        commitFailures.warn("Receiver {}: commit of {} failed ({}); the records may be read again", id, offsets,
            e.getMessage());
      }
      return;
    }
    long now = System.nanoTime();
    if (now - nextCommitNanos < 0) {
      return;
    }
    nextCommitNanos = now + config.autocommit.interval.toNanos();
    accepted.clear();
    c.commitAsync(offsets, (done, error) -> {
      if (error != null) {
        // Runs on the poll thread: put back what no newer acceptance replaced, for the next commit.
        offsets.forEach(accepted::putIfAbsent);
        commitFailures.warn("Receiver {}: commit failed ({}); retrying", id, error.getMessage());
      }
    });
  }

  /**
   * The last commit on the way out: every owned partition's latest accepted offset, synchronously,
   * so background commits still in flight cannot be lost. A pending wakeup is spent once, then the
   * commit is tried again.
   */
  private void commitFinal(Consumer<byte[], byte[]> c) {
    accepted.putAll(marked);
    for (int i = 0; i < 2 && !accepted.isEmpty(); i++) {
      try {
        commit(c, true);
      } catch (WakeupException e) {
        // Spent; the next attempt runs undisturbed.
      }
    }
  }

  /** Runs inside poll, on the poll thread. */
  private final class Rebalance implements ConsumerRebalanceListener {
    private final Consumer<byte[], byte[]> c;

    Rebalance(Consumer<byte[], byte[]> c) {
      this.c = c;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      Map<TopicPartition, OffsetAndMetadata> revoked = new HashMap<>();
      for (TopicPartition tp : partitions) {
        marked.remove(tp);
        OffsetAndMetadata o = accepted.remove(tp);
        if (o != null) {
          revoked.put(tp, o);
        }
      }
      if (revoked.isEmpty()) {
        return;
      }
      try {
        c.commitSync(revoked);
      } catch (KafkaException e) {
        commitFailures.warn("Receiver {}: commit on revocation failed ({}); the new owner may read {} again", id,
            e.getMessage(), revoked.keySet());
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      partitions.forEach(accepted::remove);
      partitions.forEach(marked::remove);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (backingOff) {
        c.pause(partitions);
      }
    }
  }

  @Override
  public String toString() {
    return "KafkaReceiver{" + id + " <- " + config.brokers + "}";
  }
}
