package dev.kansoku.pipeline.exporterhelper;

import static java.util.Objects.requireNonNull;

import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.config.QueueSettings;
import dev.kansoku.pipeline.config.RetrySettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle of one exporter instance, so the exporter writes only how to open its client, how to
 * send one batch once with it, and how to close it. The exporter delegates {@code start},
 * {@code consumer} and {@code shutdown} here, by implementing {@link LifecycleExporter}.
 *
 * <ul>
 *   <li>{@link #start}: opens the client once, then starts the sender threads. When opening fails
 *       nothing runs and the error goes to the caller; start may be tried again.
 *   <li>{@link #consumer}: one {@link QueuedRetrySender} per signal, created when the service first
 *       asks, so an exporter used only for traces starts no threads for metrics or logs. Before
 *       start it refuses with UNAVAILABLE "exporter X is not started"; after shutdown with
 *       UNAVAILABLE "exporter X is shutting down".
 *   <li>{@link #shutdown}: stops accepting, drains every signal's queue in parallel under one
 *       deadline, then closes the client exactly once and logs "Exporter X stopped in N ms". A send
 *       after that is refused with UNAVAILABLE "exporter X is shut down", never handed a closed client.
 * </ul>
 *
 * <p>Thread-safe; start and shutdown are idempotent, and shutdown is safe without start.
 *
 * @param <C> the exporter's client: connections, producer, open file; whatever send needs
 */
public final class ExporterLifecycle<C> {
  private static final Logger log = LoggerFactory.getLogger(ExporterLifecycle.class);

  /** Opens the exporter's client; may log what it connects to. A failure fails {@link #start}. */
  @FunctionalInterface
  public interface Opener<C> {
    C open(Host host) throws Exception;
  }

  /**
   * Sends one batch of any signal once with the open client, within the exporter's per-attempt
   * timeout; an exporter implements it with a generic method reference. Throws {@link
   * ConsumeException#partial} when only part of the batch failed.
   */
  public interface Sender<C> {
    <T> void send(C client, Signal<T> signal, T batch) throws ConsumeException;
  }

  /** Releases the client; called once, after the queues have drained. */
  @FunctionalInterface
  public interface Closer<C> {
    void close(C client) throws Exception;
  }

  private enum State { NEW, STARTED, STOPPED }

  private final String exporterId;
  private final RetrySettings retry;
  private final QueueSettings queue;
  private final Opener<C> opener;
  private final Sender<C> sender;
  private final Closer<C> closer;
  private final RetryClock clock;
  private final DoubleSupplier random;
  private final Duration shutdownTimeout;
  private final Object lock = new Object();
  private final Map<Signal<?>, Gate<?>> gates = new LinkedHashMap<>(); // guarded by lock
  // Written under lock; read without it on the send path.
  private volatile State state = State.NEW;
  // Set by start before any sender thread runs; cleared by shutdown before closing.
  @Nullable private volatile C client;

  /** A refusal before start, then the sender; cached so the service gets one consumer per signal. */
  private record Gate<T>(QueuedRetrySender<T> sender, DataConsumer<T> consumer) {}

  public ExporterLifecycle(String exporterId, RetrySettings retry, QueueSettings queue, Opener<C> opener,
      Sender<C> sender, Closer<C> closer) {
    this(exporterId, retry, queue, opener, sender, closer, RetryClock.SYSTEM,
        () -> ThreadLocalRandom.current().nextDouble(), QueuedRetrySender.DEFAULT_SHUTDOWN_TIMEOUT);
  }

  ExporterLifecycle(String exporterId, RetrySettings retry, QueueSettings queue, Opener<C> opener, Sender<C> sender,
      Closer<C> closer, RetryClock clock, DoubleSupplier random, Duration shutdownTimeout) {
    this.exporterId = requireNonNull(exporterId, "exporterId");
    this.retry = requireNonNull(retry, "retry");
    this.queue = requireNonNull(queue, "queue");
    this.opener = requireNonNull(opener, "opener");
    this.sender = requireNonNull(sender, "sender");
    this.closer = requireNonNull(closer, "closer");
    this.clock = requireNonNull(clock, "clock");
    this.random = requireNonNull(random, "random");
    this.shutdownTimeout = requireNonNull(shutdownTimeout, "shutdownTimeout");
  }

  /** Settings for an exporter with neither queue nor retry: the caller's thread sends once. */
  public static RetrySettings noRetry() {
    RetrySettings r = new RetrySettings();
    r.enabled = false;
    return r;
  }

  /** See {@link #noRetry()}. */
  public static QueueSettings noQueue() {
    QueueSettings q = new QueueSettings();
    q.enabled = false;
    return q;
  }

  /** The consumer for {@code signal}; the same instance on every call. */
  public <T> DataConsumer<T> consumer(Signal<T> signal) {
    return gate(signal).consumer();
  }

  /** The queued retrying sender behind {@link #consumer}, for its counts. */
  public <T> QueuedRetrySender<T> sender(Signal<T> signal) {
    return gate(signal).sender();
  }

  @SuppressWarnings("unchecked")
  private <T> Gate<T> gate(Signal<T> signal) {
    requireNonNull(signal, "signal");
    synchronized (lock) {
      return (Gate<T>) gates.computeIfAbsent(signal, s -> {
        QueuedRetrySender<T> q = new QueuedRetrySender<>(exporterId, signal, retry, queue,
            batch -> send(signal, batch), clock, random, shutdownTimeout);
        DataConsumer<T> consumer = data -> {
          // Refused here rather than queued: nothing would send it until start, which may never come.
          if (state == State.NEW) {
            throw ConsumeException.unavailable(notStarted(), null, null);
          }
          q.consume(data);
        };
        if (state == State.STOPPED) {
          q.beginShutdown();
        } else if (state == State.STARTED) {
          q.start();
        }
        return new Gate<>(q, consumer);
      });
    }
  }

  /**
   * Opens the client, then starts the sender threads of every signal asked for so far (and of later
   * ones as they are asked for). Idempotent; a no-op after shutdown.
   *
   * @throws Exception what opening the client threw; then nothing was started, and start may be
   *     tried again
   */
  public void start(Host host) throws Exception {
    synchronized (lock) {
      if (state != State.NEW) {
        return;
      }
      // Under the lock: a concurrent shutdown waits for the client, and so closes it.
      client = requireNonNull(opener.open(host), "the opener returned null");
      state = State.STARTED;
      gates.values().forEach(g -> g.sender().start());
    }
  }

  /**
   * Stops accepting, drains all queues until one shared deadline (dropping the rest), then closes
   * the client. Idempotent, and safe without start.
   */
  public void shutdown() {
    List<QueuedRetrySender<?>> all = new ArrayList<>();
    boolean started;
    synchronized (lock) {
      if (state == State.STOPPED) {
        return;
      }
      started = state == State.STARTED;
      state = State.STOPPED;
      gates.values().forEach(g -> all.add(g.sender()));
    }
    long t0 = System.nanoTime();
    all.forEach(QueuedRetrySender::beginShutdown);
    long deadline = t0 + shutdownTimeout.toNanos();
    for (QueuedRetrySender<?> q : all) {
      q.awaitShutdown(deadline);
    }
    if (!started) {
      return;
    }
    // Drained, so nothing needs the client any more; a send still running past the deadline now
    // gets "shut down" on its next attempt instead of a closed client.
    C c = client;
    client = null;
    try {
      closer.close(c);
    } catch (Exception e) {
      log.warn("Exporter {}: closing its client failed", exporterId, e);
    }
    log.info("Exporter {} stopped in {} ms", exporterId, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
  }

  private <T> void send(Signal<T> signal, T batch) throws ConsumeException {
    C c = client;
    if (c == null) {
      throw ConsumeException.unavailable(state == State.STOPPED ? "exporter " + exporterId + " is shut down"
          : notStarted(), null, null);
    }
    sender.send(c, signal, batch);
  }

  private String notStarted() {
    return "exporter " + exporterId + " is not started";
  }

  @Override
  public String toString() {
    return "ExporterLifecycle{" + exporterId + "}";
  }
}
