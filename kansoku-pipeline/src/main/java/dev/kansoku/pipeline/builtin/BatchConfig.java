package dev.kansoku.pipeline.builtin;

import dev.kansoku.pipeline.Validatable;
import java.time.Duration;

/** {@code batch}: groups data into batches by size or time before it reaches the exporters. */
final class BatchConfig implements Validatable {
  /** Items (spans, data points, log records) that trigger a send. Example: 8192. */
  int sendBatchSize = 8192;
  /** The most a batch may hold; larger ones are split. 0 means no limit. Example: 10000. */
  int sendBatchMaxSize;
  /** How long a partial batch may wait before it is sent. Example: 200ms. */
  Duration timeout = Duration.ofMillis(200);

  @Override
  public void validate() {
    if (sendBatchSize < 0) {
      throw new IllegalArgumentException("send_batch_size: " + sendBatchSize + " (expected: >= 0)");
    }
    if (sendBatchMaxSize < 0) {
      throw new IllegalArgumentException("send_batch_max_size: " + sendBatchMaxSize + " (expected: >= 0)");
    }
    if (sendBatchMaxSize > 0 && sendBatchMaxSize < sendBatchSize) {
      throw new IllegalArgumentException("send_batch_max_size: " + sendBatchMaxSize
          + " (expected: 0 or >= send_batch_size " + sendBatchSize + ")");
    }
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: >= 0)");
    }
  }
}
