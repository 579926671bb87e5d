package dev.kansoku.pipeline.builtin;

import dev.kansoku.pipeline.Admission;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.RateLimitedLog;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the heap every {@code check_interval} and tells whether data must be refused. One
 * checker serves all pipelines that name the same {@code memory_limiter} id.
 *
 * <p>The heap counts garbage that the collector has not reclaimed yet, so a reading above the soft
 * limit first asks for a collection and decides on the reading after it: data is refused only for
 * live data, and refusals stop as soon as the heap has room again. Collections are asked for at
 * most once per interval.
 *
 * <p>It is also the receivers' {@link Admission} gate: a request is admitted only while the heap is
 * below the soft limit and the bytes of all admitted requests still in flight stay within the spike
 * headroom ({@code limit - soft limit}), the memory the configuration sets aside for what arrives
 * between two measurements. A request larger than the headroom is admitted only when nothing else
 * is in flight, so it is slowed down, never refused for good.
 *
 * <p>The measuring thread survives anything its measurement throws (an OutOfMemoryError included);
 * should measurements still stop, the first caller that finds the last one older than three
 * intervals measures itself, so stale state never refuses data for good.
 *
 * <p>Thread-safe: {@link #refusing()} reads a volatile flag, cheap enough for every batch.
 */
final class MemoryChecker implements Admission {
  private static final Logger log = LoggerFactory.getLogger(MemoryChecker.class);
  private static final long STALE_AFTER_INTERVALS = 3;

  private final String id;
  private final long intervalNanos;
  private final long hardLimit;
  private final long softLimit;
  private final long maxHeap;
  private final LongSupplier heapUsed;
  private final Runnable collectGarbage;
  private final Duration retryAfter;
  private final Object lock = new Object();
  /** Held while measuring, so a caller that finds the state stale does not measure twice at once. */
  private final ReentrantLock measuring = new ReentrantLock();
  private final AtomicLong inFlight = new AtomicLong();
  private final RateLimitedLog failures = new RateLimitedLog(log, 10, TimeUnit.SECONDS);
  private volatile boolean refusing;
  private volatile long lastUsed;
  private volatile long lastCheckNanos = System.nanoTime();
  private int users;
  private ScheduledExecutorService scheduler;

  MemoryChecker(String id, MemoryLimiterConfig config) {
    this(id, config, Runtime.getRuntime().maxMemory(), heapUsedReader(), System::gc);
  }

  MemoryChecker(String id, MemoryLimiterConfig config, long maxHeap, LongSupplier heapUsed, Runnable collectGarbage) {
    this.id = id;
    this.intervalNanos = config.checkInterval.toNanos();
    this.maxHeap = maxHeap;
    this.hardLimit = config.hardLimitBytes(maxHeap);
    this.softLimit = config.softLimitBytes(maxHeap);
    this.heapUsed = heapUsed;
    this.collectGarbage = collectGarbage;
    this.retryAfter = Duration.ofNanos(Math.max(intervalNanos, Duration.ofSeconds(1).toNanos()));
    if (hardLimit > maxHeap) {
      log.warn("memory_limiter {}: the limit {} MiB is above the maximum heap {} MiB, so the heap runs out first;"
          + " Possible solutions: lower limit_mib, use limit_percentage, or raise -Xmx (JAVA_OPTS)", id,
          hardLimit >> 20, maxHeap >> 20);
    }
  }

  private static LongSupplier heapUsedReader() {
    MemoryMXBean bean = ManagementFactory.getMemoryMXBean();
    return () -> bean.getHeapMemoryUsage().getUsed();
  }

  /** Starts measuring when the first user starts. */
  void acquire() {
    synchronized (lock) {
      if (users++ == 0) {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "memory-limiter-" + id);
          t.setDaemon(true);
          return t;
        });
        checkSafely();
        scheduler.scheduleWithFixedDelay(this::checkSafely, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
      }
    }
  }

  /** Stops measuring when the last user stops. */
  void release() {
    synchronized (lock) {
      if (users > 0 && --users == 0) {
        scheduler.shutdownNow();
        scheduler = null;
        refusing = false;
      }
    }
  }

  /**
   * The measuring thread's task. A scheduled task that throws is never run again, so nothing may
   * escape: an OutOfMemoryError elsewhere in the JVM can strike here too, and the limiter must
   * keep measuring (and stop refusing) once memory is back.
   */
  void checkSafely() {
    try {
      check();
    } catch (Throwable t) {
      failures.warn("memory_limiter {}: measuring the heap failed; trying again in {} ms", id,
          TimeUnit.NANOSECONDS.toMillis(intervalNanos), t);
    }
  }

  /** One measurement; package-private so tests can step it with a fake heap. */
  void check() {
    measuring.lock();
    try {
      measure();
    } finally {
      measuring.unlock();
    }
  }

  private void measure() {
    long used = heapUsed.getAsLong();
    if (used > softLimit) {
      collectGarbage.run();
      used = heapUsed.getAsLong();
    }
    lastUsed = used;
    lastCheckNanos = System.nanoTime();
    boolean refuse = used > softLimit;
    if (refuse != refusing) {
      refusing = refuse;
      if (refuse) {
        log.warn("memory_limiter {}: heap in use {} MiB is above the soft limit {} MiB (hard limit {} MiB);"
            + " refusing new data until it falls", id, used >> 20, softLimit >> 20, hardLimit >> 20);
      } else {
        log.info("memory_limiter {}: heap in use {} MiB is below the soft limit {} MiB; accepting data again", id,
            used >> 20, softLimit >> 20);
      }
    }
  }

  boolean refusing() {
    if (System.nanoTime() - lastCheckNanos > STALE_AFTER_INTERVALS * intervalNanos && measuring.tryLock()) {
      // The measuring thread is late (stopped, or starved): measure here rather than trust an old verdict.
      try {
        if (System.nanoTime() - lastCheckNanos > STALE_AFTER_INTERVALS * intervalNanos) {
          failures.warn("memory_limiter {}: no heap measurement for {} ms; measuring on a request thread", id,
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastCheckNanos));
          measure();
        }
      } catch (Throwable t) {
        failures.warn("memory_limiter {}: measuring the heap failed", id, t);
      } finally {
        measuring.unlock();
      }
    }
    return refusing;
  }

  @Override
  public Permit admit(long bytes) throws ConsumeException {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes: " + bytes + " (expected: >= 0)");
    }
    if (refusing()) {
      throw overloaded("heap in use " + (lastUsed >> 20) + " MiB is above the soft limit " + (softLimit >> 20)
          + " MiB");
    }
    reserve(bytes, 0);
    return new Reservation(bytes);
  }

  /** Adds {@code bytes} to the bytes in flight, of which {@code own} are the caller's already. */
  private void reserve(long bytes, long own) throws ConsumeException {
    long budget = hardLimit - softLimit;
    while (true) {
      long current = inFlight.get();
      // Alone in flight, a request may exceed the headroom: otherwise it could never be admitted.
      if (current - own > 0 && current + bytes > budget) {
        throw overloaded((current >> 20) + " MiB of requests in flight; this one needs " + (bytes >> 20)
            + " MiB more and the spike headroom is " + (budget >> 20) + " MiB");
      }
      // Alone, it still has to fit in the heap beside what the last measurement found there.
      if (current + bytes > budget && lastUsed + current + bytes > maxHeap) {
        throw overloaded("this request needs " + ((current + bytes) >> 20) + " MiB and the heap holds "
            + (lastUsed >> 20) + " of its " + (maxHeap >> 20) + " MiB");
      }
      if (inFlight.compareAndSet(current, current + bytes)) {
        return;
      }
    }
  }

  private ConsumeException overloaded(String why) {
    return ConsumeException.overloaded("memory_limiter " + id + ": data refused, " + why + "; retry later",
        retryAfter);
  }

  /** Bytes of admitted requests still in flight. */
  long inFlightBytes() {
    return inFlight.get();
  }

  /** Thread-safe: a request may be completed (and its permit closed) on another thread. */
  private final class Reservation implements Permit {
    private long bytes;
    private boolean closed;

    Reservation(long bytes) {
      this.bytes = bytes;
    }

    @Override
    public synchronized void grow(long more) throws ConsumeException {
      if (closed || more <= 0) {
        return;
      }
      if (refusing()) {
        throw overloaded("heap in use " + (lastUsed >> 20) + " MiB is above the soft limit " + (softLimit >> 20)
            + " MiB");
      }
      reserve(more, bytes);
      bytes += more;
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        inFlight.addAndGet(-bytes);
      }
    }
  }

  long lastUsedBytes() {
    return lastUsed;
  }

  long softLimitBytes() {
    return softLimit;
  }

  long intervalNanos() {
    return intervalNanos;
  }

  Duration retryAfter() {
    return retryAfter;
  }
}
