package dev.kansoku.model;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import javax.annotation.Nullable;

/**
 * One log record as Kansoku stores it, CloudWatch-style placed in a log group and stream.
 *
 * <p>Trace correlation is normalised here, on the way in: when the record carries no OTLP trace id,
 * the body is scanned once by {@link TraceCorrelation} for an X-Ray or W3C id (the seed's logback
 * pattern prints {@code trace_id=1-655415c5-…@<span id>}), so every backend indexes one field and
 * "logs of trace T" never needs a text scan. Immutable and thread-safe; times are epoch nanoseconds.
 *
 * @param timeNanos when the event happened; OTLP's observed time when the sender left it 0
 * @param severityNumber OTLP's 1..24 scale, 0 when unknown
 */
public record LogRecord(
    long timeNanos,
    long observedTimeNanos,
    String logGroup,
    String logStream,
    String serviceName,
    String severityText,
    int severityNumber,
    String body,
    Map<String, Object> attributes,
    Map<String, Object> resourceAttributes,
    @Nullable TraceId traceId,
    @Nullable SpanId spanId) {

  public LogRecord {
    requireNonNull(logGroup, "logGroup");
    requireNonNull(logStream, "logStream");
    requireNonNull(serviceName, "serviceName");
    severityText = severityText == null ? "" : severityText;
    body = body == null ? "" : body;
    if (logGroup.isEmpty()) {
      throw new IllegalArgumentException("logGroup: empty");
    }
    if (logStream.isEmpty()) {
      throw new IllegalArgumentException("logStream: empty");
    }
    if (severityNumber < 0 || severityNumber > 24) {
      throw new IllegalArgumentException("severityNumber: " + severityNumber + " (expected: 0..24)");
    }
    if (timeNanos == 0) {
      timeNanos = observedTimeNanos;
    }
    if (observedTimeNanos == 0) {
      observedTimeNanos = timeNanos;
    }
    attributes = Attributes.copyOf(attributes == null ? Map.of() : attributes);
    resourceAttributes = Attributes.copyOf(resourceAttributes == null ? Map.of() : resourceAttributes);
    if (traceId == null) {
      TraceCorrelation.Match m = TraceCorrelation.find(body);
      if (m != null) {
        traceId = m.traceId();
        if (spanId == null) {
          spanId = m.spanId();
        }
      }
    }
  }

  /** A log attribute, else the resource attribute of that key, else null. */
  @Nullable
  public Object attribute(String key) {
    Object v = attributes.get(key);
    return v != null ? v : resourceAttributes.get(key);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Not thread-safe. */
  public static final class Builder {
    private long timeNanos;
    private long observedTimeNanos;
    private String logGroup;
    private String logStream;
    private String serviceName;
    private String severityText = "";
    private int severityNumber;
    private String body = "";
    private Map<String, Object> attributes = Map.of();
    private Map<String, Object> resourceAttributes = Map.of();
    private TraceId traceId;
    private SpanId spanId;

    private Builder() {}

    public Builder timeNanos(long v) { timeNanos = v; return this; }
    public Builder observedTimeNanos(long v) { observedTimeNanos = v; return this; }
    public Builder logGroup(String v) { logGroup = v; return this; }
    public Builder logStream(String v) { logStream = v; return this; }
    public Builder serviceName(String v) { serviceName = v; return this; }
    public Builder severity(String text, int number) { severityText = text; severityNumber = number; return this; }
    public Builder body(String v) { body = v; return this; }
    public Builder attributes(Map<String, ?> v) { attributes = Attributes.copyOf(v); return this; }
    public Builder resourceAttributes(Map<String, ?> v) { resourceAttributes = Attributes.copyOf(v); return this; }
    public Builder traceId(@Nullable TraceId v) { traceId = v; return this; }
    public Builder spanId(@Nullable SpanId v) { spanId = v; return this; }

    /** Log group defaults to the service name, as {@link OtlpToModel} does. */
    public LogRecord build() {
      String group = logGroup != null ? logGroup : serviceName;
      String stream = logStream != null ? logStream : "default";
      return new LogRecord(timeNanos, observedTimeNanos, group, stream, serviceName, severityText, severityNumber, body,
          attributes, resourceAttributes, traceId, spanId);
    }
  }
}
