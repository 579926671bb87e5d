package dev.kansoku.model;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** A span event (exceptions arrive as events named "exception"). */
public record SpanEvent(long timeNanos, String name, Map<String, Object> attributes) {
  public SpanEvent {
    requireNonNull(name, "name");
    attributes = Attributes.copyOf(attributes);
  }
}
