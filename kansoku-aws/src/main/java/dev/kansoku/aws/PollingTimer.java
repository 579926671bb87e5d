package dev.kansoku.aws;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The timer of a receiver that polls a local endpoint: one daemon thread, the first run after one interval. */
public final class PollingTimer {
  private PollingTimer() {}

  /**
   * Runs {@code task} every {@code every} (measured from the end of the previous run) on a daemon
   * thread named after the component; stop it with {@code shutdownNow()}. The task must not throw:
   * a scheduled task that throws is never run again.
   */
  public static ScheduledExecutorService start(String id, Duration every, Runnable task) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "kansoku-" + id);
      t.setDaemon(true);
      return t;
    });
    long nanos = every.toNanos();
    timer.scheduleWithFixedDelay(task, nanos, nanos, TimeUnit.NANOSECONDS);
    return timer;
  }
}
