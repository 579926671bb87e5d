package dev.kansoku.ship;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.DataAlreadyAcceptedException;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.RejectedLogEventsInfo;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * Sends batches with PutLogEvents. A missing group or stream is created, then the batch is sent again.
 * Throttling, 5xx answers and I/O errors (the endpoint restarting) are retried with exponential backoff
 * from {@code initialBackoff} up to {@code maxBackoff}, for as long as the shipper runs; once it is
 * stopping, a batch that still fails after {@code giveUpAfter} is dropped and counted. Any other error
 * (bad parameters, access denied) is permanent: the batch is dropped at once, with the error logged.
 * Delivery is at least once: a request that failed after the service stored it is sent again.
 *
 * <p>One thread calls {@link #put}.
 */
final class CloudWatchLogsSink {
  private static final Logger log = LoggerFactory.getLogger(CloudWatchLogsSink.class);

  private final CloudWatchLogsClient client;
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
    this.client = client;
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
    List<InputLogEvent> events = batch.stream()
        .map(e -> InputLogEvent.builder().timestamp(e.timestamp()).message(e.message()).build()).toList();
    long backoff = initialBackoff.toMillis();
    long giveUpAt = Long.MAX_VALUE;
    boolean created = false;
    for (int attempt = 1; ; attempt++) {
      try {
        PutLogEventsResponse r = client.putLogEvents(b -> b.logGroupName(group).logStreamName(stream).logEvents(events));
        sentEvents.addAndGet(events.size());
        sentBatches.incrementAndGet();
        noteRejections(r.rejectedLogEventsInfo(), events.size());
        return;
      } catch (DataAlreadyAcceptedException e) {
        return;
      } catch (ResourceNotFoundException e) {
        if (created) {
          drop(batch, "the log group or stream is still missing after creating it: " + e.getMessage());
          return;
        }
        createGroupAndStream();
        created = true;
        continue;
      } catch (AwsServiceException e) {
        if (!e.isThrottlingException() && e.statusCode() < 500) {
          drop(batch, e.getMessage());
          return;
        }
        retryLater(attempt, backoff, e.getMessage());
      } catch (SdkClientException e) {
        retryLater(attempt, backoff, e.getMessage());
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

  private void createGroupAndStream() {
    try {
      client.createLogGroup(b -> b.logGroupName(group));
      log.info("created log group {}", group);
    } catch (ResourceAlreadyExistsException e) {
      // Another shipper (or an earlier run) made it; the stream may be the missing one.
    }
    try {
      client.createLogStream(b -> b.logGroupName(group).logStreamName(stream));
      log.info("created log stream {} in {}", stream, group);
    } catch (ResourceAlreadyExistsException e) {
      // Made between our calls: fine.
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

  private void noteRejections(RejectedLogEventsInfo r, int size) {
    if (r == null) {
      return;
    }
    int old = Math.max(r.tooOldLogEventEndIndex() == null ? 0 : r.tooOldLogEventEndIndex(),
        r.expiredLogEventEndIndex() == null ? 0 : r.expiredLogEventEndIndex());
    int tooNew = r.tooNewLogEventStartIndex() == null ? 0 : size - r.tooNewLogEventStartIndex();
    if (old + tooNew > 0) {
      log.warn("CloudWatch Logs rejected {} events as too old or expired and {} as too new (is the clock right?)",
          old, tooNew);
      rejectedEvents.addAndGet(old + tooNew);
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
