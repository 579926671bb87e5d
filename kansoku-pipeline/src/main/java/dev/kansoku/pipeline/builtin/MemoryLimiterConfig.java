package dev.kansoku.pipeline.builtin;

import dev.kansoku.pipeline.Validatable;
import java.time.Duration;

/**
 * {@code memory_limiter}: refuses new data while the Java heap is above the soft limit
 * ({@code limit - spike}). In a JVM the limits apply to the heap (live objects plus garbage not yet
 * collected); percentages are of the maximum heap ({@code -Xmx}).
 */
final class MemoryLimiterConfig implements Validatable {
  /** How often the heap is measured. Required. Example: 1s. */
  Duration checkInterval = Duration.ZERO;
  /** Hard limit in MiB. Example: 400. */
  int limitMib;
  /** Headroom below the hard limit in MiB; the soft limit is limit_mib - spike_limit_mib. Default 20% of the limit. */
  int spikeLimitMib;
  /** Hard limit as a percentage of the maximum heap, used when limit_mib is 0. Example: 80. */
  int limitPercentage;
  /** Headroom as a percentage of the maximum heap, used with limit_percentage. Example: 20. */
  int spikeLimitPercentage;

  @Override
  public void validate() {
    if (checkInterval.isZero() || checkInterval.isNegative()) {
      throw new IllegalArgumentException("check_interval: " + GoDurations.format(checkInterval)
          + " (expected: > 0, e.g. 1s)");
    }
    if (limitMib < 0 || spikeLimitMib < 0) {
      throw new IllegalArgumentException("limit_mib and spike_limit_mib must be >= 0");
    }
    if (limitMib == 0 && limitPercentage == 0) {
      throw new IllegalArgumentException("set limit_mib or limit_percentage (expected: > 0)");
    }
    if (limitPercentage < 0 || limitPercentage > 100 || spikeLimitPercentage < 0 || spikeLimitPercentage > 100) {
      throw new IllegalArgumentException("limit_percentage: " + limitPercentage + ", spike_limit_percentage: "
          + spikeLimitPercentage + " (expected: 0 to 100)");
    }
    if (limitMib > 0 && spikeLimitMib >= limitMib) {
      throw new IllegalArgumentException("spike_limit_mib: " + spikeLimitMib + " (expected: < limit_mib "
          + limitMib + ")");
    }
    if (limitMib == 0 && spikeLimitPercentage >= limitPercentage) {
      throw new IllegalArgumentException("spike_limit_percentage: " + spikeLimitPercentage
          + " (expected: < limit_percentage " + limitPercentage + ")");
    }
  }

  /** The hard limit in bytes, for a heap of at most {@code maxHeap} bytes. */
  long hardLimitBytes(long maxHeap) {
    return limitMib > 0 ? mib(limitMib) : maxHeap / 100 * limitPercentage;
  }

  /** The soft limit in bytes: hard limit minus spike headroom. */
  long softLimitBytes(long maxHeap) {
    long hard = hardLimitBytes(maxHeap);
    long spike;
    if (limitMib > 0) {
      spike = spikeLimitMib > 0 ? mib(spikeLimitMib) : hard / 5;
    } else {
      spike = spikeLimitPercentage > 0 ? maxHeap / 100 * spikeLimitPercentage : hard / 5;
    }
    return hard - spike;
  }

  private static long mib(int n) {
    return (long) n << 20;
  }
}
