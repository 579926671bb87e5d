package dev.kansoku.store;

import static java.util.Objects.requireNonNull;

import dev.kansoku.model.LogRecord;
import dev.kansoku.model.SpanId;
import dev.kansoku.model.TraceId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * A log search (CloudWatch FilterLogEvents, the console's log explorer and a trace's log lines),
 * validated before any backend sees it. A record matches when its time is in [{@code startNanos},
 * {@code endNanos}), its group is one of {@code logGroups} (any when empty), its stream one of
 * {@code logStreams} and starting with {@code logStreamPrefix}, its service is {@code serviceName},
 * its trace/span ids equal the given ones, its body satisfies {@code text}, and every field condition
 * holds on its attributes (then resource attributes). Results come in {@code order}, at most
 * {@code limit} per page; {@code pageToken} continues a previous page. Immutable.
 */
public record LogQuery(
    long startNanos,
    long endNanos,
    Set<String> logGroups,
    Set<String> logStreams,
    @Nullable String logStreamPrefix,
    @Nullable String serviceName,
    TextQuery text,
    @Nullable TraceId traceId,
    @Nullable SpanId spanId,
    List<AttributeCondition> fields,
    int limit,
    Order order,
    @Nullable String pageToken) {

  public static final int DEFAULT_LIMIT = 100;

  /** OLDEST_FIRST is CloudWatch's order and a trace's reading order; NEWEST_FIRST the explorer's. */
  public enum Order {
    OLDEST_FIRST, NEWEST_FIRST
  }

  public LogQuery {
    logGroups = Set.copyOf(logGroups);
    logStreams = Set.copyOf(logStreams);
    requireNonNull(text, "text");
    fields = List.copyOf(fields);
    requireNonNull(order, "order");
  }

  /** Whether {@code r} matches everything but the paging. */
  public boolean matches(LogRecord r) {
    if (r.timeNanos() < startNanos || r.timeNanos() >= endNanos) {
      return false;
    }
    if (!logGroups.isEmpty() && !logGroups.contains(r.logGroup())) {
      return false;
    }
    if (!logStreams.isEmpty() && !logStreams.contains(r.logStream())) {
      return false;
    }
    if (logStreamPrefix != null && !r.logStream().startsWith(logStreamPrefix)) {
      return false;
    }
    if (serviceName != null && !serviceName.equals(r.serviceName())) {
      return false;
    }
    if (traceId != null && !traceId.equals(r.traceId())) {
      return false;
    }
    if (spanId != null && !spanId.equals(r.spanId())) {
      return false;
    }
    for (AttributeCondition c : fields) {
      if (!c.test(r.attributes(), r.resourceAttributes())) {
        return false;
      }
    }
    return text.matches(r.body());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Not thread-safe. */
  public static final class Builder {
    private long startNanos;
    private long endNanos = Long.MAX_VALUE;
    private final Set<String> logGroups = new LinkedHashSet<>();
    private final Set<String> logStreams = new LinkedHashSet<>();
    private String logStreamPrefix;
    private String serviceName;
    private TextQuery text = TextQuery.EMPTY;
    private TraceId traceId;
    private SpanId spanId;
    private final List<AttributeCondition> fields = new ArrayList<>();
    private int limit = DEFAULT_LIMIT;
    private Order order = Order.OLDEST_FIRST;
    private String pageToken;

    Builder() {}

    public Builder window(long startNanos, long endNanos) {
      this.startNanos = startNanos;
      this.endNanos = endNanos;
      return this;
    }

    public Builder logGroup(String v) { logGroups.add(requireNonNull(v, "logGroup")); return this; }
    public Builder logStream(String v) { logStreams.add(requireNonNull(v, "logStream")); return this; }
    public Builder logStreamPrefix(@Nullable String v) { logStreamPrefix = v; return this; }
    public Builder serviceName(@Nullable String v) { serviceName = v; return this; }
    public Builder text(TextQuery v) { text = requireNonNull(v, "text"); return this; }
    /** Parses a filter pattern ({@link TextQuery#parse}). */
    public Builder text(String pattern) { text = TextQuery.parse(pattern); return this; }
    public Builder traceId(@Nullable TraceId v) { traceId = v; return this; }
    public Builder spanId(@Nullable SpanId v) { spanId = v; return this; }
    public Builder field(AttributeCondition v) { fields.add(requireNonNull(v, "field")); return this; }
    public Builder limit(int v) { limit = v; return this; }
    public Builder order(Order v) { order = requireNonNull(v, "order"); return this; }
    public Builder pageToken(@Nullable String v) { pageToken = v; return this; }

    public LogQuery build() {
      if (endNanos < startNanos) {
        throw new IllegalArgumentException("end < start: " + Instant.ofEpochSecond(0, endNanos) + " < "
            + Instant.ofEpochSecond(0, startNanos));
      }
      if (limit <= 0) {
        throw new IllegalArgumentException("limit <= 0: " + limit);
      }
      if (spanId != null && traceId == null) {
        throw new IllegalArgumentException("spanId " + spanId + " without a traceId (span ids are unique only within a trace)");
      }
      if (pageToken != null) {
        LogCursor.decode(pageToken); // rejects a token this store never issued, before any backend work
      }
      return new LogQuery(startNanos, endNanos, logGroups, logStreams, logStreamPrefix, serviceName, text, traceId,
          spanId, fields, limit, order, pageToken);
    }
  }
}
