package dev.kansoku.bench;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/** What the figures depend on: cores and load, printed with every result. */
final class Machine {
  private Machine() {}

  static String describe() {
    return String.format(Locale.ROOT, "%d cores, load average %.2f, Java %s, max heap %d MB",
        Runtime.getRuntime().availableProcessors(), loadAverage(), System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() / (1024 * 1024));
  }

  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
