package dev.kansoku.pipeline.exporterhelper;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Time as the retry loop sees it: a monotonic reading and a wait that shutdown can cut short.
 * Injected so tests run retry schedules of minutes in microseconds and can assert the waits asked
 * for. Shutdown wakes waits through a latch rather than by interrupting threads, so no thread is
 * ever interrupted inside an exporter's client code or a caller's code.
 */
interface RetryClock {
  /** The real clock: {@link System#nanoTime()} and {@link CountDownLatch#await(long, TimeUnit)}. */
  RetryClock SYSTEM = new RetryClock() {
    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public boolean sleep(long nanos, CountDownLatch wakeUp) throws InterruptedException {
      return wakeUp.await(nanos, TimeUnit.NANOSECONDS);
    }
  };

  long nanoTime();

  /**
   * Waits {@code nanos}, or less when {@code wakeUp} opens.
   *
   * @return true when woken early by {@code wakeUp}
   */
  boolean sleep(long nanos, CountDownLatch wakeUp) throws InterruptedException;
}
