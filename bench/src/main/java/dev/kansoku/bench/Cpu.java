package dev.kansoku.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** CPU time in nanoseconds, to tell the client's share from the server's when both share a machine. */
final class Cpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private Cpu() {}

  static long currentThread() {
    return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : 0;
  }

  /** Summed CPU time of the live threads whose name starts with {@code prefix}. */
  static long threadsNamed(String prefix) {
    long sum = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith(prefix)) {
        long n = THREADS.getThreadCpuTime(t.getId());
        sum += Math.max(0, n);
      }
    }
    return sum;
  }

  /** CPU time of this whole JVM, 0 when the platform does not say. */
  static long process() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return Math.max(0, os.getProcessCpuTime());
    }
    return 0;
  }
}
