package dev.kansoku.pipeline.builtin;

import dev.kansoku.pipeline.Admission;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.Processor;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Refuses data with a retryable "overloaded" error while its {@link MemoryChecker} says the heap is
 * above the soft limit; receivers turn that into RESOURCE_EXHAUSTED (gRPC) or 429 (HTTP) with a
 * retry delay, so senders back off and keep their data. Its checker is also the receivers'
 * {@link Admission} gate, asked before a request is read (see {@link MemoryChecker}).
 */
final class MemoryLimiterProcessor<T> implements Processor<T>, Admission.Source {
  private final String id;
  private final MemoryChecker checker;
  private final DataConsumer<T> next;
  private final Duration retryAfter;
  private final AtomicLong refused = new AtomicLong();
  private final Object lock = new Object();
  private boolean started;

  MemoryLimiterProcessor(String id, MemoryChecker checker, DataConsumer<T> next) {
    this.id = id;
    this.checker = checker;
    this.next = next;
    this.retryAfter = checker.retryAfter();
  }

  @Override
  public Admission admission() {
    return checker;
  }

  @Override
  public void start(Host host) {
    synchronized (lock) {
      if (!started) {
        started = true;
        checker.acquire();
      }
    }
  }

  @Override
  public void consume(T data) throws ConsumeException {
    if (checker.refusing()) {
      refused.incrementAndGet();
      throw ConsumeException.overloaded("memory_limiter " + id + ": data refused, heap in use "
          + (checker.lastUsedBytes() >> 20) + " MiB is above the soft limit " + (checker.softLimitBytes() >> 20)
          + " MiB; retry later", retryAfter);
    }
    next.consume(data);
  }

  long refusedBatches() {
    return refused.get();
  }

  @Override
  public void shutdown() {
    synchronized (lock) {
      if (started) {
        started = false;
        checker.release();
      }
    }
  }
}
