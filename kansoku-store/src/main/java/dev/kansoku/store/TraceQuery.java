package dev.kansoku.store;

import static java.util.Objects.requireNonNull;

import dev.kansoku.model.SpanKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;

/**
 * A trace search, validated before any backend sees it.
 *
 * <p>A trace matches when its start (its earliest span's start) is in [{@code startNanos},
 * {@code endNanos}), its duration is in [{@code minDurationNanos}, {@code maxDurationNanos}], some
 * span in {@code scope} satisfies {@code spans} (all conditions on the same span), and {@code where}
 * (a boolean expression, e.g. a compiled X-Ray filter) holds. The convenience setters of the builder
 * (service, name, kind, status, attribute, http…) fill {@code spans}. Immutable.
 */
public record TraceQuery(
    long startNanos,
    long endNanos,
    SpanFilter spans,
    SpanScope scope,
    @Nullable TraceFilter where,
    long minDurationNanos,
    long maxDurationNanos,
    int limit,
    Order order) {

  public static final int DEFAULT_LIMIT = 100;

  public enum Order {
    NEWEST_FIRST, OLDEST_FIRST, SLOWEST_FIRST
  }

  public TraceQuery {
    requireNonNull(spans, "spans");
    requireNonNull(scope, "scope");
    requireNonNull(order, "order");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Not thread-safe. */
  public static final class Builder {
    private long startNanos;
    private long endNanos = Long.MAX_VALUE;
    private final SpanFilter.Builder spans = SpanFilter.builder();
    private SpanScope scope = SpanScope.ANY;
    private final List<TraceFilter> where = new ArrayList<>();
    private long minDurationNanos;
    private long maxDurationNanos = Long.MAX_VALUE;
    private int limit = DEFAULT_LIMIT;
    private Order order = Order.NEWEST_FIRST;

    Builder() {}

    /** Traces starting at or after {@code start} and before {@code end}. */
    public Builder window(Instant start, Instant end) {
      return window(nanos(requireNonNull(start, "start")), nanos(requireNonNull(end, "end")));
    }

    public Builder window(long startNanos, long endNanos) {
      this.startNanos = startNanos;
      this.endNanos = endNanos;
      return this;
    }

    public Builder serviceName(@Nullable String v) { spans.serviceName(v); return this; }
    public Builder spanName(@Nullable String v) { spans.spanName(v); return this; }
    public Builder kind(@Nullable SpanKind v) { spans.kind(v); return this; }
    public Builder status(TraceStatus v) { spans.status(v); return this; }
    public Builder attribute(AttributeCondition v) { spans.attribute(v); return this; }
    public Builder httpMethod(@Nullable String v) { spans.httpMethod(v); return this; }
    public Builder httpStatus(int v) { spans.httpStatus(v); return this; }
    public Builder httpStatusRange(int min, int max) { spans.httpStatusRange(min, max); return this; }
    public Builder httpUrlContains(@Nullable String v) { spans.httpUrlContains(v); return this; }

    /** Whether the span conditions must hold on the root span or may hold on any span (the default). */
    public Builder scope(SpanScope v) { scope = requireNonNull(v, "scope"); return this; }

    /** Adds an expression that must also hold (several are AND-ed). */
    public Builder where(TraceFilter v) { where.add(requireNonNull(v, "where")); return this; }

    public Builder minDuration(Duration v) { minDurationNanos = v.toNanos(); return this; }
    public Builder maxDuration(Duration v) { maxDurationNanos = v.toNanos(); return this; }
    public Builder minDurationNanos(long v) { minDurationNanos = v; return this; }
    public Builder maxDurationNanos(long v) { maxDurationNanos = v; return this; }
    public Builder limit(int v) { limit = v; return this; }
    public Builder order(Order v) { order = requireNonNull(v, "order"); return this; }

    public TraceQuery build() {
      if (endNanos < startNanos) {
        throw new IllegalArgumentException("end < start: " + Instant.ofEpochSecond(0, endNanos) + " < "
            + Instant.ofEpochSecond(0, startNanos));
      }
      if (limit <= 0) {
        throw new IllegalArgumentException("limit <= 0: " + limit);
      }
      if (minDurationNanos < 0) {
        throw new IllegalArgumentException("minDuration < 0: " + minDurationNanos + " ns");
      }
      if (maxDurationNanos < minDurationNanos) {
        throw new IllegalArgumentException("maxDuration < minDuration: " + maxDurationNanos + " < " + minDurationNanos + " ns");
      }
      TraceFilter w = where.isEmpty() ? null : where.size() == 1 ? where.get(0) : new TraceFilter.All(where);
      return new TraceQuery(startNanos, endNanos, spans.build(), scope, w, minDurationNanos, maxDurationNanos, limit, order);
    }
  }

  static long nanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }
}
