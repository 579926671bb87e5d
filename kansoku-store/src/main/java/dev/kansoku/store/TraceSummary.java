package dev.kansoku.store;

import static java.util.Objects.requireNonNull;

import dev.kansoku.model.SpanId;
import dev.kansoku.model.TraceId;
import java.util.List;
import javax.annotation.Nullable;

/**
 * One row of a trace search: what X-Ray's GetTraceSummaries and the console's result list show.
 * Computed by {@link Trace#summary()}, so every backend reports the same facts.
 *
 * @param durationNanos first span start to last span end (X-Ray "Duration")
 * @param responseTimeNanos the root span's duration (X-Ray "ResponseTime")
 * @param error any span had a 4xx; {@code fault}: any span had a 5xx or error status; {@code
 *     throttle}: any span had a 429
 * @param httpStatus the root span's HTTP status, 0 when none
 */
public record TraceSummary(
    TraceId traceId,
    String rootServiceName,
    String rootSpanName,
    SpanId rootSpanId,
    long startNanos,
    long durationNanos,
    long responseTimeNanos,
    int spanCount,
    List<String> services,
    boolean error,
    boolean fault,
    boolean throttle,
    @Nullable String httpMethod,
    int httpStatus,
    @Nullable String httpUrl) {

  public TraceSummary {
    requireNonNull(traceId, "traceId");
    requireNonNull(rootServiceName, "rootServiceName");
    requireNonNull(rootSpanName, "rootSpanName");
    requireNonNull(rootSpanId, "rootSpanId");
    services = List.copyOf(services);
  }
}
