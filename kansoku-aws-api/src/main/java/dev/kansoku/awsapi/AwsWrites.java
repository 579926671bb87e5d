package dev.kansoku.awsapi;

import dev.kansoku.pipeline.Consumers;

/**
 * The AWS write operations of one {@code kansoku} endpoint (PutTraceSegments, PutLogEvents,
 * PutMetricData), as a {@code kansoku} receiver finds them through the extension: the receiver
 * attaches the pipelines it feeds, and the operations deliver there.
 */
public interface AwsWrites {
  /**
   * Makes the write operations deliver to {@code next} until the returned handle is closed.
   *
   * @throws IllegalStateException when another receiver is attached already
   */
  Attachment attach(String receiverId, Consumers next);

  /** Ends an attachment. */
  interface Attachment extends AutoCloseable {
    @Override
    void close();
  }
}
