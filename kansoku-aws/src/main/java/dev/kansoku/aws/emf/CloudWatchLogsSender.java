package dev.kansoku.aws.emf;

import dev.kansoku.pipeline.ConsumeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * Writes EMF events with PutLogEvents, one request per {@link LogEventBatcher} batch. A missing log
 * group or stream (ResourceNotFoundException) is created — stream first, group and stream when the
 * group is missing too, as cwlog_client.go does — and the put is tried again.
 *
 * <p>Failures map to {@link ConsumeException}: throttling, 5xx and network errors are retryable,
 * other 4xx (InvalidParameterException, AccessDenied…) are permanent. The reference treats every 4xx,
 * throttling included, as permanent; retrying throttling is what CloudWatch asks clients to do.
 *
 * <p>Thread-safe: the SDK client is, and the sender keeps no other state.
 */
final class CloudWatchLogsSender {
  private static final Logger log = LoggerFactory.getLogger(CloudWatchLogsSender.class);

  private final String exporterId;
  private final CloudWatchLogsClient client;
  private final LogEventBatcher batcher;
  private final long retentionDays;
  private final Map<String, String> tags;

  CloudWatchLogsSender(String exporterId, CloudWatchLogsClient client, LogEventBatcher batcher, long retentionDays,
      Map<String, String> tags) {
    this.exporterId = exporterId;
    this.client = client;
    this.batcher = batcher;
    this.retentionDays = retentionDays;
    this.tags = Map.copyOf(tags);
  }

  /** The requests for {@code events}, grouped by log group and stream in arrival order. */
  List<Request> plan(List<EmfEvent> events) {
    Map<List<String>, List<EmfEvent>> byStream = new LinkedHashMap<>();
    for (EmfEvent e : events) {
      byStream.computeIfAbsent(List.of(e.logGroup(), e.logStream()), k -> new ArrayList<>()).add(e);
    }
    List<Request> out = new ArrayList<>();
    byStream.forEach((k, v) -> batcher.batches(v).forEach(b -> out.add(new Request(k.get(0), k.get(1), b))));
    return out;
  }

  record Request(String logGroup, String logStream, List<LogEventBatcher.Entry> events) {}

  void put(Request r) throws ConsumeException {
    List<InputLogEvent> events = new ArrayList<>(r.events().size());
    for (LogEventBatcher.Entry e : r.events()) {
      events.add(InputLogEvent.builder().timestamp(e.timestampMs()).message(e.message()).build());
    }
    PutLogEventsRequest request = PutLogEventsRequest.builder()
        .logGroupName(r.logGroup())
        .logStreamName(r.logStream())
        .logEvents(events)
        // Tells CloudWatch the events are EMF (no longer required, still sent by the reference).
        .overrideConfiguration(o -> o.putHeader("x-amzn-logs-format", "json/emf"))
        .build();
    try {
      try {
        log(client.putLogEvents(request), r);
      } catch (ResourceNotFoundException e) {
        createStream(r.logGroup(), r.logStream());
        log(client.putLogEvents(request), r);
      }
    } catch (SdkServiceException e) {
      throw toConsumeException(e, r);
    } catch (SdkClientException e) {
      throw ConsumeException.unavailable("exporter " + exporterId + ": PutLogEvents to " + r.logGroup() + "/"
          + r.logStream() + " failed: " + e.getMessage(), null, e);
    }
  }

  private void log(PutLogEventsResponse response, Request r) {
    if (response.rejectedLogEventsInfo() != null) {
      log.warn("Exporter {}: CloudWatch Logs rejected some events of {}/{}: {}", exporterId, r.logGroup(),
          r.logStream(), response.rejectedLogEventsInfo());
    }
  }

  private void createStream(String group, String stream) {
    try {
      client.createLogStream(b -> b.logGroupName(group).logStreamName(stream));
    } catch (ResourceAlreadyExistsException e) {
      return;
    } catch (ResourceNotFoundException e) {
      createGroup(group);
      try {
        client.createLogStream(b -> b.logGroupName(group).logStreamName(stream));
      } catch (ResourceAlreadyExistsException again) {
        return;
      }
    }
    log.info("Exporter {} created log stream {}/{}", exporterId, group, stream);
  }

  private void createGroup(String group) {
    try {
      client.createLogGroup(b -> {
        b.logGroupName(group);
        if (!tags.isEmpty()) {
          b.tags(tags);
        }
      });
      log.info("Exporter {} created log group {}", exporterId, group);
      if (retentionDays > 0) {
        client.putRetentionPolicy(b -> b.logGroupName(group).retentionInDays((int) retentionDays));
      }
    } catch (ResourceAlreadyExistsException e) {
      // Another collector created it first.
    }
  }

  /** The one place that says which CloudWatch Logs errors are worth retrying. */
  ConsumeException toConsumeException(SdkServiceException e, Request r) {
    AwsErrorDetails details = e instanceof AwsServiceException a ? a.awsErrorDetails() : null;
    String code = details != null ? details.errorCode() : null;
    String message = "exporter " + exporterId + ": PutLogEvents to " + r.logGroup() + "/" + r.logStream()
        + " answered " + e.statusCode() + (code != null ? " " + code : "") + ": "
        + (details != null && details.errorMessage() != null ? details.errorMessage() : e.getMessage());
    if (e.isThrottlingException() || e.statusCode() == 429) {
      return ConsumeException.overloaded(message, Duration.ofSeconds(1));
    }
    if (e.statusCode() >= 500) {
      return ConsumeException.unavailable(message, null, e);
    }
    return "InvalidParameterException".equals(code) || "SerializationException".equals(code)
        ? ConsumeException.invalid(message) : ConsumeException.permanent(message, e);
  }
}
