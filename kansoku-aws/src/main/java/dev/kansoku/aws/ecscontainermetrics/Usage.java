package dev.kansoku.aws.ecscontainermetrics;

/**
 * One container's (or the task's summed) resource usage, the numbers behind the metrics. Counters
 * stay unsigned 64-bit values held in longs, as Docker reports them.
 */
final class Usage {
  long memoryUsage;
  long memoryMaxUsage;
  long memoryLimit;
  long memoryReserved;
  long memoryUtilized;

  long cpuTotalUsage;
  long cpuKernelMode;
  long cpuUserMode;
  long cpuCores;
  long cpuOnlines;
  long cpuSystemUsage;
  double cpuReserved;
  double cpuUtilized;
  double cpuUsageInVcpu;

  double networkRateRx;
  double networkRateTx;
  /** rx bytes, packets, errors, dropped, then the same four for tx. */
  final long[] network = new long[8];

  long storageRead;
  long storageWrite;

  /** Adds a container's usage into the task's; utilization is not a sum and is left alone. */
  void add(Usage c) {
    memoryUsage += c.memoryUsage;
    memoryMaxUsage += c.memoryMaxUsage;
    memoryLimit += c.memoryLimit;
    memoryReserved += c.memoryReserved;
    memoryUtilized += c.memoryUtilized;
    cpuTotalUsage += c.cpuTotalUsage;
    cpuKernelMode += c.cpuKernelMode;
    cpuUserMode += c.cpuUserMode;
    cpuCores += c.cpuCores;
    cpuOnlines += c.cpuOnlines;
    cpuSystemUsage += c.cpuSystemUsage;
    cpuReserved += c.cpuReserved;
    cpuUsageInVcpu += c.cpuUsageInVcpu;
    networkRateRx += c.networkRateRx;
    networkRateTx += c.networkRateTx;
    for (int i = 0; i < network.length; i++) {
      network[i] += c.network[i];
    }
    storageRead += c.storageRead;
    storageWrite += c.storageWrite;
  }
}
