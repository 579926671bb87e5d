package dev.kansoku.ship;

import dev.kansoku.aws.logs.LogEvent;
import dev.kansoku.aws.logs.PutLogEventsSender;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * Sends batches with {@link PutLogEventsSender}, which creates a missing group or stream. Throttling,
 * 5xx answers and I/O errors (the endpoint restarting) are retried with exponential backoff from
 * {@code initialBackoff} up to {@code maxBackoff}, for as long as the shipper runs; once it is
 * stopping, a batch that still fails after {@code giveUpAfter} is dropped and counted. Any other error
 * (bad parameters, access denied) is permanent: the batch is dropped at once, with the error logged.
 * Delivery is at least once: a request that failed after the service stored it is sent again.
 *
 * <p>One thread calls {@link #put}.
 */
final class CloudWatchLogsSink {
  private static final Logger log = LoggerFactory.getLogger(CloudWatchLogsSink.class);

  private final PutLogEventsSender sender;
  private final String group;
  private final String stream;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration giveUpAfter;
  private final AtomicLong sentEvents = new AtomicLong();
  private final AtomicLong sentBatches = new AtomicLong();
  private final AtomicLong droppedEvents = new AtomicLong();
  private final AtomicLong rejectedEvents = new AtomicLong();

  CloudWatchLogsSink(CloudWatchLogsClient client, String group, String stream, Duration initialBackoff,
      Duration maxBackoff, Duration giveUpAfter) {
    this.sender = new PutLogEventsSender(client, "kansoku ship", Map.of(), 0, null);
    this.group = group;
    this.stream = stream;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.giveUpAfter = giveUpAfter;
  }

  /** Sends one batch (in time order, within PutLogEvents' limits); {@code stopping} turns on give-up. */
  void put(List<LogEvent> batch, BooleanSupplier stopping) throws InterruptedException {
    if (batch.isEmpty()) {
      return;
    }
    long backoff = initialBackoff.toMillis();
    long giveUpAt = Long.MAX_VALUE;
    for (int attempt = 1; ; attempt++) {
      try {
        rejectedEvents.addAndGet(sender.put(group, stream, batch));
        sentEvents.addAndGet(batch.size());
        sentBatches.incrementAndGet();
        return;
      } catch (SdkException e) {
        PutLogEventsSender.Failure f = PutLogEventsSender.failure(e);
        if (f != PutLogEventsSender.Failure.THROTTLED && f != PutLogEventsSender.Failure.UNAVAILABLE) {
          drop(batch, PutLogEventsSender.describe(e));
          return;
        }
        retryLater(attempt, backoff, PutLogEventsSender.describe(e));
      }
      long now = System.nanoTime();
      if (stopping.getAsBoolean() && giveUpAt == Long.MAX_VALUE) {
        giveUpAt = now + giveUpAfter.toNanos();
      }
      if (now >= giveUpAt) {
        drop(batch, "still failing " + giveUpAfter.toMillis() + " ms after shutdown began");
        return;
      }
      Thread.sleep(backoff);
      backoff = Math.min(backoff * 2, maxBackoff.toMillis());
    }
  }

  private void retryLater(int attempt, long backoffMillis, String why) {
    // The first retry is routine (throttling happens); repeated failures are worth a warning.
    if (attempt == 3 || attempt % 20 == 0) {
      log.warn("PutLogEvents to {}/{} failed {} times ({}); retrying every {} ms at most", group, stream, attempt,
          why, maxBackoff.toMillis());
    } else {
      log.debug("PutLogEvents attempt {} failed ({}); retrying in {} ms", attempt, why, backoffMillis);
    }
  }

  private void drop(List<LogEvent> batch, String why) {
    droppedEvents.addAndGet(batch.size());
    log.error("dropped {} log events for {}/{}: {}", batch.size(), group, stream, why);
  }

  long sentEvents() {
    return sentEvents.get();
  }

  long sentBatches() {
    return sentBatches.get();
  }

  long droppedEvents() {
    return droppedEvents.get();
  }

  long rejectedEvents() {
    return rejectedEvents.get();
  }
}
