package dev.kansoku.pipeline.exporterhelper;

import static java.util.Objects.requireNonNull;

import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.config.QueueSettings;
import dev.kansoku.pipeline.config.RetrySettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The {@link QueuedRetrySender}s of one exporter instance, one per signal, created when the service
 * first asks for the signal's consumer: an exporter used only in a traces pipeline starts no
 * threads for metrics or logs. The exporter delegates {@code consumer}, {@code start} and {@code
 * shutdown} here.
 *
 * <p>Thread-safe. Shutdown drains every signal's queue in parallel under one deadline.
 */
public final class ExporterSenders {
  /** Sends one batch of any signal once; an exporter implements it with a generic method reference. */
  public interface SignalSender {
    <T> void send(Signal<T> signal, T batch) throws ConsumeException;
  }

  private final String exporterId;
  private final RetrySettings retry;
  private final QueueSettings queue;
  private final SignalSender sender;
  private final RetryClock clock;
  private final DoubleSupplier random;
  private final Duration shutdownTimeout;
  private final Map<Signal<?>, QueuedRetrySender<?>> senders = new LinkedHashMap<>(); // guarded by this
  private boolean started; // guarded by this
  private boolean stopped; // guarded by this

  public ExporterSenders(String exporterId, RetrySettings retry, QueueSettings queue, SignalSender sender) {
    this(exporterId, retry, queue, sender, RetryClock.SYSTEM, () -> ThreadLocalRandom.current().nextDouble(),
        QueuedRetrySender.DEFAULT_SHUTDOWN_TIMEOUT);
  }

  ExporterSenders(String exporterId, RetrySettings retry, QueueSettings queue, SignalSender sender, RetryClock clock,
      DoubleSupplier random, Duration shutdownTimeout) {
    this.exporterId = requireNonNull(exporterId, "exporterId");
    this.retry = requireNonNull(retry, "retry");
    this.queue = requireNonNull(queue, "queue");
    this.sender = requireNonNull(sender, "sender");
    this.clock = clock;
    this.random = random;
    this.shutdownTimeout = shutdownTimeout;
  }

  /** The queued, retrying consumer for {@code signal}; the same instance on every call. */
  @SuppressWarnings("unchecked")
  public synchronized <T> QueuedRetrySender<T> consumer(Signal<T> signal) {
    requireNonNull(signal, "signal");
    return (QueuedRetrySender<T>) senders.computeIfAbsent(signal, s -> {
      QueuedRetrySender<T> q = new QueuedRetrySender<>(exporterId, signal, retry, queue,
          batch -> sender.send(signal, batch), clock, random, shutdownTimeout);
      if (stopped) {
        q.beginShutdown();
      } else if (started) {
        q.start();
      }
      return q;
    });
  }

  /** Starts the sender threads of every signal asked for so far (and of later ones as they are asked for). */
  public synchronized void start() {
    started = true;
    senders.values().forEach(QueuedRetrySender::start);
  }

  /** Stops accepting, drains all queues until one shared deadline, drops the rest. Idempotent. */
  public void shutdown() {
    List<QueuedRetrySender<?>> all;
    synchronized (this) {
      stopped = true;
      all = new ArrayList<>(senders.values());
    }
    all.forEach(QueuedRetrySender::beginShutdown);
    long deadline = System.nanoTime() + shutdownTimeout.toNanos();
    for (QueuedRetrySender<?> q : all) {
      q.awaitShutdown(deadline);
    }
  }
}
