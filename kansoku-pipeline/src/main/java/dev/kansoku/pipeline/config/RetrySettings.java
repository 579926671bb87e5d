package dev.kansoku.pipeline.config;

import dev.kansoku.pipeline.Validatable;
import java.time.Duration;

/** {@code retry_on_failure} of an exporter: exponential backoff for retryable failures. */
public final class RetrySettings implements Validatable {
  public boolean enabled = true;
  /** Wait before the first retry. Example: 5s. */
  public Duration initialInterval = Duration.ofSeconds(5);
  /** Jitter: each wait is multiplied by a random factor in [1 - f, 1 + f]. Example: 0.5. */
  public double randomizationFactor = 0.5;
  /** Growth of the wait after each retry. Example: 1.5. */
  public double multiplier = 1.5;
  /** Upper bound of one wait. Example: 30s. */
  public Duration maxInterval = Duration.ofSeconds(30);
  /** Give up (and drop the batch) after trying this long; 0 means never. Example: 300s. */
  public Duration maxElapsedTime = Duration.ofSeconds(300);

  @Override
  public void validate() {
    if (initialInterval.isNegative() || initialInterval.isZero() && enabled) {
      throw new IllegalArgumentException("retry_on_failure::initial_interval: expected > 0");
    }
    if (randomizationFactor < 0 || randomizationFactor > 1) {
      throw new IllegalArgumentException("retry_on_failure::randomization_factor: " + randomizationFactor
          + " (expected: 0 to 1)");
    }
    if (multiplier < 1) {
      throw new IllegalArgumentException("retry_on_failure::multiplier: " + multiplier + " (expected: >= 1)");
    }
    if (maxInterval.compareTo(initialInterval) < 0) {
      throw new IllegalArgumentException("retry_on_failure::max_interval: expected >= initial_interval");
    }
    if (maxElapsedTime.isNegative()) {
      throw new IllegalArgumentException("retry_on_failure::max_elapsed_time: expected >= 0");
    }
  }
}
