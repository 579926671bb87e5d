package dev.kansoku.aws.logs;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.DataAlreadyAcceptedException;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.RejectedLogEventsInfo;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * Sends PutLogEvents requests for the awsemf exporter and {@code kansoku ship}. A missing log group
 * or stream (ResourceNotFoundException) is created and the request sent once more: the stream
 * first, and the group and stream when the group is missing too, as the collector's cwlog_client.go
 * does, which costs one call when only the stream is new. A new group gets the given tags and
 * retention. Retrying a failed request is the caller's: {@link #failure} says which failures are
 * worth it.
 *
 * <p>Thread-safe: the SDK client is, and the sender keeps no other state.
 */
public final class PutLogEventsSender {
  private static final Logger log = LoggerFactory.getLogger(PutLogEventsSender.class);

  /** What a failed PutLogEvents means for the data, judged by {@link #failure}. */
  public enum Failure {
    /** Throttled: the same request may succeed after a pause. */
    THROTTLED,
    /** A 5xx answer or none at all: the same request may succeed later. */
    UNAVAILABLE,
    /** The request itself is bad (InvalidParameterException, SerializationException). */
    INVALID,
    /** Any other refusal (access denied, a group that cannot be created): sending again will not help. */
    PERMANENT
  }

  private final CloudWatchLogsClient client;
  private final String owner;
  private final Map<String, String> groupTags;
  private final int retentionDays;
  @Nullable private final String logFormat;

  /**
   * @param owner who sends, for log lines ("Exporter awsemf", "kansoku ship")
   * @param groupTags tags of a log group this sender creates
   * @param retentionDays retention of a log group this sender creates; 0 leaves it unset (never expire)
   * @param logFormat the {@code x-amzn-logs-format} header ("json/emf"), or null for none
   */
  public PutLogEventsSender(CloudWatchLogsClient client, String owner, Map<String, String> groupTags,
      int retentionDays, @Nullable String logFormat) {
    this.client = requireNonNull(client, "client");
    this.owner = requireNonNull(owner, "owner");
    this.groupTags = Map.copyOf(groupTags);
    this.retentionDays = retentionDays;
    this.logFormat = logFormat;
  }

  /**
   * Sends {@code events} (in time order, within {@link CloudWatchLogsLimits}; see
   * {@link LogEventBatcher}) to {@code group}/{@code stream}, creating them when missing.
   *
   * @return how many events CloudWatch rejected as too old, expired or too new (logged here)
   * @throws SdkException when the request failed; {@link #failure} classifies it
   */
  public int put(String group, String stream, List<LogEvent> events) {
    List<InputLogEvent> input = new ArrayList<>(events.size());
    for (LogEvent e : events) {
      input.add(InputLogEvent.builder().timestamp(e.timestamp()).message(e.message()).build());
    }
    PutLogEventsRequest.Builder b = PutLogEventsRequest.builder().logGroupName(group).logStreamName(stream)
        .logEvents(input);
    if (logFormat != null) {
      b.overrideConfiguration(o -> o.putHeader("x-amzn-logs-format", logFormat));
    }
    PutLogEventsRequest request = b.build();
    RejectedLogEventsInfo rejected;
    try {
      try {
        rejected = client.putLogEvents(request).rejectedLogEventsInfo();
      } catch (ResourceNotFoundException e) {
        createStream(group, stream);
        rejected = client.putLogEvents(request).rejectedLogEventsInfo();
      }
    } catch (DataAlreadyAcceptedException e) {
      // A resend of a request the service had stored: delivered.
      return 0;
    }
    return rejected(rejected, events.size(), group, stream);
  }

  private int rejected(@Nullable RejectedLogEventsInfo r, int size, String group, String stream) {
    if (r == null) {
      return 0;
    }
    // The rejected events form a prefix (too old, expired) and a suffix (too new) of the request.
    int old = Math.max(r.tooOldLogEventEndIndex() == null ? 0 : r.tooOldLogEventEndIndex(),
        r.expiredLogEventEndIndex() == null ? 0 : r.expiredLogEventEndIndex());
    int tooNew = r.tooNewLogEventStartIndex() == null ? 0 : size - r.tooNewLogEventStartIndex();
    if (old + tooNew > 0) {
      log.warn("{}: CloudWatch Logs rejected {} events of {}/{} as too old or expired and {} as too new"
          + " (is the clock right?)", owner, old, group, stream, tooNew);
    }
    return old + tooNew;
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
    log.info("{} created log stream {}/{}", owner, group, stream);
  }

  private void createGroup(String group) {
    try {
      client.createLogGroup(b -> {
        b.logGroupName(group);
        if (!groupTags.isEmpty()) {
          b.tags(groupTags);
        }
      });
      log.info("{} created log group {}", owner, group);
      if (retentionDays > 0) {
        client.putRetentionPolicy(b -> b.logGroupName(group).retentionInDays(retentionDays));
      }
    } catch (ResourceAlreadyExistsException e) {
      // Another sender created it first.
    }
  }

  /** The one place that says which PutLogEvents failures are worth retrying. */
  public static Failure failure(SdkException e) {
    if (!(e instanceof SdkServiceException s)) {
      return Failure.UNAVAILABLE; // no answer: connection refused, timeout
    }
    if (s.isThrottlingException() || s.statusCode() == 429) {
      return Failure.THROTTLED;
    }
    if (s.statusCode() >= 500) {
      return Failure.UNAVAILABLE;
    }
    String code = errorCode(e);
    return "InvalidParameterException".equals(code) || "SerializationException".equals(code)
        ? Failure.INVALID : Failure.PERMANENT;
  }

  /** "answered 400 InvalidParameterException: why", or the client's message when nothing answered. */
  public static String describe(SdkException e) {
    if (!(e instanceof SdkServiceException s)) {
      return "failed: " + e.getMessage();
    }
    AwsErrorDetails details = e instanceof AwsServiceException a ? a.awsErrorDetails() : null;
    String code = errorCode(e);
    return "answered " + s.statusCode() + (code != null ? " " + code : "") + ": "
        + (details != null && details.errorMessage() != null ? details.errorMessage() : e.getMessage());
  }

  @Nullable
  private static String errorCode(SdkException e) {
    AwsErrorDetails details = e instanceof AwsServiceException a ? a.awsErrorDetails() : null;
    return details != null ? details.errorCode() : null;
  }
}
