package dev.kansoku.pipeline.exporterhelper;

import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter for one batch: each wait is the current interval times a random
 * factor in [1 - f, 1 + f], capped at the maximum; the interval then grows by the multiplier.
 * Not thread-safe: one instance per batch being retried.
 */
final class Backoff {
  private final double randomizationFactor;
  private final double multiplier;
  private final long maxIntervalNanos;
  private final DoubleSupplier random;
  private long currentNanos;

  /** @param random values in [0, 1), e.g. {@code ThreadLocalRandom.current()::nextDouble} */
  Backoff(long initialIntervalNanos, double randomizationFactor, double multiplier, long maxIntervalNanos,
      DoubleSupplier random) {
    this.currentNanos = initialIntervalNanos;
    this.randomizationFactor = randomizationFactor;
    this.multiplier = multiplier;
    this.maxIntervalNanos = maxIntervalNanos;
    this.random = random;
  }

  /** The next wait in nanoseconds. */
  long next() {
    double jitter = 1 - randomizationFactor + 2 * randomizationFactor * random.getAsDouble();
    long wait = (long) Math.min(currentNanos * jitter, (double) maxIntervalNanos);
    // Multiply in double: a long product could overflow for large multipliers after many retries.
    currentNanos = (long) Math.min(currentNanos * multiplier, (double) maxIntervalNanos);
    return wait;
  }
}
