package dev.kansoku.model;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** A link from a span to a span of another (or the same) trace. */
public record SpanLink(TraceId traceId, SpanId spanId, Map<String, Object> attributes) {
  public SpanLink {
    requireNonNull(traceId, "traceId");
    requireNonNull(spanId, "spanId");
    attributes = Attributes.copyOf(attributes);
  }
}
