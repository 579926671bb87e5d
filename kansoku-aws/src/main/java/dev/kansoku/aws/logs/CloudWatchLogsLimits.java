package dev.kansoku.aws.logs;

/**
 * CloudWatch Logs' PutLogEvents limits, the one copy that the awsemf exporter, {@code kansoku ship}
 * and Kansoku's own PutLogEvents endpoint share. Sizes count each event's UTF-8 message plus
 * {@link #EVENT_OVERHEAD} bytes; times are epoch milliseconds.
 */
public final class CloudWatchLogsLimits {
  /** Events in one request. */
  public static final int MAX_EVENTS = 10_000;
  /** Bytes in one request, counting {@link #EVENT_OVERHEAD} per event. */
  public static final int MAX_BATCH_BYTES = 1_048_576;
  /** What CloudWatch adds to each message's UTF-8 length when it counts a request's size. */
  public static final int EVENT_OVERHEAD = 26;
  /**
   * The event size senders keep to, with the overhead: 256 KiB, as ADOT's awsemf exporter and
   * Docker's awslogs driver do. Kansoku's endpoint accepts any event that fits in a request.
   */
  public static final int MAX_EVENT_BYTES = 262_144;
  /** The longest message a sender puts in one event. */
  public static final int MAX_MESSAGE_BYTES = MAX_EVENT_BYTES - EVENT_OVERHEAD;
  /** The longest time between the oldest and newest event of one request. */
  public static final long MAX_SPAN_MS = 24 * 3_600_000L;
  /** Events older than this are rejected (tooOldLogEventEndIndex). */
  public static final long MAX_AGE_MS = 14 * 24 * 3_600_000L;
  /** Events further ahead of the service's clock than this are rejected (tooNewLogEventStartIndex). */
  public static final long MAX_AHEAD_MS = 2 * 3_600_000L;

  private CloudWatchLogsLimits() {}
}
