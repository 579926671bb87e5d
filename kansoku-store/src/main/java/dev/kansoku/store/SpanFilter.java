package dev.kansoku.store;

import static java.util.Objects.requireNonNull;

import dev.kansoku.model.SpanKind;
import dev.kansoku.model.SpanRecord;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * Conditions that must all hold on one and the same span (X-Ray's {@code service("a") { fault }},
 * Jaeger's service + operation + tags). Null or empty fields do not constrain. {@code statuses} is
 * any-of. {@code serviceName} is compared with the span's service in its trace ({@link
 * Trace#services()}), not its own resource's: a subsegment sent alone, named "DynamoDB", is a span of
 * its segment's service. Immutable; the builder rejects nonsense with a message naming the values.
 */
public record SpanFilter(
    @Nullable String serviceName,
    @Nullable String spanName,
    @Nullable SpanKind kind,
    Set<TraceStatus> statuses,
    List<AttributeCondition> attributes,
    @Nullable String httpMethod,
    int minHttpStatus,
    int maxHttpStatus,
    @Nullable String httpUrlContains,
    long minDurationNanos,
    long maxDurationNanos) {

  /** Matches every span. */
  public static final SpanFilter ANY = builder().build();

  public SpanFilter {
    statuses = statuses.isEmpty() ? Set.of() : Set.copyOf(statuses);
    attributes = List.copyOf(attributes);
  }

  public boolean isEmpty() {
    return equals(ANY);
  }

  /** Whether {@code s}, whose service in its trace is {@code service}, satisfies every condition. */
  public boolean test(SpanRecord s, String service) {
    if (serviceName != null && !serviceName.equals(service)) {
      return false;
    }
    if (spanName != null && !spanName.equals(s.name())) {
      return false;
    }
    if (kind != null && kind != s.kind()) {
      return false;
    }
    if (httpMethod != null && !httpMethod.equalsIgnoreCase(s.httpMethod() == null ? "" : s.httpMethod())) {
      return false;
    }
    if ((minHttpStatus > 0 || maxHttpStatus < 999) && (s.httpStatus() < minHttpStatus || s.httpStatus() > maxHttpStatus)) {
      return false;
    }
    if (httpUrlContains != null && (s.httpUrl() == null || !s.httpUrl().contains(httpUrlContains))) {
      return false;
    }
    long d = s.durationNanos();
    if (d < minDurationNanos || d > maxDurationNanos) {
      return false;
    }
    if (!statuses.isEmpty()) {
      boolean any = false;
      for (TraceStatus st : statuses) {
        any |= st.test(s);
      }
      if (!any) {
        return false;
      }
    }
    for (AttributeCondition c : attributes) {
      if (!c.test(s.attributes(), s.resourceAttributes())) {
        return false;
      }
    }
    return true;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Not thread-safe. */
  public static final class Builder {
    private String serviceName;
    private String spanName;
    private SpanKind kind;
    private final Set<TraceStatus> statuses = EnumSet.noneOf(TraceStatus.class);
    private final List<AttributeCondition> attributes = new ArrayList<>();
    private String httpMethod;
    private int minHttpStatus;
    private int maxHttpStatus = 999;
    private String httpUrlContains;
    private long minDurationNanos;
    private long maxDurationNanos = Long.MAX_VALUE;

    Builder() {}

    public Builder serviceName(@Nullable String v) { serviceName = v; return this; }
    public Builder spanName(@Nullable String v) { spanName = v; return this; }
    public Builder kind(@Nullable SpanKind v) { kind = v; return this; }
    public Builder status(TraceStatus v) { statuses.add(requireNonNull(v, "status")); return this; }
    public Builder attribute(AttributeCondition v) { attributes.add(requireNonNull(v, "attribute condition")); return this; }
    public Builder httpMethod(@Nullable String v) { httpMethod = v; return this; }
    public Builder httpStatus(int v) { minHttpStatus = v; maxHttpStatus = v; return this; }
    public Builder httpStatusRange(int min, int max) { minHttpStatus = min; maxHttpStatus = max; return this; }
    public Builder httpUrlContains(@Nullable String v) { httpUrlContains = v; return this; }
    public Builder minDurationNanos(long v) { minDurationNanos = v; return this; }
    public Builder maxDurationNanos(long v) { maxDurationNanos = v; return this; }

    public SpanFilter build() {
      if (minHttpStatus < 0 || maxHttpStatus > 999 || maxHttpStatus < minHttpStatus) {
        throw new IllegalArgumentException("httpStatus range: " + minHttpStatus + ".." + maxHttpStatus
            + " (expected: 0 <= min <= max <= 999)");
      }
      if (minDurationNanos < 0) {
        throw new IllegalArgumentException("minDuration < 0: " + minDurationNanos + " ns");
      }
      if (maxDurationNanos < minDurationNanos) {
        throw new IllegalArgumentException("maxDuration < minDuration: " + maxDurationNanos + " < " + minDurationNanos + " ns");
      }
      if (serviceName != null && serviceName.isEmpty()) {
        throw new IllegalArgumentException("serviceName: empty (expected: a name, or none to match every service)");
      }
      return new SpanFilter(serviceName, spanName, kind, statuses, attributes, httpMethod, minHttpStatus, maxHttpStatus,
          httpUrlContains, minDurationNanos, maxDurationNanos);
    }
  }
}
