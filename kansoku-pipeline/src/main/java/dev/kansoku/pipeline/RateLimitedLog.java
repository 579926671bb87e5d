package dev.kansoku.pipeline;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Warns at most once per interval, saying how many similar warnings it held back, so a failing
 * exporter or a flood of bad requests cannot flood the log.
 */
public final class RateLimitedLog {
  private final Logger log;
  private final long intervalNanos;
  private final AtomicLong nextAt = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  public RateLimitedLog(Logger log, long interval, TimeUnit unit) {
    this.log = log;
    this.intervalNanos = unit.toNanos(interval);
  }

  public void warn(String format, Object... args) {
    long now = System.nanoTime();
    long next = nextAt.get();
    if ((next != Long.MIN_VALUE && now - next < 0) || !nextAt.compareAndSet(next, now + intervalNanos)) {
      suppressed.incrementAndGet();
      return;
    }
    long held = suppressed.getAndSet(0);
    log.warn(held == 0 ? format : format + " (" + held + " similar warnings held back)", args);
  }
}
