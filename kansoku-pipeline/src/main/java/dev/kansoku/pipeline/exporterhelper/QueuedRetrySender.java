package dev.kansoku.pipeline.exporterhelper;

import static java.util.Objects.requireNonNull;

import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.RateLimitedLog;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.config.QueueSettings;
import dev.kansoku.pipeline.config.RetrySettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds a bounded sending queue and retries to an exporter's "send one batch" function, for one
 * signal. The exporter writes only {@link BatchSender}; this class owns threads, backoff, counting
 * and the shutdown drain, so every network exporter behaves the same.
 *
 * <ul>
 *   <li>Queue enabled ({@code sending_queue}): {@link #consume} returns once the batch is queued;
 *       {@code num_consumers} threads send. A full queue refuses the batch with
 *       {@link ConsumeException.Reason#OVERLOADED}, so the receiver tells its client to back off.
 *       Batches that finally fail are dropped, counted and logged (rate-limited).
 *   <li>Queue disabled: {@link #consume} sends on the caller's thread with the same retry loop and
 *       throws the final failure, so the receiver answers its client with it.
 *   <li>Retry ({@code retry_on_failure}): retryable failures wait an exponential, jittered interval,
 *       or the server's {@link ConsumeException#retryAfter()} when that is longer, until
 *       {@code max_elapsed_time}; permanent failures are never retried.
 * </ul>
 *
 * <p>Thread-safe. {@link #start} starts the sender threads; {@link #shutdown} stops accepting, lets
 * the queue drain until a deadline, then wakes retry waits and drops (and counts) what is left.
 */
public final class QueuedRetrySender<T> implements DataConsumer<T> {
  private static final Logger log = LoggerFactory.getLogger(QueuedRetrySender.class);
  /** Tells one sender thread to exit; only shutdown puts it in the queue, after the last batch. */
  private static final Object STOP = new Object();
  /** How long shutdown lets queued batches drain before dropping them. */
  static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
  /**
   * After the deadline, how long shutdown still waits for sends in flight; each is bounded by the
   * exporter's own per-attempt timeout, so this only matters for a misbehaving client.
   */
  private static final long GRACE_MILLIS = 5_000;
  /** What a refused caller is told to wait: the queue frees up as fast as the endpoint accepts. */
  private static final Duration QUEUE_FULL_RETRY_AFTER = Duration.ofSeconds(1);

  private final String exporterId;
  private final Signal<T> signal;
  private final BatchSender<T> sender;
  private final RetryClock clock;
  private final DoubleSupplier random;
  private final long shutdownTimeoutNanos;
  // Settings are copied: configuration objects are mutable and may be shared.
  private final boolean retryEnabled;
  private final long initialIntervalNanos;
  private final double randomizationFactor;
  private final double multiplier;
  private final long maxIntervalNanos;
  private final long maxElapsedNanos;
  private final Duration maxElapsedTime;
  private final boolean queueEnabled;
  private final int numConsumers;
  private final int queueSize;

  private final RateLimitedLog refusalWarnings = new RateLimitedLog(log, 10, TimeUnit.SECONDS);
  private final RateLimitedLog failureWarnings = new RateLimitedLog(log, 10, TimeUnit.SECONDS);
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  /** Free places in the queue, in batches; the queue itself is unbounded so STOP always fits. */
  private final Semaphore capacity;
  /** Opens when the shutdown deadline passes: retry waits end and queued batches are dropped. */
  private final CountDownLatch abandoned = new CountDownLatch(1);
  private final Object lock = new Object();
  private final List<Thread> threads = new ArrayList<>(); // guarded by lock
  private boolean started; // guarded by lock
  private volatile boolean stopping;

  private final AtomicLong sentItems = new AtomicLong();
  private final AtomicLong failedItems = new AtomicLong();
  private final AtomicLong refusedItems = new AtomicLong();

  /** A sender on the real clock with a 30 s shutdown deadline. */
  public static <T> QueuedRetrySender<T> create(String exporterId, Signal<T> signal, RetrySettings retry,
      QueueSettings queue, BatchSender<T> sender) {
    return new QueuedRetrySender<>(exporterId, signal, retry, queue, sender, RetryClock.SYSTEM,
        () -> ThreadLocalRandom.current().nextDouble(), DEFAULT_SHUTDOWN_TIMEOUT);
  }

  QueuedRetrySender(String exporterId, Signal<T> signal, RetrySettings retry, QueueSettings queue,
      BatchSender<T> sender, RetryClock clock, DoubleSupplier random, Duration shutdownTimeout) {
    this.exporterId = requireNonNull(exporterId, "exporterId");
    this.signal = requireNonNull(signal, "signal");
    this.sender = requireNonNull(sender, "sender");
    this.clock = requireNonNull(clock, "clock");
    this.random = requireNonNull(random, "random");
    this.shutdownTimeoutNanos = shutdownTimeout.toNanos();
    requireNonNull(retry, "retry");
    requireNonNull(queue, "queue");
    this.retryEnabled = retry.enabled;
    this.initialIntervalNanos = retry.initialInterval.toNanos();
    this.randomizationFactor = retry.randomizationFactor;
    this.multiplier = retry.multiplier;
    this.maxIntervalNanos = retry.maxInterval.toNanos();
    this.maxElapsedNanos = retry.maxElapsedTime.toNanos();
    this.maxElapsedTime = retry.maxElapsedTime;
    this.queueEnabled = queue.enabled;
    this.numConsumers = queue.numConsumers;
    this.queueSize = queue.queueSize;
    this.capacity = new Semaphore(queue.enabled ? queue.queueSize : 0);
  }

  /** Starts the sender threads (none when the queue is disabled). Idempotent; no-op after shutdown. */
  public void start() {
    synchronized (lock) {
      if (started || stopping) {
        return;
      }
      started = true;
      if (!queueEnabled) {
        return;
      }
      for (int i = 0; i < numConsumers; i++) {
        Thread t = new Thread(this::work, "kansoku-exporter-" + exporterId + "-" + signal.name() + "-" + i);
        // Daemon: a sender stuck in a misbehaving client must not keep the process alive.
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
    }
  }

  @Override
  public void consume(T data) throws ConsumeException {
    requireNonNull(data, "data");
    if (!queueEnabled) {
      if (stopping) {
        throw refuse(data, ConsumeException.unavailable(shuttingDown(), null, null));
      }
      send(data);
      return;
    }
    synchronized (lock) {
      // Checked under the lock that shutdown takes to enqueue STOP: no batch can land behind STOP.
      if (stopping) {
        throw refuse(data, ConsumeException.unavailable(shuttingDown(), null, null));
      }
      if (!capacity.tryAcquire()) {
        ConsumeException e = ConsumeException.overloaded("sending queue of exporter " + exporterId + " is full ("
            + queueSize + " " + signal.name() + " batches)", QUEUE_FULL_RETRY_AFTER);
        refusalWarnings.warn("Exporter {}: sending queue is full ({} batches), refusing {} {}. Possible solutions: "
            + "raise sending_queue::queue_size or sending_queue::num_consumers, or check that the endpoint "
            + "keeps up.", exporterId, queueSize, signal.count(data), signal.itemName());
        throw refuse(data, e);
      }
      queue.add(data);
    }
  }

  private String shuttingDown() {
    return "exporter " + exporterId + " is shutting down";
  }

  private ConsumeException refuse(T data, ConsumeException e) {
    refusedItems.addAndGet(signal.count(data));
    return e;
  }

  /** Stops accepting, drains the queue until the deadline, then drops the rest. Idempotent. */
  public void shutdown() {
    beginShutdown();
    awaitShutdown(System.nanoTime() + shutdownTimeoutNanos);
  }

  /** Stops accepting new batches; queued ones are still sent. */
  void beginShutdown() {
    synchronized (lock) {
      if (stopping) {
        return;
      }
      stopping = true;
      for (int i = 0; i < threads.size(); i++) {
        queue.add(STOP);
      }
    }
  }

  /**
   * Waits until the sender threads have emptied the queue or {@code deadlineNanos} ({@link
   * System#nanoTime()}) passes; then ends retry waits and drops what is still queued.
   */
  void awaitShutdown(long deadlineNanos) {
    List<Thread> workers;
    synchronized (lock) {
      workers = List.copyOf(threads);
    }
    if (!join(workers, deadlineNanos) || !queue.isEmpty()) {
      abandoned.countDown();
      // Drop what nobody will send: batches left at the deadline, or queued before a start() that
      // never came. The STOPs go back so the threads still sending exit afterwards.
      long dropped = 0;
      for (Object o; (o = queue.poll()) != null; ) {
        if (o != STOP) {
          capacity.release();
          dropped += signal.count(signal.dataType().cast(o));
        }
      }
      for (int i = 0; i < workers.size(); i++) {
        queue.add(STOP);
      }
      if (dropped > 0) {
        failedItems.addAndGet(dropped);
        if (workers.isEmpty()) {
          log.warn("Exporter {}: dropped {} queued {} at shutdown: the exporter was never started", exporterId,
              dropped, signal.itemName());
        } else {
          log.warn("Exporter {}: dropped {} queued {} at shutdown after waiting {} ms for the endpoint", exporterId,
              dropped, signal.itemName(), TimeUnit.NANOSECONDS.toMillis(shutdownTimeoutNanos));
        }
      }
      if (!join(workers, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS))) {
        log.warn("Exporter {}: {} sender thread(s) still busy {} ms after the shutdown deadline; leaving them",
            exporterId, workers.stream().filter(Thread::isAlive).count(), GRACE_MILLIS);
      }
    }
    // Ends retry waits of callers that send on their own thread (queue disabled).
    abandoned.countDown();
  }

  /** @return true when every thread ended before {@code deadlineNanos} */
  private static boolean join(List<Thread> workers, long deadlineNanos) {
    try {
      for (Thread t : workers) {
        long left = deadlineNanos - System.nanoTime();
        if (left > 0) {
          TimeUnit.NANOSECONDS.timedJoin(t, left);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return workers.stream().noneMatch(Thread::isAlive);
  }

  private void work() {
    while (true) {
      Object o;
      try {
        o = queue.take();
      } catch (InterruptedException e) {
        // Nobody interrupts these threads on purpose; keep serving until STOP.
        continue;
      }
      if (o == STOP) {
        return;
      }
      capacity.release();
      T batch = signal.dataType().cast(o);
      if (abandoned.getCount() == 0) {
        int n = signal.count(batch);
        failedItems.addAndGet(n);
        failureWarnings.warn("Exporter {}: dropped {} {} at shutdown (deadline passed)", exporterId, n,
            signal.itemName());
        continue;
      }
      try {
        send(batch);
      } catch (ConsumeException e) {
        // Already counted and logged by send(); the queue has nobody to return it to.
      } catch (RuntimeException | Error e) {
        // A bug or an OOM in one batch's send must not end this sender thread with the queue still full.
        failedItems.addAndGet(signal.count(batch));
        log.error("Exporter {}: dropped {} {} after an unexpected {}", exporterId, signal.count(batch),
            signal.itemName(), e.toString(), e);
      }
    }
  }

  /**
   * One batch through the retry loop; on failure counts, warns and throws the last failure. After a
   * partial failure ({@link ConsumeException#unsent()}) only the unsent part is sent again, and the
   * delivered part counts as sent at once, whatever happens to the rest.
   */
  private void send(T batch) throws ConsumeException {
    long start = clock.nanoTime();
    Backoff backoff = null;
    int unsentItems = signal.count(batch);
    ConsumeException.Resend resend = null; // null: the whole batch
    for (int attempt = 1; ; attempt++) {
      ConsumeException failure;
      try {
        if (resend == null) {
          sender.send(batch);
        } else {
          resend.send();
        }
        sentItems.addAndGet(unsentItems);
        return;
      } catch (ConsumeException e) {
        failure = e;
      } catch (RuntimeException e) {
        // A bug in the exporter, not the endpoint's answer: retrying would repeat it.
        failure = ConsumeException.permanent("exporter " + exporterId + " failed unexpectedly: " + e, e);
      }
      if (failure.unsent().isPresent()) {
        ConsumeException.Unsent rest = failure.unsent().get();
        // Never more than was left: an exporter's miscount must not make the sent count go backwards.
        int left = Math.min(rest.items(), unsentItems);
        sentItems.addAndGet(unsentItems - left);
        unsentItems = left;
        resend = rest.resend();
      }
      if (!failure.retryable()) {
        throw fail(unsentItems, failure, "permanent error, not retried");
      }
      if (!retryEnabled) {
        throw fail(unsentItems, failure, "retry_on_failure is disabled");
      }
      if (abandoned.getCount() == 0) {
        throw fail(unsentItems, failure, "shutting down, not retried");
      }
      if (backoff == null) {
        backoff = new Backoff(initialIntervalNanos, randomizationFactor, multiplier, maxIntervalNanos, random);
      }
      long wait = backoff.next();
      if (failure.retryAfter().isPresent()) {
        // The server knows its own recovery time better than our schedule does.
        wait = Math.max(wait, failure.retryAfter().get().toNanos());
      }
      long elapsed = clock.nanoTime() - start;
      if (maxElapsedNanos > 0 && elapsed + wait > maxElapsedNanos) {
        throw fail(unsentItems, failure, "gave up after " + attempt + " attempt(s) in "
            + TimeUnit.NANOSECONDS.toMillis(elapsed) + " ms, retry_on_failure::max_elapsed_time " + maxElapsedTime);
      }
      try {
        if (clock.sleep(wait, abandoned)) {
          throw fail(unsentItems, failure, "shutdown deadline passed while waiting to retry");
        }
      } catch (InterruptedException e) {
        // Only a caller's own thread can get here (queue disabled): keep its interrupt.
        Thread.currentThread().interrupt();
        throw fail(unsentItems, failure, "interrupted while waiting to retry");
      }
    }
  }

  private ConsumeException fail(int items, ConsumeException failure, String why) {
    failedItems.addAndGet(items);
    if (queueEnabled) {
      failureWarnings.warn("Exporter {}: dropping {} {} ({}): {}", exporterId, items, signal.itemName(), why,
          failure.getMessage());
    } else {
      failureWarnings.warn("Exporter {}: could not send {} {} ({}), returning the error to the caller: {}",
          exporterId, items, signal.itemName(), why, failure.getMessage());
    }
    return failure;
  }

  /** Items (spans, data points, log records) delivered. */
  public long sentItems() {
    return sentItems.get();
  }

  /** Items whose sending finally failed: permanent error, retries exhausted, or dropped at shutdown. */
  public long failedItems() {
    return failedItems.get();
  }

  /** Items refused by {@link #consume} because the queue was full or the exporter was shutting down. */
  public long refusedItems() {
    return refusedItems.get();
  }

  /** Batches waiting in the queue. */
  public int queuedBatches() {
    return queueEnabled ? queueSize - capacity.availablePermits() : 0;
  }

  @Override
  public String toString() {
    return "QueuedRetrySender{" + exporterId + ", " + signal + "}";
  }
}
