package dev.kansoku.pipeline.exporterhelper;

import dev.kansoku.pipeline.ConsumeException;

/**
 * What an exporter writes: send one batch once, within the exporter's own per-attempt timeout.
 * Queueing and retrying are added around it by {@link QueuedRetrySender}.
 */
@FunctionalInterface
public interface BatchSender<T> {
  /**
   * @throws ConsumeException the batch was not delivered; {@link ConsumeException#retryable()} and
   *     {@link ConsumeException#retryAfter()} decide whether and when it is sent again
   */
  void send(T batch) throws ConsumeException;
}
