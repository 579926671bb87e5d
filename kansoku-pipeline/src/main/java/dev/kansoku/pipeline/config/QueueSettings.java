package dev.kansoku.pipeline.config;

import dev.kansoku.pipeline.Validatable;

/**
 * {@code sending_queue} of an exporter: batches wait here for a sender thread, so a slow or failing
 * endpoint does not block the pipeline. Bounded; when full, new batches are refused (and counted).
 */
public final class QueueSettings implements Validatable {
  public boolean enabled = true;
  /** Sender threads. Example: 10. */
  public int numConsumers = 10;
  /** Batches the queue holds at most. Example: 1000. */
  public int queueSize = 1000;

  @Override
  public void validate() {
    if (enabled && numConsumers <= 0) {
      throw new IllegalArgumentException("sending_queue::num_consumers: " + numConsumers + " (expected: > 0)");
    }
    if (enabled && queueSize <= 0) {
      throw new IllegalArgumentException("sending_queue::queue_size: " + queueSize + " (expected: > 0)");
    }
  }
}
